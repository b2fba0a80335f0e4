package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.StructView;

/**
 * {@code struct ibv_device_attr_ex}, from the provider's {@code query_device_ex}. When the provider
 * has none, {@link #extendedQuerySupported()} is false and only {@link #base()} is filled, as the
 * inline ibv_query_device_ex falls back to ibv_query_device.
 */
public record DeviceAttributesEx(
        DeviceAttributes base,
        boolean extendedQuerySupported,
        long deviceCapFlagsEx,
        long odpGeneralCaps,
        int odpRcCaps,
        int odpUcCaps,
        int odpUdCaps,
        long completionTimestampMask,
        long hcaCoreClockKhz,
        int maxTso,
        int maxWqTypeRq,
        int rawPacketCaps,
        int tagMatchingMaxNumTags,
        int cqModerationMaxCount,
        int cqModerationMaxPeriodUs,
        long maxDmSize,
        int xrcOdpCaps,
        int physicalPortCountEx) {

    static DeviceAttributesEx from(StructView a, boolean extended) {
        return new DeviceAttributesEx(
                DeviceAttributes.from(a.nested("orig_attr")),
                extended,
                a.u64("device_cap_flags_ex"),
                a.u64("odp_caps.general_caps"),
                a.s32("odp_caps.per_transport_caps.rc_odp_caps"),
                a.s32("odp_caps.per_transport_caps.uc_odp_caps"),
                a.s32("odp_caps.per_transport_caps.ud_odp_caps"),
                a.u64("completion_timestamp_mask"),
                a.u64("hca_core_clock"),
                a.s32("tso_caps.max_tso"),
                a.s32("max_wq_type_rq"),
                a.s32("raw_packet_caps"),
                a.s32("tm_caps.max_num_tags"),
                a.u16("cq_mod_caps.max_cq_count"),
                a.u16("cq_mod_caps.max_cq_period"),
                a.u64("max_dm_size"),
                a.s32("xrc_odp_caps"),
                a.s32("phys_port_cnt_ex"));
    }
}
