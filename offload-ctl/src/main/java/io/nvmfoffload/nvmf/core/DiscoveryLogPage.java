package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.DiscoveryLog;
import io.nvmfoffload.nvmf.Nqn;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The discovery log a host sees: every (port, subsystem) pair it may use, then an entry for the
 * discovery subsystem on the port it asked through, as nvmet lists them; the generation counter
 * tells the host when to read again.
 */
final class DiscoveryLogPage {
    /** Entries the admin queue of a listed subsystem may have (ASQSZ). */
    private static final int ASQSZ = Controller.ADMIN_QUEUE_ENTRIES;

    private DiscoveryLogPage() {}

    private record Record(Port port, String nqn, int subtype) {}

    static MemorySegment build(Arena arena, Target target, String hostNqn, Port askedThrough) {
        List<Record> records = new ArrayList<>();
        long generation;
        synchronized (target) {
            generation = target.generation();
            for (Port port : target.ports()) {
                for (Subsystem s : target.exposedOn(port.id())) {
                    if (s != null && s.admits(hostNqn)) {
                        records.add(new Record(port, s.nqn(), DiscoveryLog.SUBTYPE_NVME));
                    }
                }
            }
        }
        records.add(new Record(askedThrough, Nqn.DISCOVERY, DiscoveryLog.SUBTYPE_CURRENT_DISCOVERY));

        MemorySegment seg = arena.allocate(DiscoveryLog.sizeFor(records.size()));
        DiscoveryLog log = new DiscoveryLog().wrap(seg, 0).clearHeader().genctr(generation).numrec(records.size()).recfmt(0);
        DiscoveryLog.Entry entry = new DiscoveryLog.Entry();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            log.entry(i, entry).clear()
                    .trtype(r.port().transport().trtype())
                    .adrfam(DiscoveryLog.ADRFAM_IPV4)
                    .subtype(r.subtype())
                    .treq(DiscoveryLog.TREQ_NOT_SPECIFIED | DiscoveryLog.TREQ_SQ_FLOW_CONTROL_DISABLE_SUPPORTED)
                    .portid(r.port().id())
                    .cntlid(DiscoveryLog.CNTLID_DYNAMIC)
                    .asqsz(ASQSZ)
                    .trsvcid(Integer.toString(r.port().serviceId()))
                    .subnqn(r.nqn())
                    .traddr(r.port().address());
            if (r.port().transport() == TransportType.RDMA) {
                entry.rdmaTsas(DiscoveryLog.RDMA_QPTYPE_RELIABLE_CONNECTED, DiscoveryLog.RDMA_PRTYPE_NOT_SPECIFIED,
                        DiscoveryLog.RDMA_CMS_RDMA_CM, 0);
            }
        }
        return seg;
    }
}
