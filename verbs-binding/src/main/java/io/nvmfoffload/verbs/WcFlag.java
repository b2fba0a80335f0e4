package io.nvmfoffload.verbs;

/** {@code enum ibv_wc_flags}: what else a work completion carries. */
public enum WcFlag implements NativeEnum {
    GRH(1),
    WITH_IMM(1 << 1),
    IP_CSUM_OK(1 << 2),
    WITH_INV(1 << 3),
    TM_SYNC_REQ(1 << 4),
    TM_MATCH(1 << 5),
    TM_DATA_VALID(1 << 6);

    private final int value;

    WcFlag(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_WC_" + name();
    }
}
