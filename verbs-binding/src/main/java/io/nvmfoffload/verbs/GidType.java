package io.nvmfoffload.verbs;

/** {@code enum ibv_gid_type}: the protocol a GID table entry is used for. */
public enum GidType implements NativeEnum {
    IB(0),
    ROCE_V1(1),
    ROCE_V2(2);

    private static final NativeEnums.Lookup<GidType> BY_VALUE = new NativeEnums.Lookup<>(GidType.class);

    private final int value;

    GidType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_GID_TYPE_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static GidType of(int value) {
        return BY_VALUE.get(value);
    }
}
