package io.nvmfoffload.nvmf.transport.tcp.ddp;

import java.util.ArrayList;
import java.util.List;

/**
 * The ULP DDP capability bits, numbered and named as the kernel's {@code ulp_ddp} netlink family
 * numbers them ({@code enum ulp_ddp_cap}): bit 0 places NVMe/TCP payload directly, bit 1 verifies
 * its data digest on receive.
 */
public enum UlpDdpCapability {
    NVME_TCP("nvme-tcp"),
    NVME_TCP_DDGST_RX("nvme-tcp-ddgst-rx");

    private final String wireName;

    UlpDdpCapability(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public int bit() {
        return 1 << ordinal();
    }

    /** Every capability, as a mask. */
    public static int all() {
        return (1 << values().length) - 1;
    }

    public static UlpDdpCapability byName(String name) {
        for (UlpDdpCapability c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown ULP DDP capability '" + name + "'; known: nvme-tcp, nvme-tcp-ddgst-rx");
    }

    /** The names of the bits set in {@code mask}, in bit order. */
    public static List<String> names(int mask) {
        List<String> out = new ArrayList<>();
        for (UlpDdpCapability c : values()) {
            if ((mask & c.bit()) != 0) {
                out.add(c.wireName);
            }
        }
        return out;
    }
}
