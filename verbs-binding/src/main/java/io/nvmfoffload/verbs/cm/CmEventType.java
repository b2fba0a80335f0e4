package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.NativeEnum;
import io.nvmfoffload.verbs.NativeEnums;

/** {@code enum rdma_cm_event_type}. */
public enum CmEventType implements NativeEnum {
    ADDR_RESOLVED(0),
    ADDR_ERROR(1),
    ROUTE_RESOLVED(2),
    ROUTE_ERROR(3),
    CONNECT_REQUEST(4),
    CONNECT_RESPONSE(5),
    CONNECT_ERROR(6),
    UNREACHABLE(7),
    REJECTED(8),
    ESTABLISHED(9),
    DISCONNECTED(10),
    DEVICE_REMOVAL(11),
    MULTICAST_JOIN(12),
    MULTICAST_ERROR(13),
    ADDR_CHANGE(14),
    TIMEWAIT_EXIT(15);

    private static final NativeEnums.Lookup<CmEventType> BY_VALUE = new NativeEnums.Lookup<>(CmEventType.class);

    private final int value;

    CmEventType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "RDMA_CM_EVENT_" + name();
    }

    public static CmEventType of(int value) {
        return BY_VALUE.get(value);
    }
}
