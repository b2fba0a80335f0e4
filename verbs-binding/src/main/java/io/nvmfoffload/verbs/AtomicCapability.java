package io.nvmfoffload.verbs;

/** {@code enum ibv_atomic_cap}: how far atomic operations are atomic. */
public enum AtomicCapability implements NativeEnum {
    NONE(0),
    HCA(1),
    GLOB(2);

    private static final NativeEnums.Lookup<AtomicCapability> BY_VALUE = new NativeEnums.Lookup<>(AtomicCapability.class);

    private final int value;

    AtomicCapability(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_ATOMIC_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static AtomicCapability of(int value) {
        return BY_VALUE.get(value);
    }
}
