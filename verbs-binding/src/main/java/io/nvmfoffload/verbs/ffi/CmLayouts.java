package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.util.List;

import static io.nvmfoffload.verbs.ffi.CLayouts.anonymousUnion;
import static io.nvmfoffload.verbs.ffi.CLayouts.chars;
import static io.nvmfoffload.verbs.ffi.CLayouts.named;
import static io.nvmfoffload.verbs.ffi.CLayouts.offset;
import static io.nvmfoffload.verbs.ffi.CLayouts.ptr;
import static io.nvmfoffload.verbs.ffi.CLayouts.s32;
import static io.nvmfoffload.verbs.ffi.CLayouts.struct;
import static io.nvmfoffload.verbs.ffi.CLayouts.u16;
import static io.nvmfoffload.verbs.ffi.CLayouts.u32;
import static io.nvmfoffload.verbs.ffi.CLayouts.u64;
import static io.nvmfoffload.verbs.ffi.CLayouts.u8;
import static io.nvmfoffload.verbs.ffi.CLayouts.union;

/** The socket-address and librdmacm structs the binding uses, as /usr/include/rdma/rdma_cma.h declares them. */
public final class CmLayouts {
    private CmLayouts() {}

    public static final StructLayout SOCKADDR = struct("sockaddr",
            u16("sa_family"),
            chars("sa_data", 14));

    public static final StructLayout SOCKADDR_IN = struct("sockaddr_in",
            u16("sin_family"),
            u16("sin_port"),
            struct("sin_addr", u32("s_addr")),
            chars("sin_zero", 8));

    public static final StructLayout SOCKADDR_IN6 = struct("sockaddr_in6",
            u16("sin6_family"),
            u16("sin6_port"),
            u32("sin6_flowinfo"),
            chars("sin6_addr", 16),
            u32("sin6_scope_id"));

    /** 128 bytes, 8-byte aligned: large enough for any address family. */
    public static final StructLayout SOCKADDR_STORAGE = struct("sockaddr_storage",
            u16("ss_family"),
            chars("__ss_padding", 118),
            u64("__ss_align"));

    public static final StructLayout RDMA_IB_ADDR = struct("rdma_ib_addr",
            named(IbvLayouts.IBV_GID, "sgid"),
            named(IbvLayouts.IBV_GID, "dgid"),
            u16("pkey"));

    public static final StructLayout RDMA_ADDR = struct("rdma_addr",
            anonymousUnion(0,
                    named(SOCKADDR, "src_addr"),
                    named(SOCKADDR_IN, "src_sin"),
                    named(SOCKADDR_IN6, "src_sin6"),
                    named(SOCKADDR_STORAGE, "src_storage")),
            anonymousUnion(1,
                    named(SOCKADDR, "dst_addr"),
                    named(SOCKADDR_IN, "dst_sin"),
                    named(SOCKADDR_IN6, "dst_sin6"),
                    named(SOCKADDR_STORAGE, "dst_storage")),
            union("addr", named(RDMA_IB_ADDR, "ibaddr")));

    public static final StructLayout RDMA_ROUTE = struct("rdma_route",
            named(RDMA_ADDR, "addr"),
            ptr("path_rec"),
            s32("num_paths"));

    public static final StructLayout RDMA_EVENT_CHANNEL = struct("rdma_event_channel",
            s32("fd"));

    public static final StructLayout RDMA_CM_ID = struct("rdma_cm_id",
            ptr("verbs"),
            ptr("channel"),
            ptr("context"),
            ptr("qp"),
            named(RDMA_ROUTE, "route"),
            s32("ps"),
            u8("port_num"),
            ptr("event"),
            ptr("send_cq_channel"),
            ptr("send_cq"),
            ptr("recv_cq_channel"),
            ptr("recv_cq"),
            ptr("srq"),
            ptr("pd"),
            s32("qp_type"));

    public static final StructLayout RDMA_CONN_PARAM = struct("rdma_conn_param",
            ptr("private_data"),
            u8("private_data_len"),
            u8("responder_resources"),
            u8("initiator_depth"),
            u8("flow_control"),
            u8("retry_count"),
            u8("rnr_retry_count"),
            u8("srq"),
            u32("qp_num"));

    public static final StructLayout RDMA_UD_PARAM = struct("rdma_ud_param",
            ptr("private_data"),
            u8("private_data_len"),
            named(IbvLayouts.IBV_AH_ATTR, "ah_attr"),
            u32("qp_num"),
            u32("qkey"));

    public static final UnionLayout RDMA_CM_EVENT_PARAM = union("param",
            named(RDMA_CONN_PARAM, "conn"),
            named(RDMA_UD_PARAM, "ud"));

    public static final StructLayout RDMA_CM_EVENT = struct("rdma_cm_event",
            ptr("id"),
            ptr("listen_id"),
            s32("event"),
            s32("status"),
            RDMA_CM_EVENT_PARAM);

    public static final List<CType> TYPES = List.of(
            CType.netStruct("sockaddr", SOCKADDR),
            CType.netStruct("sockaddr_in", SOCKADDR_IN),
            CType.netStruct("sockaddr_in6", SOCKADDR_IN6),
            CType.netStruct("sockaddr_storage", SOCKADDR_STORAGE),
            CType.cmStruct("rdma_ib_addr", RDMA_IB_ADDR),
            CType.cmStruct("rdma_addr", RDMA_ADDR),
            CType.cmStruct("rdma_route", RDMA_ROUTE),
            CType.cmStruct("rdma_event_channel", RDMA_EVENT_CHANNEL),
            CType.cmStruct("rdma_cm_id", RDMA_CM_ID),
            CType.cmStruct("rdma_conn_param", RDMA_CONN_PARAM),
            CType.cmStruct("rdma_ud_param", RDMA_UD_PARAM),
            CType.cmStruct("rdma_cm_event", RDMA_CM_EVENT));

    public static final long CM_ID_VERBS = offset(RDMA_CM_ID, "verbs");
    public static final long CM_ID_QP = offset(RDMA_CM_ID, "qp");
    public static final long CM_ID_PORT_NUM = offset(RDMA_CM_ID, "port_num");
    public static final long CM_ID_SRC_ADDR = offset(RDMA_CM_ID, "route.addr.$anon0.src_storage");
    public static final long CM_ID_DST_ADDR = offset(RDMA_CM_ID, "route.addr.$anon1.dst_storage");
    public static final long CM_EVENT_ID = offset(RDMA_CM_EVENT, "id");
    public static final long CM_EVENT_LISTEN_ID = offset(RDMA_CM_EVENT, "listen_id");
    public static final long CM_EVENT_EVENT = offset(RDMA_CM_EVENT, "event");
    public static final long CM_EVENT_STATUS = offset(RDMA_CM_EVENT, "status");
    public static final long CM_EVENT_CONN = offset(RDMA_CM_EVENT, "param.conn");
}
