package io.nvmfoffload.verbs.ffi;

import static io.nvmfoffload.verbs.ffi.CLayouts.offset;

/**
 * Offsets into {@link IbvLayouts}' structs that the hot path reads and writes (posting work
 * requests, polling completions), as constants so that the JIT folds them.
 */
public final class IbvOffsets {
    private IbvOffsets() {}

    public static final long CONTEXT_OPS_POST_SEND = offset(IbvLayouts.IBV_CONTEXT, "ops.post_send");
    public static final long CONTEXT_OPS_POST_RECV = offset(IbvLayouts.IBV_CONTEXT, "ops.post_recv");
    public static final long CONTEXT_OPS_POST_SRQ_RECV = offset(IbvLayouts.IBV_CONTEXT, "ops.post_srq_recv");
    public static final long CONTEXT_OPS_POLL_CQ = offset(IbvLayouts.IBV_CONTEXT, "ops.poll_cq");
    public static final long CONTEXT_OPS_REQ_NOTIFY_CQ = offset(IbvLayouts.IBV_CONTEXT, "ops.req_notify_cq");

    public static final long SEND_WR_WR_ID = offset(IbvLayouts.IBV_SEND_WR, "wr_id");
    public static final long SEND_WR_NEXT = offset(IbvLayouts.IBV_SEND_WR, "next");
    public static final long SEND_WR_SG_LIST = offset(IbvLayouts.IBV_SEND_WR, "sg_list");
    public static final long SEND_WR_NUM_SGE = offset(IbvLayouts.IBV_SEND_WR, "num_sge");
    public static final long SEND_WR_OPCODE = offset(IbvLayouts.IBV_SEND_WR, "opcode");
    public static final long SEND_WR_SEND_FLAGS = offset(IbvLayouts.IBV_SEND_WR, "send_flags");
    public static final long SEND_WR_IMM_DATA = offset(IbvLayouts.IBV_SEND_WR, "$anon0.imm_data");
    public static final long SEND_WR_RDMA_REMOTE_ADDR = offset(IbvLayouts.IBV_SEND_WR, "wr.rdma.remote_addr");
    public static final long SEND_WR_RDMA_RKEY = offset(IbvLayouts.IBV_SEND_WR, "wr.rdma.rkey");

    public static final long RECV_WR_WR_ID = offset(IbvLayouts.IBV_RECV_WR, "wr_id");
    public static final long RECV_WR_NEXT = offset(IbvLayouts.IBV_RECV_WR, "next");
    public static final long RECV_WR_SG_LIST = offset(IbvLayouts.IBV_RECV_WR, "sg_list");
    public static final long RECV_WR_NUM_SGE = offset(IbvLayouts.IBV_RECV_WR, "num_sge");

    public static final long SGE_ADDR = offset(IbvLayouts.IBV_SGE, "addr");
    public static final long SGE_LENGTH = offset(IbvLayouts.IBV_SGE, "length");
    public static final long SGE_LKEY = offset(IbvLayouts.IBV_SGE, "lkey");

    public static final long WC_WR_ID = offset(IbvLayouts.IBV_WC, "wr_id");
    public static final long WC_STATUS = offset(IbvLayouts.IBV_WC, "status");
    public static final long WC_OPCODE = offset(IbvLayouts.IBV_WC, "opcode");
    public static final long WC_VENDOR_ERR = offset(IbvLayouts.IBV_WC, "vendor_err");
    public static final long WC_BYTE_LEN = offset(IbvLayouts.IBV_WC, "byte_len");
    public static final long WC_IMM_DATA = offset(IbvLayouts.IBV_WC, "$anon0.imm_data");
    public static final long WC_QP_NUM = offset(IbvLayouts.IBV_WC, "qp_num");
    public static final long WC_SRC_QP = offset(IbvLayouts.IBV_WC, "src_qp");
    public static final long WC_WC_FLAGS = offset(IbvLayouts.IBV_WC, "wc_flags");
}
