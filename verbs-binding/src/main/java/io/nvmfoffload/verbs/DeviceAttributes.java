package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.StructView;

import java.util.Set;

/** {@code struct ibv_device_attr}: the device's limits and capabilities, as ibv_query_device reports them. */
public record DeviceAttributes(
        String firmwareVersion,
        long nodeGuid,
        long systemImageGuid,
        long maxMrSize,
        long pageSizeCap,
        int vendorId,
        int vendorPartId,
        int hardwareVersion,
        int maxQp,
        int maxQpWr,
        int deviceCapFlags,
        int maxSge,
        int maxSgeRd,
        int maxCq,
        int maxCqe,
        int maxMr,
        int maxPd,
        int maxQpRdAtom,
        int maxResRdAtom,
        int maxQpInitRdAtom,
        AtomicCapability atomicCapability,
        int maxMw,
        int maxMcastGroups,
        int maxMcastQpAttach,
        int maxAh,
        int maxSrq,
        int maxSrqWr,
        int maxSrqSge,
        int maxPkeys,
        int localCaAckDelay,
        int physicalPortCount) {

    static DeviceAttributes from(StructView a) {
        return new DeviceAttributes(
                a.string("fw_ver"),
                Guid.fromBigEndian(a.u64("node_guid")),
                Guid.fromBigEndian(a.u64("sys_image_guid")),
                a.u64("max_mr_size"),
                a.u64("page_size_cap"),
                a.s32("vendor_id"),
                a.s32("vendor_part_id"),
                a.s32("hw_ver"),
                a.s32("max_qp"),
                a.s32("max_qp_wr"),
                a.s32("device_cap_flags"),
                a.s32("max_sge"),
                a.s32("max_sge_rd"),
                a.s32("max_cq"),
                a.s32("max_cqe"),
                a.s32("max_mr"),
                a.s32("max_pd"),
                a.s32("max_qp_rd_atom"),
                a.s32("max_res_rd_atom"),
                a.s32("max_qp_init_rd_atom"),
                AtomicCapability.of(a.s32("atomic_cap")),
                a.s32("max_mw"),
                a.s32("max_mcast_grp"),
                a.s32("max_mcast_qp_attach"),
                a.s32("max_ah"),
                a.s32("max_srq"),
                a.s32("max_srq_wr"),
                a.s32("max_srq_sge"),
                a.u16("max_pkeys"),
                a.u8("local_ca_ack_delay"),
                a.u8("phys_port_cnt"));
    }

    /** The bits of {@link #deviceCapFlags()} this binding has names for. */
    public Set<DeviceCapability> capabilities() {
        return NativeEnums.flags(DeviceCapability.class, Integer.toUnsignedLong(deviceCapFlags));
    }

    /**
     * Whether a SEND_WITH_INV can invalidate the peer's rkey on arrival: the memory management
     * extensions (rxe has them). An NVMe-oF target answers a keyed SGL of the invalidate subtype
     * that way when this holds, which spares the host a LOCAL_INV per I/O.
     */
    public boolean canSendWithInvalidate() {
        return capabilities().contains(DeviceCapability.MEM_MGT_EXTENSIONS);
    }

    public String nodeGuidString() {
        return Guid.format(nodeGuid);
    }
}
