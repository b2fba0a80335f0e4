package io.nvmfoffload.verbs;

import java.util.List;

/** Everything a query of one device returns: attributes, extended attributes, and each port with its GIDs. */
public record DeviceReport(RdmaDevice device, DeviceAttributes attributes, DeviceAttributesEx extendedAttributes,
                           List<PortReport> ports) {

    /** One port's attributes and its valid GID table entries. */
    public record PortReport(PortAttributes attributes, List<GidEntry> gids) {}

    /** A multi-line summary in the spirit of ibv_devinfo. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        DeviceAttributes a = attributes;
        sb.append(device.name()).append(": ").append(device.nodeType()).append(", transport ")
                .append(device.transportType()).append(", node GUID ").append(device.guidString()).append('\n')
                .append("  fw_ver ").append(a.firmwareVersion()).append(", vendor 0x").append(Integer.toHexString(a.vendorId()))
                .append(" part ").append(a.vendorPartId()).append(", ports ").append(a.physicalPortCount()).append('\n')
                .append("  max_qp ").append(a.maxQp()).append(", max_qp_wr ").append(a.maxQpWr())
                .append(", max_sge ").append(a.maxSge()).append(", max_cq ").append(a.maxCq())
                .append(", max_cqe ").append(a.maxCqe()).append(", max_mr ").append(a.maxMr())
                .append(", max_pd ").append(a.maxPd()).append('\n')
                .append("  max_srq ").append(a.maxSrq()).append(", max_srq_wr ").append(a.maxSrqWr())
                .append(", max_srq_sge ").append(a.maxSrqSge()).append(", atomic ").append(a.atomicCapability())
                .append(", max_qp_rd_atom ").append(a.maxQpRdAtom()).append('\n');
        for (PortReport p : ports) {
            PortAttributes pa = p.attributes();
            sb.append("  port ").append(pa.portNumber()).append(": ").append(pa.stateName())
                    .append(", ").append(pa.linkLayer()).append(", active MTU ")
                    .append(pa.activeMtu() == null ? "?" : pa.activeMtu().bytes())
                    .append(", LID ").append(pa.lid()).append(", ").append(pa.widthName()).append(" x ")
                    .append(pa.speedName()).append('\n');
            for (GidEntry g : p.gids()) {
                sb.append("    ").append(g).append('\n');
            }
        }
        return sb.toString();
    }
}
