package io.nvmfoffload.nvmf.transport.tcp.ddp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one modelled device. The first ten are the kernel's {@code ulp_ddp} stats with
 * their netlink names; {@code copied_bytes} and {@code copied_pdus} are the model's own, counting
 * payload that went through a receive buffer and a user-space copy instead of being placed, so
 * that "placed" is never claimed for a byte that was copied.
 */
public final class UlpDdpStatistics {
    final LongAdder skAdd = new LongAdder();
    final LongAdder skAddFail = new LongAdder();
    final LongAdder skDel = new LongAdder();
    final LongAdder setup = new LongAdder();
    final LongAdder setupFail = new LongAdder();
    final LongAdder teardown = new LongAdder();
    final LongAdder drop = new LongAdder();
    final LongAdder resync = new LongAdder();
    final LongAdder packets = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder copiedBytes = new LongAdder();
    final LongAdder copiedPdus = new LongAdder();

    /** The kernel's ten counters, in the netlink reply's order. */
    public Map<String, Long> kernelCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx-nvme-tcp-sk-add", skAdd.sum());
        m.put("rx-nvme-tcp-sk-add-fail", skAddFail.sum());
        m.put("rx-nvme-tcp-sk-del", skDel.sum());
        m.put("rx-nvme-tcp-setup", setup.sum());
        m.put("rx-nvme-tcp-setup-fail", setupFail.sum());
        m.put("rx-nvme-tcp-teardown", teardown.sum());
        m.put("rx-nvme-tcp-drop", drop.sum());
        m.put("rx-nvme-tcp-resync", resync.sum());
        m.put("rx-nvme-tcp-packets", packets.sum());
        m.put("rx-nvme-tcp-bytes", bytes.sum());
        return m;
    }

    /** The model's own counters (not in the kernel's family). */
    public Map<String, Long> modelCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("copied-bytes", copiedBytes.sum());
        m.put("copied-pdus", copiedPdus.sum());
        return m;
    }

    public long placedBytes() {
        return bytes.sum();
    }

    public long copiedBytes() {
        return copiedBytes.sum();
    }
}
