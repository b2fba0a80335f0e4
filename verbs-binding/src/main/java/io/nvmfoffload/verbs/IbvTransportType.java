package io.nvmfoffload.verbs;

/** {@code enum ibv_transport_type}: the transport a device speaks (RoCE and soft-RoCE report IB). */
public enum IbvTransportType implements NativeEnum {
    UNKNOWN(-1),
    IB(0),
    IWARP(1),
    USNIC(2),
    USNIC_UDP(3),
    UNSPECIFIED(4);

    private static final NativeEnums.Lookup<IbvTransportType> BY_VALUE = new NativeEnums.Lookup<>(IbvTransportType.class);

    private final int value;

    IbvTransportType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_TRANSPORT_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static IbvTransportType of(int value) {
        return BY_VALUE.get(value);
    }
}
