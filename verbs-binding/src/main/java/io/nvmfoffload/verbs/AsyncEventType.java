package io.nvmfoffload.verbs;

/** {@code enum ibv_event_type}: asynchronous events of a device, port, QP, CQ or SRQ. */
public enum AsyncEventType implements NativeEnum {
    CQ_ERR(0),
    QP_FATAL(1),
    QP_REQ_ERR(2),
    QP_ACCESS_ERR(3),
    COMM_EST(4),
    SQ_DRAINED(5),
    PATH_MIG(6),
    PATH_MIG_ERR(7),
    DEVICE_FATAL(8),
    PORT_ACTIVE(9),
    PORT_ERR(10),
    LID_CHANGE(11),
    PKEY_CHANGE(12),
    SM_CHANGE(13),
    SRQ_ERR(14),
    SRQ_LIMIT_REACHED(15),
    QP_LAST_WQE_REACHED(16),
    CLIENT_REREGISTER(17),
    GID_CHANGE(18),
    WQ_FATAL(19);

    private static final NativeEnums.Lookup<AsyncEventType> BY_VALUE = new NativeEnums.Lookup<>(AsyncEventType.class);

    private final int value;

    AsyncEventType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_EVENT_" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static AsyncEventType of(int value) {
        return BY_VALUE.get(value);
    }

    /** What the event's element is: a QP, CQ, SRQ, WQ, port, or the device itself. */
    public Element element() {
        return switch (this) {
            case CQ_ERR -> Element.CQ;
            case QP_FATAL, QP_REQ_ERR, QP_ACCESS_ERR, COMM_EST, SQ_DRAINED, PATH_MIG, PATH_MIG_ERR,
                 QP_LAST_WQE_REACHED -> Element.QP;
            case SRQ_ERR, SRQ_LIMIT_REACHED -> Element.SRQ;
            case WQ_FATAL -> Element.WQ;
            case PORT_ACTIVE, PORT_ERR, LID_CHANGE, PKEY_CHANGE, SM_CHANGE, CLIENT_REREGISTER, GID_CHANGE -> Element.PORT;
            case DEVICE_FATAL -> Element.DEVICE;
        };
    }

    /** The member of {@code ibv_async_event.element} that is valid for an event type. */
    public enum Element { QP, CQ, SRQ, WQ, PORT, DEVICE }
}
