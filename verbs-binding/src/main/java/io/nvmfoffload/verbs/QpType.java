package io.nvmfoffload.verbs;

/** {@code enum ibv_qp_type}. */
public enum QpType implements NativeEnum {
    RC(2),
    UC(3),
    UD(4),
    RAW_PACKET(8),
    XRC_SEND(9),
    XRC_RECV(10),
    DRIVER(255);

    private static final NativeEnums.Lookup<QpType> BY_VALUE = new NativeEnums.Lookup<>(QpType.class);

    private final int value;

    QpType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_QPT_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static QpType of(int value) {
        return BY_VALUE.get(value);
    }
}
