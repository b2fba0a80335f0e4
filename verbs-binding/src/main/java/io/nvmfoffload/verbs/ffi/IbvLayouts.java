package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;

import static io.nvmfoffload.verbs.ffi.CLayouts.anonymousUnion;
import static io.nvmfoffload.verbs.ffi.CLayouts.chars;
import static io.nvmfoffload.verbs.ffi.CLayouts.named;
import static io.nvmfoffload.verbs.ffi.CLayouts.offset;
import static io.nvmfoffload.verbs.ffi.CLayouts.opaqueWords;
import static io.nvmfoffload.verbs.ffi.CLayouts.ptr;
import static io.nvmfoffload.verbs.ffi.CLayouts.s32;
import static io.nvmfoffload.verbs.ffi.CLayouts.struct;
import static io.nvmfoffload.verbs.ffi.CLayouts.u16;
import static io.nvmfoffload.verbs.ffi.CLayouts.u32;
import static io.nvmfoffload.verbs.ffi.CLayouts.u64;
import static io.nvmfoffload.verbs.ffi.CLayouts.u8;
import static io.nvmfoffload.verbs.ffi.CLayouts.union;

/**
 * The libibverbs structs this binding reads or writes, declared in the order of
 * /usr/include/infiniband/verbs.h (rdma-core 44). Each is compared with gcc's view of the header
 * by {@code StructLayoutsMatchCHeadersTest}; a field added here is checked automatically.
 */
public final class IbvLayouts {
    private IbvLayouts() {}

    private static MemoryLayout pthreadMutex(String name) {
        return opaqueWords(name, 5);
    }

    private static MemoryLayout pthreadCond(String name) {
        return opaqueWords(name, 6);
    }

    public static final UnionLayout IBV_GID = union("ibv_gid",
            chars("raw", 16),
            struct("global", u64("subnet_prefix"), u64("interface_id")));

    public static final StructLayout IBV_GID_ENTRY = struct("ibv_gid_entry",
            named(IBV_GID, "gid"),
            u32("gid_index"),
            u32("port_num"),
            u32("gid_type"),
            u32("ndev_ifindex"));

    public static final StructLayout IBV_DEVICE_ATTR = struct("ibv_device_attr",
            chars("fw_ver", 64),
            u64("node_guid"),
            u64("sys_image_guid"),
            u64("max_mr_size"),
            u64("page_size_cap"),
            u32("vendor_id"),
            u32("vendor_part_id"),
            u32("hw_ver"),
            s32("max_qp"),
            s32("max_qp_wr"),
            u32("device_cap_flags"),
            s32("max_sge"),
            s32("max_sge_rd"),
            s32("max_cq"),
            s32("max_cqe"),
            s32("max_mr"),
            s32("max_pd"),
            s32("max_qp_rd_atom"),
            s32("max_ee_rd_atom"),
            s32("max_res_rd_atom"),
            s32("max_qp_init_rd_atom"),
            s32("max_ee_init_rd_atom"),
            s32("atomic_cap"),
            s32("max_ee"),
            s32("max_rdd"),
            s32("max_mw"),
            s32("max_raw_ipv6_qp"),
            s32("max_raw_ethy_qp"),
            s32("max_mcast_grp"),
            s32("max_mcast_qp_attach"),
            s32("max_total_mcast_qp_attach"),
            s32("max_ah"),
            s32("max_fmr"),
            s32("max_map_per_fmr"),
            s32("max_srq"),
            s32("max_srq_wr"),
            s32("max_srq_sge"),
            u16("max_pkeys"),
            u8("local_ca_ack_delay"),
            u8("phys_port_cnt"));

    public static final StructLayout IBV_QUERY_DEVICE_EX_INPUT = struct("ibv_query_device_ex_input",
            u32("comp_mask"));

    public static final StructLayout IBV_ODP_CAPS = struct("ibv_odp_caps",
            u64("general_caps"),
            struct("per_transport_caps", u32("rc_odp_caps"), u32("uc_odp_caps"), u32("ud_odp_caps")));

    public static final StructLayout IBV_TSO_CAPS = struct("ibv_tso_caps",
            u32("max_tso"), u32("supported_qpts"));

    public static final StructLayout IBV_RSS_CAPS = struct("ibv_rss_caps",
            u32("supported_qpts"),
            u32("max_rwq_indirection_tables"),
            u32("max_rwq_indirection_table_size"),
            u64("rx_hash_fields_mask"),
            u8("rx_hash_function"));

    public static final StructLayout IBV_PACKET_PACING_CAPS = struct("ibv_packet_pacing_caps",
            u32("qp_rate_limit_min"), u32("qp_rate_limit_max"), u32("supported_qpts"));

    public static final StructLayout IBV_TM_CAPS = struct("ibv_tm_caps",
            u32("max_rndv_hdr_size"), u32("max_num_tags"), u32("flags"), u32("max_ops"), u32("max_sge"));

    public static final StructLayout IBV_CQ_MODERATION_CAPS = struct("ibv_cq_moderation_caps",
            u16("max_cq_count"), u16("max_cq_period"));

    public static final StructLayout IBV_PCI_ATOMIC_CAPS = struct("ibv_pci_atomic_caps",
            u16("fetch_add"), u16("swap"), u16("compare_swap"));

    public static final StructLayout IBV_DEVICE_ATTR_EX = struct("ibv_device_attr_ex",
            named(IBV_DEVICE_ATTR, "orig_attr"),
            u32("comp_mask"),
            named(IBV_ODP_CAPS, "odp_caps"),
            u64("completion_timestamp_mask"),
            u64("hca_core_clock"),
            u64("device_cap_flags_ex"),
            named(IBV_TSO_CAPS, "tso_caps"),
            named(IBV_RSS_CAPS, "rss_caps"),
            u32("max_wq_type_rq"),
            named(IBV_PACKET_PACING_CAPS, "packet_pacing_caps"),
            u32("raw_packet_caps"),
            named(IBV_TM_CAPS, "tm_caps"),
            named(IBV_CQ_MODERATION_CAPS, "cq_mod_caps"),
            u64("max_dm_size"),
            named(IBV_PCI_ATOMIC_CAPS, "pci_atomic_caps"),
            u32("xrc_odp_caps"),
            u32("phys_port_cnt_ex"));

    public static final StructLayout IBV_PORT_ATTR = struct("ibv_port_attr",
            s32("state"),
            s32("max_mtu"),
            s32("active_mtu"),
            s32("gid_tbl_len"),
            u32("port_cap_flags"),
            u32("max_msg_sz"),
            u32("bad_pkey_cntr"),
            u32("qkey_viol_cntr"),
            u16("pkey_tbl_len"),
            u16("lid"),
            u16("sm_lid"),
            u8("lmc"),
            u8("max_vl_num"),
            u8("sm_sl"),
            u8("subnet_timeout"),
            u8("init_type_reply"),
            u8("active_width"),
            u8("active_speed"),
            u8("phys_state"),
            u8("link_layer"),
            u8("flags"),
            u16("port_cap_flags2"));

    public static final StructLayout IBV_ASYNC_EVENT = struct("ibv_async_event",
            union("element", ptr("cq"), ptr("qp"), ptr("srq"), ptr("wq"), s32("port_num")),
            s32("event_type"));

    public static final StructLayout IBV_WC = struct("ibv_wc",
            u64("wr_id"),
            s32("status"),
            s32("opcode"),
            u32("vendor_err"),
            u32("byte_len"),
            anonymousUnion(0, u32("imm_data"), u32("invalidated_rkey")),
            u32("qp_num"),
            u32("src_qp"),
            u32("wc_flags"),
            u16("pkey_index"),
            u16("slid"),
            u8("sl"),
            u8("dlid_path_bits"));

    public static final StructLayout IBV_PD = struct("ibv_pd",
            ptr("context"),
            u32("handle"));

    public static final StructLayout IBV_MR = struct("ibv_mr",
            ptr("context"),
            ptr("pd"),
            ptr("addr"),
            u64("length"),
            u32("handle"),
            u32("lkey"),
            u32("rkey"));

    public static final StructLayout IBV_GLOBAL_ROUTE = struct("ibv_global_route",
            named(IBV_GID, "dgid"),
            u32("flow_label"),
            u8("sgid_index"),
            u8("hop_limit"),
            u8("traffic_class"));

    public static final StructLayout IBV_AH_ATTR = struct("ibv_ah_attr",
            named(IBV_GLOBAL_ROUTE, "grh"),
            u16("dlid"),
            u8("sl"),
            u8("src_path_bits"),
            u8("static_rate"),
            u8("is_global"),
            u8("port_num"));

    public static final StructLayout IBV_SRQ_ATTR = struct("ibv_srq_attr",
            u32("max_wr"),
            u32("max_sge"),
            u32("srq_limit"));

    public static final StructLayout IBV_SRQ_INIT_ATTR = struct("ibv_srq_init_attr",
            ptr("srq_context"),
            named(IBV_SRQ_ATTR, "attr"));

    public static final StructLayout IBV_QP_CAP = struct("ibv_qp_cap",
            u32("max_send_wr"),
            u32("max_recv_wr"),
            u32("max_send_sge"),
            u32("max_recv_sge"),
            u32("max_inline_data"));

    public static final StructLayout IBV_QP_INIT_ATTR = struct("ibv_qp_init_attr",
            ptr("qp_context"),
            ptr("send_cq"),
            ptr("recv_cq"),
            ptr("srq"),
            named(IBV_QP_CAP, "cap"),
            s32("qp_type"),
            s32("sq_sig_all"));

    public static final StructLayout IBV_QP_ATTR = struct("ibv_qp_attr",
            s32("qp_state"),
            s32("cur_qp_state"),
            s32("path_mtu"),
            s32("path_mig_state"),
            u32("qkey"),
            u32("rq_psn"),
            u32("sq_psn"),
            u32("dest_qp_num"),
            u32("qp_access_flags"),
            named(IBV_QP_CAP, "cap"),
            named(IBV_AH_ATTR, "ah_attr"),
            named(IBV_AH_ATTR, "alt_ah_attr"),
            u16("pkey_index"),
            u16("alt_pkey_index"),
            u8("en_sqd_async_notify"),
            u8("sq_draining"),
            u8("max_rd_atomic"),
            u8("max_dest_rd_atomic"),
            u8("min_rnr_timer"),
            u8("port_num"),
            u8("timeout"),
            u8("retry_cnt"),
            u8("rnr_retry"),
            u8("alt_port_num"),
            u8("alt_timeout"),
            u32("rate_limit"));

    public static final StructLayout IBV_SGE = struct("ibv_sge",
            u64("addr"),
            u32("length"),
            u32("lkey"));

    public static final StructLayout IBV_MW_BIND_INFO = struct("ibv_mw_bind_info",
            ptr("mr"),
            u64("addr"),
            u64("length"),
            u32("mw_access_flags"));

    public static final StructLayout IBV_SEND_WR = struct("ibv_send_wr",
            u64("wr_id"),
            ptr("next"),
            ptr("sg_list"),
            s32("num_sge"),
            s32("opcode"),
            u32("send_flags"),
            anonymousUnion(0, u32("imm_data"), u32("invalidate_rkey")),
            union("wr",
                    struct("rdma", u64("remote_addr"), u32("rkey")),
                    struct("atomic", u64("remote_addr"), u64("compare_add"), u64("swap"), u32("rkey")),
                    struct("ud", ptr("ah"), u32("remote_qpn"), u32("remote_qkey"))),
            union("qp_type",
                    struct("xrc", u32("remote_srqn"))),
            anonymousUnion(1,
                    struct("bind_mw", ptr("mw"), u32("rkey"), named(IBV_MW_BIND_INFO, "bind_info")),
                    struct("tso", ptr("hdr"), u16("hdr_sz"), u16("mss"))));

    public static final StructLayout IBV_RECV_WR = struct("ibv_recv_wr",
            u64("wr_id"),
            ptr("next"),
            ptr("sg_list"),
            s32("num_sge"));

    public static final StructLayout IBV_SRQ = struct("ibv_srq",
            ptr("context"),
            ptr("srq_context"),
            ptr("pd"),
            u32("handle"),
            pthreadMutex("mutex"),
            pthreadCond("cond"),
            u32("events_completed"));

    public static final StructLayout IBV_QP = struct("ibv_qp",
            ptr("context"),
            ptr("qp_context"),
            ptr("pd"),
            ptr("send_cq"),
            ptr("recv_cq"),
            ptr("srq"),
            u32("handle"),
            u32("qp_num"),
            s32("state"),
            s32("qp_type"),
            pthreadMutex("mutex"),
            pthreadCond("cond"),
            u32("events_completed"));

    public static final StructLayout IBV_COMP_CHANNEL = struct("ibv_comp_channel",
            ptr("context"),
            s32("fd"),
            s32("refcnt"));

    public static final StructLayout IBV_CQ = struct("ibv_cq",
            ptr("context"),
            ptr("channel"),
            ptr("cq_context"),
            u32("handle"),
            s32("cqe"),
            pthreadMutex("mutex"),
            pthreadCond("cond"),
            u32("comp_events_completed"),
            u32("async_events_completed"));

    public static final StructLayout IBV_DEVICE = struct("ibv_device",
            struct("_ops", ptr("_dummy1"), ptr("_dummy2")),
            s32("node_type"),
            s32("transport_type"),
            chars("name", 64),
            chars("dev_name", 64),
            chars("dev_path", 256),
            chars("ibdev_path", 256));

    /** The provider's table of function pointers; the hot-path verbs are called through it. */
    public static final StructLayout IBV_CONTEXT_OPS = struct("ibv_context_ops",
            ptr("_compat_query_device"),
            ptr("_compat_query_port"),
            ptr("_compat_alloc_pd"),
            ptr("_compat_dealloc_pd"),
            ptr("_compat_reg_mr"),
            ptr("_compat_rereg_mr"),
            ptr("_compat_dereg_mr"),
            ptr("alloc_mw"),
            ptr("bind_mw"),
            ptr("dealloc_mw"),
            ptr("_compat_create_cq"),
            ptr("poll_cq"),
            ptr("req_notify_cq"),
            ptr("_compat_cq_event"),
            ptr("_compat_resize_cq"),
            ptr("_compat_destroy_cq"),
            ptr("_compat_create_srq"),
            ptr("_compat_modify_srq"),
            ptr("_compat_query_srq"),
            ptr("_compat_destroy_srq"),
            ptr("post_srq_recv"),
            ptr("_compat_create_qp"),
            ptr("_compat_query_qp"),
            ptr("_compat_modify_qp"),
            ptr("_compat_destroy_qp"),
            ptr("post_send"),
            ptr("post_recv"),
            ptr("_compat_create_ah"),
            ptr("_compat_destroy_ah"),
            ptr("_compat_attach_mcast"),
            ptr("_compat_detach_mcast"),
            ptr("_compat_async_event"));

    public static final StructLayout IBV_CONTEXT = struct("ibv_context",
            ptr("device"),
            named(IBV_CONTEXT_OPS, "ops"),
            s32("cmd_fd"),
            s32("async_fd"),
            s32("num_comp_vectors"),
            pthreadMutex("mutex"),
            ptr("abi_compat"));

    /**
     * The extended context that providers allocate around {@code struct ibv_context}; it ends with
     * the ibv_context itself, so it is found by subtracting the offset of {@code context}. The
     * static inline verbs (ibv_query_port, ibv_query_device_ex) look their function up here.
     */
    public static final StructLayout VERBS_CONTEXT = struct("verbs_context",
            ptr("query_port"),
            ptr("advise_mr"),
            ptr("alloc_null_mr"),
            ptr("read_counters"),
            ptr("attach_counters_point_flow"),
            ptr("create_counters"),
            ptr("destroy_counters"),
            ptr("reg_dm_mr"),
            ptr("alloc_dm"),
            ptr("free_dm"),
            ptr("modify_flow_action_esp"),
            ptr("destroy_flow_action"),
            ptr("create_flow_action_esp"),
            ptr("modify_qp_rate_limit"),
            ptr("alloc_parent_domain"),
            ptr("dealloc_td"),
            ptr("alloc_td"),
            ptr("modify_cq"),
            ptr("post_srq_ops"),
            ptr("destroy_rwq_ind_table"),
            ptr("create_rwq_ind_table"),
            ptr("destroy_wq"),
            ptr("modify_wq"),
            ptr("create_wq"),
            ptr("query_rt_values"),
            ptr("create_cq_ex"),
            ptr("priv"),
            ptr("query_device_ex"),
            ptr("ibv_destroy_flow"),
            ptr("ABI_placeholder2"),
            ptr("ibv_create_flow"),
            ptr("ABI_placeholder1"),
            ptr("open_qp"),
            ptr("create_qp_ex"),
            ptr("get_srq_num"),
            ptr("create_srq_ex"),
            ptr("open_xrcd"),
            ptr("close_xrcd"),
            u64("_ABI_placeholder3"),
            u64("sz"),
            named(IBV_CONTEXT, "context"));

    /** Every layout above with its C type name, for the layout test. */
    public static final java.util.List<CType> TYPES = java.util.List.of(
            CType.union("ibv_gid", IBV_GID),
            CType.struct("ibv_gid_entry", IBV_GID_ENTRY),
            CType.struct("ibv_device_attr", IBV_DEVICE_ATTR),
            CType.struct("ibv_query_device_ex_input", IBV_QUERY_DEVICE_EX_INPUT),
            CType.struct("ibv_odp_caps", IBV_ODP_CAPS),
            CType.struct("ibv_tso_caps", IBV_TSO_CAPS),
            CType.struct("ibv_rss_caps", IBV_RSS_CAPS),
            CType.struct("ibv_packet_pacing_caps", IBV_PACKET_PACING_CAPS),
            CType.struct("ibv_tm_caps", IBV_TM_CAPS),
            CType.struct("ibv_cq_moderation_caps", IBV_CQ_MODERATION_CAPS),
            CType.struct("ibv_pci_atomic_caps", IBV_PCI_ATOMIC_CAPS),
            CType.struct("ibv_device_attr_ex", IBV_DEVICE_ATTR_EX),
            CType.struct("ibv_port_attr", IBV_PORT_ATTR),
            CType.struct("ibv_async_event", IBV_ASYNC_EVENT),
            CType.struct("ibv_wc", IBV_WC),
            CType.struct("ibv_pd", IBV_PD),
            CType.struct("ibv_mr", IBV_MR),
            CType.struct("ibv_global_route", IBV_GLOBAL_ROUTE),
            CType.struct("ibv_ah_attr", IBV_AH_ATTR),
            CType.struct("ibv_srq_attr", IBV_SRQ_ATTR),
            CType.struct("ibv_srq_init_attr", IBV_SRQ_INIT_ATTR),
            CType.struct("ibv_qp_cap", IBV_QP_CAP),
            CType.struct("ibv_qp_init_attr", IBV_QP_INIT_ATTR),
            CType.struct("ibv_qp_attr", IBV_QP_ATTR),
            CType.struct("ibv_sge", IBV_SGE),
            CType.struct("ibv_mw_bind_info", IBV_MW_BIND_INFO),
            CType.struct("ibv_send_wr", IBV_SEND_WR),
            CType.struct("ibv_recv_wr", IBV_RECV_WR),
            CType.struct("ibv_srq", IBV_SRQ),
            CType.struct("ibv_qp", IBV_QP),
            CType.struct("ibv_comp_channel", IBV_COMP_CHANNEL),
            CType.struct("ibv_cq", IBV_CQ),
            CType.struct("ibv_device", IBV_DEVICE),
            CType.struct("ibv_context_ops", IBV_CONTEXT_OPS),
            CType.struct("ibv_context", IBV_CONTEXT),
            CType.struct("verbs_context", VERBS_CONTEXT));
}
