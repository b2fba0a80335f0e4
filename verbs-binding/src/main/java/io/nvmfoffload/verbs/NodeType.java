package io.nvmfoffload.verbs;

/** {@code enum ibv_node_type}: what kind of node a device is. */
public enum NodeType implements NativeEnum {
    UNKNOWN(-1),
    CA(1),
    SWITCH(2),
    ROUTER(3),
    RNIC(4),
    USNIC(5),
    USNIC_UDP(6),
    UNSPECIFIED(7);

    private static final NativeEnums.Lookup<NodeType> BY_VALUE = new NativeEnums.Lookup<>(NodeType.class);

    private final int value;

    NodeType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_NODE_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static NodeType of(int value) {
        return BY_VALUE.get(value);
    }
}
