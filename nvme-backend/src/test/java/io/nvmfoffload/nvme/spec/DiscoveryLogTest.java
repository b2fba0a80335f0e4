package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DiscoveryLogTest {

    @Test
    void headerAndRdmaEntryLandAtSpecOffsets() {
        MemorySegment m = MemorySegment.ofArray(new byte[(int) DiscoveryLog.sizeFor(2)]);
        DiscoveryLog log = new DiscoveryLog().wrap(m, 0).genctr(9).numrec(2).recfmt(0);
        log.entry(1, new DiscoveryLog.Entry()).trtype(DiscoveryLog.TRTYPE_RDMA).adrfam(DiscoveryLog.ADRFAM_IPV4)
                .subtype(DiscoveryLog.SUBTYPE_NVME).treq(DiscoveryLog.TREQ_NOT_SPECIFIED).portid(3)
                .cntlid(DiscoveryLog.CNTLID_DYNAMIC).asqsz(32).trsvcid("4420").subnqn("nqn.2024-01.io.example:a")
                .traddr("192.0.2.10")
                .rdmaTsas(DiscoveryLog.RDMA_QPTYPE_RELIABLE_CONNECTED, DiscoveryLog.RDMA_PRTYPE_ROCEV2,
                        DiscoveryLog.RDMA_CMS_RDMA_CM, 0xFFFF);
        assertEquals(9, Le.u64(m, 0));
        assertEquals(2, Le.u64(m, 8));
        int e = 1024 + 1024;
        assertEquals(1, Le.u8(m, e));
        assertEquals(1, Le.u8(m, e + 1));
        assertEquals(2, Le.u8(m, e + 2));
        assertEquals(3, Le.u16(m, e + 4));
        assertEquals(0xFFFF, Le.u16(m, e + 6));
        assertEquals(32, Le.u16(m, e + 8));
        assertEquals('4', Le.u8(m, e + 32));
        assertEquals(' ', Le.u8(m, e + 36));
        assertEquals('n', Le.u8(m, e + 256));
        assertEquals('1', Le.u8(m, e + 512));
        assertEquals(1, Le.u8(m, e + 768));
        assertEquals(4, Le.u8(m, e + 769));
        assertEquals(1, Le.u8(m, e + 770));
        assertEquals(0xFFFF, Le.u16(m, e + 776));
        DiscoveryLog.Entry back = log.entry(1, new DiscoveryLog.Entry());
        assertEquals("4420", back.trsvcid());
        assertEquals("192.0.2.10", back.traddr());
        assertEquals("nqn.2024-01.io.example:a", back.subnqn());
    }
}
