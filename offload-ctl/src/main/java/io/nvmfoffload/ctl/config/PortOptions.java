package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.nvmf.TransportOptions;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransportOptions;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransportOptions;

/**
 * A port's transport options in the document: the "rdma" object of an rdma port, the "tcp" object
 * of a tcp port (the schema refuses the other one), every key with the transport's default.
 */
final class PortOptions {
    static final String RDMA = "rdma";
    static final String TCP = "tcp";

    private PortOptions() {}

    static TransportOptions defaults(TransportType transport) {
        return switch (transport) {
            case RDMA -> RdmaTransportOptions.DEFAULTS;
            case TCP -> TcpTransportOptions.DEFAULTS;
        };
    }

    /** The options of {@code port}, a port object; null when a value was refused (already reported). */
    static TransportOptions read(Fields port, TransportType transport) {
        Fields rdma = port.has(RDMA) ? port.object(RDMA, "rdma_options") : null;
        Fields tcp = port.has(TCP) ? port.object(TCP, "tcp_options") : null;
        return switch (transport) {
            case RDMA -> rdma == null ? (port.refused(RDMA) ? null : RdmaTransportOptions.DEFAULTS) : rdma(rdma);
            case TCP -> tcp == null ? (port.refused(TCP) ? null : TcpTransportOptions.DEFAULTS) : tcp(tcp);
        };
    }

    private static RdmaTransportOptions rdma(Fields f) {
        RdmaTransportOptions d = RdmaTransportOptions.DEFAULTS;
        Long depth = f.integer("max_srq_depth", (long) d.maxSrqDepth());
        Boolean noSrq = f.bool("no_srq", d.noSrq());
        Boolean postingThread = f.bool("posting_thread", d.postingThread());
        Long minBytes = f.size("posting_thread_min_bytes", (long) d.postingThreadMinBytes());
        Boolean noWrBatching = f.bool("no_wr_batching", d.noWrBatching());
        if (depth == null || noSrq == null || postingThread == null || minBytes == null || noWrBatching == null) {
            return null;
        }
        return new RdmaTransportOptions(depth.intValue(), noSrq, postingThread, minBytes.intValue(), noWrBatching);
    }

    private static TcpTransportOptions tcp(Fields f) {
        Long spin = f.integer("arrival_spin_us", (long) TcpTransportOptions.DEFAULTS.arrivalSpinMicros());
        return spin == null ? null : new TcpTransportOptions(spin.intValue());
    }

    /** Writes every option of {@code options}, defaults included, into {@code port}, a port object. */
    static void write(ObjectNode port, TransportOptions options) {
        switch (options) {
            case RdmaTransportOptions r -> port.putObject(RDMA).put("max_srq_depth", r.maxSrqDepth()).put("no_srq", r.noSrq())
                    .put("posting_thread", r.postingThread()).put("posting_thread_min_bytes", r.postingThreadMinBytes())
                    .put("no_wr_batching", r.noWrBatching());
            case TcpTransportOptions t -> port.putObject(TCP).put("arrival_spin_us", t.arrivalSpinMicros());
            default -> throw new IllegalArgumentException("no document form for " + options);
        }
    }
}
