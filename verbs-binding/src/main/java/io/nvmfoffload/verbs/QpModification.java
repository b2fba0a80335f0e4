package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.StructView;

import java.util.Set;

import static io.nvmfoffload.verbs.ffi.NativeConstants.*;

/**
 * One {@code ibv_modify_qp}: the attributes to set, each adding its bit to the attribute mask.
 *
 * <pre>{@code
 * qp.modify(QpModification.toState(QpState.INIT).pkeyIndex(0).port(1).access(Set.of(Access.REMOTE_WRITE)));
 * }</pre>
 */
public final class QpModification {
    private final QpState state;
    private int mask = IBV_QP_STATE;
    private QpState currentState;
    private int pkeyIndex;
    private int port;
    private int access;
    private Mtu pathMtu;
    private int destQpNumber;
    private int rqPsn;
    private int sqPsn;
    private int maxDestRdAtomic;
    private int maxRdAtomic;
    private int minRnrTimer;
    private int timeout;
    private int retryCount;
    private int rnrRetry;
    private int qkey;
    private boolean notifySqDrained;
    private AddressVector addressVector;

    private QpModification(QpState state) {
        this.state = state;
    }

    public static QpModification toState(QpState state) {
        return new QpModification(state);
    }

    public QpState targetState() {
        return state;
    }

    public int mask() {
        return mask;
    }

    public QpModification currentState(QpState s) {
        currentState = s;
        mask |= IBV_QP_CUR_STATE;
        return this;
    }

    public QpModification pkeyIndex(int index) {
        pkeyIndex = index;
        mask |= IBV_QP_PKEY_INDEX;
        return this;
    }

    public QpModification port(int portNumber) {
        port = portNumber;
        mask |= IBV_QP_PORT;
        return this;
    }

    public QpModification access(Set<Access> flags) {
        access = Access.mask(flags);
        mask |= IBV_QP_ACCESS_FLAGS;
        return this;
    }

    public QpModification pathMtu(Mtu mtu) {
        pathMtu = mtu;
        mask |= IBV_QP_PATH_MTU;
        return this;
    }

    public QpModification destQpNumber(int qpn) {
        destQpNumber = qpn;
        mask |= IBV_QP_DEST_QPN;
        return this;
    }

    public QpModification rqPsn(int psn) {
        rqPsn = psn;
        mask |= IBV_QP_RQ_PSN;
        return this;
    }

    public QpModification sqPsn(int psn) {
        sqPsn = psn;
        mask |= IBV_QP_SQ_PSN;
        return this;
    }

    public QpModification maxDestRdAtomic(int n) {
        maxDestRdAtomic = n;
        mask |= IBV_QP_MAX_DEST_RD_ATOMIC;
        return this;
    }

    public QpModification maxRdAtomic(int n) {
        maxRdAtomic = n;
        mask |= IBV_QP_MAX_QP_RD_ATOMIC;
        return this;
    }

    public QpModification minRnrTimer(int code) {
        minRnrTimer = code;
        mask |= IBV_QP_MIN_RNR_TIMER;
        return this;
    }

    /** Local ACK timeout, 4.096 us * 2^code. */
    public QpModification timeout(int code) {
        timeout = code;
        mask |= IBV_QP_TIMEOUT;
        return this;
    }

    public QpModification retryCount(int n) {
        retryCount = n;
        mask |= IBV_QP_RETRY_CNT;
        return this;
    }

    public QpModification rnrRetry(int n) {
        rnrRetry = n;
        mask |= IBV_QP_RNR_RETRY;
        return this;
    }

    public QpModification qkey(int key) {
        qkey = key;
        mask |= IBV_QP_QKEY;
        return this;
    }

    /** With {@link QpState#SQD}: raise IBV_EVENT_SQ_DRAINED once the send queue is drained. */
    public QpModification notifySqDrained(boolean on) {
        notifySqDrained = on;
        mask |= IBV_QP_EN_SQD_ASYNC_NOTIFY;
        return this;
    }

    public QpModification addressVector(AddressVector av) {
        addressVector = av;
        mask |= IBV_QP_AV;
        return this;
    }

    void writeTo(StructView attr) {
        attr.setS32("qp_state", state.value());
        if (currentState != null) {
            attr.setS32("cur_qp_state", currentState.value());
        }
        if (pathMtu != null) {
            attr.setS32("path_mtu", pathMtu.value());
        }
        attr.setS32("qkey", qkey)
                .setS32("rq_psn", rqPsn)
                .setS32("sq_psn", sqPsn)
                .setS32("dest_qp_num", destQpNumber)
                .setS32("qp_access_flags", access)
                .setU16("pkey_index", pkeyIndex)
                .setU8("en_sqd_async_notify", notifySqDrained ? 1 : 0)
                .setU8("max_rd_atomic", maxRdAtomic)
                .setU8("max_dest_rd_atomic", maxDestRdAtomic)
                .setU8("min_rnr_timer", minRnrTimer)
                .setU8("port_num", port)
                .setU8("timeout", timeout)
                .setU8("retry_cnt", retryCount)
                .setU8("rnr_retry", rnrRetry);
        if (addressVector != null) {
            addressVector.writeTo(attr.nested("ah_attr"));
        }
    }

    @Override
    public String toString() {
        return "modify to " + state + " with mask 0x" + Integer.toHexString(mask);
    }
}
