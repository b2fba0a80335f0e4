package io.nvmfoffload.verbs;

/** {@code enum ibv_port_state}. */
public enum PortState implements NativeEnum {
    NOP(0),
    DOWN(1),
    INIT(2),
    ARMED(3),
    ACTIVE(4),
    ACTIVE_DEFER(5);

    private static final NativeEnums.Lookup<PortState> BY_VALUE = new NativeEnums.Lookup<>(PortState.class);

    private final int value;

    PortState(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_PORT_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static PortState of(int value) {
        return BY_VALUE.get(value);
    }
}
