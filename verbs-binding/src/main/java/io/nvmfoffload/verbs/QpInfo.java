package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.StructView;

import java.util.Set;

/** What {@code ibv_query_qp} reports about a QP. */
public record QpInfo(
        QpState state,
        QpState currentState,
        Mtu pathMtu,
        int qkey,
        int rqPsn,
        int sqPsn,
        int destQpNumber,
        Set<Access> access,
        QpCapabilities capabilities,
        AddressVector addressVector,
        int pkeyIndex,
        int portNumber,
        int timeout,
        int retryCount,
        int rnrRetry,
        int minRnrTimer,
        int maxRdAtomic,
        int maxDestRdAtomic,
        boolean sqDraining) {

    static QpInfo from(StructView a) {
        return new QpInfo(
                QpState.of(a.s32("qp_state")),
                QpState.of(a.s32("cur_qp_state")),
                Mtu.of(a.s32("path_mtu")),
                a.s32("qkey"),
                a.s32("rq_psn"),
                a.s32("sq_psn"),
                a.s32("dest_qp_num"),
                NativeEnums.flags(Access.class, a.u32("qp_access_flags")),
                QpCapabilities.from(a.nested("cap")),
                AddressVector.from(a.nested("ah_attr")),
                a.u16("pkey_index"),
                a.u8("port_num"),
                a.u8("timeout"),
                a.u8("retry_cnt"),
                a.u8("rnr_retry"),
                a.u8("min_rnr_timer"),
                a.u8("max_rd_atomic"),
                a.u8("max_dest_rd_atomic"),
                a.u8("sq_draining") != 0);
    }
}
