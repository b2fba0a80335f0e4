package io.nvmfoffload.verbs.ffi;

/**
 * C constants the binding passes to libibverbs, librdmacm and libc that have no Java enum. The
 * names are the C names; the layout test checks each value against the headers.
 */
public final class NativeConstants {
    private NativeConstants() {}

    // enum ibv_qp_attr_mask
    public static final int IBV_QP_STATE = 1;
    public static final int IBV_QP_CUR_STATE = 1 << 1;
    public static final int IBV_QP_EN_SQD_ASYNC_NOTIFY = 1 << 2;
    public static final int IBV_QP_ACCESS_FLAGS = 1 << 3;
    public static final int IBV_QP_PKEY_INDEX = 1 << 4;
    public static final int IBV_QP_PORT = 1 << 5;
    public static final int IBV_QP_QKEY = 1 << 6;
    public static final int IBV_QP_AV = 1 << 7;
    public static final int IBV_QP_PATH_MTU = 1 << 8;
    public static final int IBV_QP_TIMEOUT = 1 << 9;
    public static final int IBV_QP_RETRY_CNT = 1 << 10;
    public static final int IBV_QP_RNR_RETRY = 1 << 11;
    public static final int IBV_QP_RQ_PSN = 1 << 12;
    public static final int IBV_QP_MAX_QP_RD_ATOMIC = 1 << 13;
    public static final int IBV_QP_ALT_PATH = 1 << 14;
    public static final int IBV_QP_MIN_RNR_TIMER = 1 << 15;
    public static final int IBV_QP_SQ_PSN = 1 << 16;
    public static final int IBV_QP_MAX_DEST_RD_ATOMIC = 1 << 17;
    public static final int IBV_QP_PATH_MIG_STATE = 1 << 18;
    public static final int IBV_QP_CAP = 1 << 19;
    public static final int IBV_QP_DEST_QPN = 1 << 20;
    public static final int IBV_QP_RATE_LIMIT = 1 << 25;

    // enum ibv_srq_attr_mask
    public static final int IBV_SRQ_MAX_WR = 1;
    public static final int IBV_SRQ_LIMIT = 1 << 1;

    /** Access bits that need ibv_reg_mr_iova2 (the ibv_reg_mr macro switches on them too). */
    public static final int IBV_ACCESS_OPTIONAL_RANGE = ((1 << 30) - 1) & ~((1 << 20) - 1);

    /** ibv_context.abi_compat of a context that is embedded in a struct verbs_context. */
    public static final long __VERBS_ABI_IS_EXTENDED = -1L;

    // librdmacm
    public static final int RDMA_OPTION_ID = 0;
    public static final int RDMA_OPTION_ID_REUSEADDR = 1;
    public static final int RDMA_MAX_RESP_RES = 0xFF;
    public static final int RDMA_MAX_INIT_DEPTH = 0xFF;

    // libc
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int POLLIN = 1;
    public static final int POLLERR = 8;
    public static final int POLLHUP = 16;
}
