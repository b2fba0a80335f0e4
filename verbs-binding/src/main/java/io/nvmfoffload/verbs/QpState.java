package io.nvmfoffload.verbs;

/** {@code enum ibv_qp_state}. */
public enum QpState implements NativeEnum {
    RESET(0),
    INIT(1),
    RTR(2),
    RTS(3),
    SQD(4),
    SQE(5),
    ERR(6),
    UNKNOWN(7);

    private static final NativeEnums.Lookup<QpState> BY_VALUE = new NativeEnums.Lookup<>(QpState.class);

    private final int value;

    QpState(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_QPS_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static QpState of(int value) {
        return BY_VALUE.get(value);
    }
}
