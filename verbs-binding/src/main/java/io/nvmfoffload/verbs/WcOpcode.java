package io.nvmfoffload.verbs;

/** {@code enum ibv_wc_opcode}: what a completed work request did. Receive opcodes have bit 7 set. */
public enum WcOpcode implements NativeEnum {
    SEND(0),
    RDMA_WRITE(1),
    RDMA_READ(2),
    COMP_SWAP(3),
    FETCH_ADD(4),
    BIND_MW(5),
    LOCAL_INV(6),
    TSO(7),
    ATOMIC_WRITE(9),
    RECV(128),
    RECV_RDMA_WITH_IMM(129),
    TM_ADD(130),
    TM_DEL(131),
    TM_SYNC(132),
    TM_RECV(133),
    TM_NO_TAG(134),
    DRIVER1(135),
    DRIVER2(136),
    DRIVER3(137);

    private static final NativeEnums.Lookup<WcOpcode> BY_VALUE = new NativeEnums.Lookup<>(WcOpcode.class);

    private final int value;

    WcOpcode(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_WC_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static WcOpcode of(int value) {
        return BY_VALUE.get(value);
    }

    /** Whether this completes a receive (the C idiom {@code opcode & IBV_WC_RECV}). */
    public boolean isReceive() {
        return (value & RECV.value) != 0;
    }
}
