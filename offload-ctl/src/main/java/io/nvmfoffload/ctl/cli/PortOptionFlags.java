package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransportOptions;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransportOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code port add}'s flags for the transport's options: the port object's "rdma" or "tcp" object,
 * holding only the options given (the target fills in the defaults, as for a document).
 */
final class PortOptionFlags {
    @Option(names = "--max-srq-depth", paramLabel = "N", description = "rdma: receive buffers of the shared receive queue, "
            + "and the listener's request slots, " + RdmaTransportOptions.MIN_SRQ_DEPTH + " to " + RdmaTransportOptions.MAX_SRQ_DEPTH
            + " (default: " + RdmaTransportOptions.DEFAULT_MAX_SRQ_DEPTH + ").")
    Integer maxSrqDepth;

    @Option(names = "--no-srq", description = "rdma: a receive queue per queue pair instead of one shared by all, as on a device "
            + "without SRQs (no NVMf offload on the port then).")
    boolean noSrq;

    @Option(names = "--no-posting-thread", description = "rdma: the poller posts every send itself.")
    boolean noPostingThread;

    @Option(names = "--posting-thread-min-bytes", paramLabel = "SIZE", description = "rdma: the fewest data bytes of a post "
            + "handed to the posting thread (default: " + RdmaTransportOptions.DEFAULT_POSTING_THREAD_MIN_BYTES + ").")
    String postingThreadMinBytes;

    @Option(names = "--no-wr-batching", description = "rdma: post each request's sends at once, not once per queue pair at the "
            + "end of the poller's pass.")
    boolean noWrBatching;

    @Option(names = "--arrival-spin-us", paramLabel = "MICROSECONDS", description = "tcp: how long a queue's reader spins for the "
            + "next PDU before it blocks in read, 0 to " + TcpTransportOptions.MAX_ARRIVAL_SPIN_MICROS + " (default: "
            + TcpTransportOptions.DEFAULT_ARRIVAL_SPIN_MICROS + "; 0: never).")
    Integer arrivalSpinMicros;

    /** Puts the options given into {@code port}; an option of the other transport is a command-line error. */
    void addTo(ObjectNode port, String transport, CommandSpec spec) {
        Options rdma = new Options("rdma", port.objectNode());
        if (maxSrqDepth != null) {
            rdma.put("--max-srq-depth").put("max_srq_depth", maxSrqDepth);
        }
        if (noSrq) {
            rdma.put("--no-srq").put("no_srq", true);
        }
        if (noPostingThread) {
            rdma.put("--no-posting-thread").put("posting_thread", false);
        }
        if (postingThreadMinBytes != null) {
            rdma.put("--posting-thread-min-bytes").put("posting_thread_min_bytes", postingThreadMinBytes);
        }
        if (noWrBatching) {
            rdma.put("--no-wr-batching").put("no_wr_batching", true);
        }
        Options tcp = new Options("tcp", port.objectNode());
        if (arrivalSpinMicros != null) {
            tcp.put("--arrival-spin-us").put("arrival_spin_us", arrivalSpinMicros);
        }
        rdma.addTo(port, transport, spec);
        tcp.addTo(port, transport, spec);
    }

    /** One transport's options given on the command line, with the first flag that gave one. */
    private static final class Options {
        private final String transport;
        private final ObjectNode values;
        private String firstFlag;

        Options(String transport, ObjectNode values) {
            this.transport = transport;
            this.values = values;
        }

        ObjectNode put(String flag) {
            if (firstFlag == null) {
                firstFlag = flag;
            }
            return values;
        }

        void addTo(ObjectNode port, String portTransport, CommandSpec spec) {
            if (firstFlag == null) {
                return;
            }
            if (!transport.equals(portTransport)) {
                throw new ParameterException(spec.commandLine(), firstFlag + " is an option of " + transport
                        + " ports; this port's transport is " + portTransport);
            }
            port.set(transport, values);
        }
    }
}
