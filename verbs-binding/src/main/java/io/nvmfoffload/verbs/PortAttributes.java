package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.StructView;

/** {@code struct ibv_port_attr} of one port, as ibv_query_port reports it. */
public record PortAttributes(
        int portNumber,
        PortState state,
        Mtu maxMtu,
        Mtu activeMtu,
        int gidTableLength,
        int portCapFlags,
        long maxMessageSize,
        int pkeyTableLength,
        int lid,
        int smLid,
        int lmc,
        int activeWidth,
        int activeSpeed,
        int physicalState,
        LinkLayer linkLayer,
        int portCapFlags2) {

    static PortAttributes from(int port, StructView a) {
        return new PortAttributes(
                port,
                PortState.of(a.s32("state")),
                Mtu.of(a.s32("max_mtu")),
                Mtu.of(a.s32("active_mtu")),
                a.s32("gid_tbl_len"),
                a.s32("port_cap_flags"),
                a.u32("max_msg_sz"),
                a.u16("pkey_tbl_len"),
                a.u16("lid"),
                a.u16("sm_lid"),
                a.u8("lmc"),
                a.u8("active_width"),
                a.u8("active_speed"),
                a.u8("phys_state"),
                LinkLayer.of(a.u8("link_layer")),
                a.u16("port_cap_flags2"));
    }

    /** The state as ibv_devinfo spells it, e.g. "PORT_ACTIVE". */
    public String stateName() {
        return state == null ? "unknown state" : "PORT_" + state.name();
    }

    /** Lanes of the link: 1X, 2X, 4X, 8X or 12X (IBTA encoding of {@code active_width}). */
    public String widthName() {
        return switch (activeWidth) {
            case 1 -> "1X";
            case 16 -> "2X";
            case 2 -> "4X";
            case 4 -> "8X";
            case 8 -> "12X";
            default -> "width " + activeWidth;
        };
    }

    /** Per-lane signalling rate (IBTA encoding of {@code active_speed}), e.g. "25.0 Gbps (EDR)". */
    public String speedName() {
        return switch (activeSpeed) {
            case 1 -> "2.5 Gbps (SDR)";
            case 2 -> "5.0 Gbps (DDR)";
            case 4, 8 -> "10.0 Gbps (QDR/FDR10)";
            case 16 -> "14.0 Gbps (FDR)";
            case 32 -> "25.0 Gbps (EDR)";
            case 64 -> "50.0 Gbps (HDR)";
            case 128 -> "100.0 Gbps (NDR)";
            default -> "speed " + activeSpeed;
        };
    }
}
