package io.nvmfoffload.verbs;

/** {@code enum ibv_mtu}: path and port MTUs. */
public enum Mtu implements NativeEnum {
    MTU_256(1, 256),
    MTU_512(2, 512),
    MTU_1024(3, 1024),
    MTU_2048(4, 2048),
    MTU_4096(5, 4096);

    private static final NativeEnums.Lookup<Mtu> BY_VALUE = new NativeEnums.Lookup<>(Mtu.class);

    private final int value;
    private final int bytes;

    Mtu(int value, int bytes) {
        this.value = value;
        this.bytes = bytes;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static Mtu of(int value) {
        return BY_VALUE.get(value);
    }

    /** The MTU in bytes. */
    public int bytes() {
        return bytes;
    }
}
