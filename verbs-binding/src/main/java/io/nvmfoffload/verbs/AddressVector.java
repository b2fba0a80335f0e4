package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.StructView;

/**
 * {@code struct ibv_ah_attr}: how to reach the peer, needed to move an RC QP to RTR by hand (RoCE
 * needs the global route: the peer's GID and the local GID index). rdma_cm fills this in itself.
 */
public record AddressVector(int portNumber, int dlid, int serviceLevel, boolean global, Gid destinationGid,
                            int sourceGidIndex, int hopLimit, int trafficClass, int flowLabel) {

    /** A RoCE destination: the peer's GID through local GID {@code sourceGidIndex}. */
    public static AddressVector roce(int portNumber, Gid destinationGid, int sourceGidIndex) {
        return new AddressVector(portNumber, 0, 0, true, destinationGid, sourceGidIndex, 64, 0, 0);
    }

    void writeTo(StructView ah) {
        ah.setU16("dlid", dlid).setU8("sl", serviceLevel).setU8("port_num", portNumber).setU8("is_global", global ? 1 : 0);
        if (global) {
            ah.setBytes("grh.dgid", destinationGid.raw())
                    .setS32("grh.flow_label", flowLabel)
                    .setU8("grh.sgid_index", sourceGidIndex)
                    .setU8("grh.hop_limit", hopLimit)
                    .setU8("grh.traffic_class", trafficClass);
        }
    }

    static AddressVector from(StructView ah) {
        boolean global = ah.u8("is_global") != 0;
        return new AddressVector(ah.u8("port_num"), ah.u16("dlid"), ah.u8("sl"), global,
                new Gid(ah.bytes("grh.dgid", 16)), ah.u8("grh.sgid_index"), ah.u8("grh.hop_limit"),
                ah.u8("grh.traffic_class"), ah.s32("grh.flow_label"));
    }
}
