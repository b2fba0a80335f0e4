package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.MemorySegment;

/** {@code struct ibv_qp_cap}: the queue sizes a QP actually got (at least what was asked). */
public record QpCapabilities(int maxSendWr, int maxRecvWr, int maxSendSge, int maxRecvSge, int maxInlineData) {
    /** What the provider granted, from the {@code struct ibv_qp_init_attr} of {@link QpInitAttributes#toNative} after creation. */
    public static QpCapabilities granted(MemorySegment initAttributes) {
        return from(new StructView(initAttributes, IbvLayouts.IBV_QP_INIT_ATTR).nested("cap"));
    }

    static QpCapabilities from(StructView cap) {
        return new QpCapabilities(cap.s32("max_send_wr"), cap.s32("max_recv_wr"), cap.s32("max_send_sge"),
                cap.s32("max_recv_sge"), cap.s32("max_inline_data"));
    }
}
