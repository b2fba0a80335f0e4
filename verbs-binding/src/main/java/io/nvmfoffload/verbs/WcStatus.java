package io.nvmfoffload.verbs;

/** {@code enum ibv_wc_status}: how a work request completed. Names are the C names. */
public enum WcStatus implements NativeEnum {
    IBV_WC_SUCCESS(0),
    IBV_WC_LOC_LEN_ERR(1),
    IBV_WC_LOC_QP_OP_ERR(2),
    IBV_WC_LOC_EEC_OP_ERR(3),
    IBV_WC_LOC_PROT_ERR(4),
    IBV_WC_WR_FLUSH_ERR(5),
    IBV_WC_MW_BIND_ERR(6),
    IBV_WC_BAD_RESP_ERR(7),
    IBV_WC_LOC_ACCESS_ERR(8),
    IBV_WC_REM_INV_REQ_ERR(9),
    IBV_WC_REM_ACCESS_ERR(10),
    IBV_WC_REM_OP_ERR(11),
    IBV_WC_RETRY_EXC_ERR(12),
    IBV_WC_RNR_RETRY_EXC_ERR(13),
    IBV_WC_LOC_RDD_VIOL_ERR(14),
    IBV_WC_REM_INV_RD_REQ_ERR(15),
    IBV_WC_REM_ABORT_ERR(16),
    IBV_WC_INV_EECN_ERR(17),
    IBV_WC_INV_EEC_STATE_ERR(18),
    IBV_WC_FATAL_ERR(19),
    IBV_WC_RESP_TIMEOUT_ERR(20),
    IBV_WC_GENERAL_ERR(21),
    IBV_WC_TM_ERR(22),
    IBV_WC_TM_RNDV_INCOMPLETE(23);

    private static final NativeEnums.Lookup<WcStatus> BY_VALUE = new NativeEnums.Lookup<>(WcStatus.class);

    private final int value;

    WcStatus(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "" + name();
    }

    /** The constant for a value read from C, or {@code null} when this binding does not know it. */
    public static WcStatus of(int value) {
        return BY_VALUE.get(value);
    }

    /** The C name of a status value, also for values this binding does not know. */
    public static String nameOf(int value) {
        WcStatus status = of(value);
        return status == null ? "ibv_wc_status " + value : status.name();
    }

    public boolean isSuccess() {
        return this == IBV_WC_SUCCESS;
    }
}
