package io.nvmfoffload.verbs;

/** The {@code IBV_LINK_LAYER_*} values of {@code ibv_port_attr.link_layer}. */
public enum LinkLayer implements NativeEnum {
    UNSPECIFIED(0),
    INFINIBAND(1),
    ETHERNET(2);

    private static final NativeEnums.Lookup<LinkLayer> BY_VALUE = new NativeEnums.Lookup<>(LinkLayer.class);

    private final int value;

    LinkLayer(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_LINK_LAYER_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static LinkLayer of(int value) {
        return BY_VALUE.get(value);
    }
}
