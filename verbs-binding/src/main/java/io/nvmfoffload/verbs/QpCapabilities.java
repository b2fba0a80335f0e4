package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.StructView;

/** {@code struct ibv_qp_cap}: the queue sizes a QP actually got (at least what was asked). */
public record QpCapabilities(int maxSendWr, int maxRecvWr, int maxSendSge, int maxRecvSge, int maxInlineData) {
    public static QpCapabilities from(StructView cap) {
        return new QpCapabilities(cap.s32("max_send_wr"), cap.s32("max_recv_wr"), cap.s32("max_send_sge"),
                cap.s32("max_recv_sge"), cap.s32("max_inline_data"));
    }
}
