package io.nvmfoffload.verbs;

/** {@code enum ibv_wr_opcode}: what a send work request does. */
public enum WrOpcode implements NativeEnum {
    RDMA_WRITE(0),
    RDMA_WRITE_WITH_IMM(1),
    SEND(2),
    SEND_WITH_IMM(3),
    RDMA_READ(4),
    ATOMIC_CMP_AND_SWP(5),
    ATOMIC_FETCH_AND_ADD(6),
    LOCAL_INV(7),
    BIND_MW(8),
    SEND_WITH_INV(9),
    TSO(10),
    DRIVER1(11),
    ATOMIC_WRITE(15);

    private static final NativeEnums.Lookup<WrOpcode> BY_VALUE = new NativeEnums.Lookup<>(WrOpcode.class);

    private final int value;

    WrOpcode(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_WR_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static WrOpcode of(int value) {
        return BY_VALUE.get(value);
    }
}
