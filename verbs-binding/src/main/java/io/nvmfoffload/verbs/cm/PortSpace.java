package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.NativeEnum;

/** {@code enum rdma_port_space}: TCP for reliable-connected QPs, UDP for UD. */
public enum PortSpace implements NativeEnum {
    IPOIB(0x0002),
    TCP(0x0106),
    UDP(0x0111),
    IB(0x013F);

    private final int value;

    PortSpace(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "RDMA_PS_" + name();
    }
}
