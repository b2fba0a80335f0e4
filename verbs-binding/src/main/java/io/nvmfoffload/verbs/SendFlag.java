package io.nvmfoffload.verbs;

/** {@code enum ibv_send_flags}. */
public enum SendFlag implements NativeEnum {
    FENCE(1),
    SIGNALED(1 << 1),
    SOLICITED(1 << 2),
    INLINE(1 << 3),
    IP_CSUM(1 << 4);

    private final int value;

    SendFlag(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_SEND_" + name();
    }
}
