package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.verbs.DeviceAttributes;
import io.nvmfoffload.verbs.DeviceAttributesEx;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.DeviceReport;
import io.nvmfoffload.verbs.GidEntry;
import io.nvmfoffload.verbs.GidType;
import io.nvmfoffload.verbs.LinkLayer;
import io.nvmfoffload.verbs.NodeType;
import io.nvmfoffload.verbs.PortAttributes;
import io.nvmfoffload.verbs.PortState;
import io.nvmfoffload.verbs.RdmaDevice;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.IbvTransportType;
import io.nvmfoffload.verbs.Verbs;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@InBed
class RdmaDeviceQueryTest {
    @Test
    void verbsAreAvailableAndListRxe0AsAnInfinibandTransportCa() {
        assertTrue(Verbs.available(), Verbs.unavailableReason().orElse(""));
        RdmaDevice rxe = RdmaDevices.find(Rxe.DEVICE).orElseThrow(() -> new AssertionError("no rxe0 in " + RdmaDevices.list()));

        assertEquals(NodeType.CA, rxe.nodeType());
        assertEquals(IbvTransportType.IB, rxe.transportType());
        assertTrue(rxe.guid() != 0, "rxe0 should have a node GUID");
        assertTrue(rxe.guidString().matches("[0-9a-f]{4}(:[0-9a-f]{4}){3}"), rxe.guidString());
    }

    @Test
    void deviceAttributesAgreeWithTheGuidAndAreSane() {
        try (DeviceContext ctx = RdmaDevices.open(Rxe.DEVICE)) {
            DeviceAttributes a = ctx.queryDevice();

            assertEquals(ctx.device().guid(), a.nodeGuid());
            assertEquals(1, a.physicalPortCount());
            assertTrue(a.maxQp() > 1000 && a.maxQpWr() > 1000 && a.maxCqe() > 1000 && a.maxMr() > 1000, a.toString());
            assertTrue(a.maxSge() >= 4 && a.maxSrq() > 0 && a.maxSrqWr() > 0 && a.maxSrqSge() > 0, a.toString());
            assertTrue(a.maxPd() > 0 && a.maxCq() > 0, a.toString());
        }
    }

    @Test
    void extendedQueryGoesThroughTheProviderAndRepeatsTheBaseAttributes() {
        try (DeviceContext ctx = RdmaDevices.open(Rxe.DEVICE)) {
            DeviceAttributesEx ex = ctx.queryDeviceEx();

            assertTrue(ex.extendedQuerySupported(), "rxe implements query_device_ex");
            assertEquals(ctx.queryDevice(), ex.base());
            assertEquals(Integer.toUnsignedLong(ex.base().deviceCapFlags()), ex.deviceCapFlagsEx() & 0xffffffffL);
        }
    }

    @Test
    void portOneIsActiveEthernetWithTheRoceV2GidOfTheRxeAddress() throws Exception {
        try (DeviceContext ctx = RdmaDevices.open(Rxe.DEVICE)) {
            PortAttributes port = ctx.queryPort(1);

            assertEquals(PortState.ACTIVE, port.state());
            assertEquals("PORT_ACTIVE", port.stateName());
            assertEquals(LinkLayer.ETHERNET, port.linkLayer());
            assertTrue(port.activeMtu().bytes() >= 1024, port.toString());
            assertEquals(0, port.lid(), "RoCE ports have no LID");

            InetAddress address = InetAddress.getByName(Rxe.address());
            Optional<GidEntry> v2 = ctx.gidTable(1).stream()
                    .filter(g -> g.type().equals(Optional.of(GidType.ROCE_V2)) && g.gid().toInetAddress().equals(address))
                    .findFirst();
            assertTrue(v2.isPresent(), "no RoCE v2 GID for " + address + " in " + ctx.gidTable(1));
            assertEquals(v2.get().gid(), ctx.queryGid(1, v2.get().index()));
        }
    }

    @Test
    void aReportDescribesEveryPortInOneCall() {
        DeviceReport report = RdmaDevices.find(Rxe.DEVICE).orElseThrow().report();

        assertEquals(1, report.ports().size());
        assertTrue(report.ports().getFirst().gids().size() >= 1);
        assertTrue(report.toText().contains("port 1: PORT_ACTIVE, ETHERNET"), report.toText());
    }
}
