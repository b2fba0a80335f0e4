package io.nvmfoffload.softroce.target;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.nvmf.TransportType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our NVMe-oF/RDMA target on rxe0 and the kernel's nvme-rdma host. */
@InBed
class RdmaTargetWithKernelHostTest extends TargetWithKernelHostTestBase {
    @BeforeAll
    static void start() {
        startTarget(TransportType.RDMA);
    }

    /**
     * The kernel host registers each I/O's memory and marks its keyed SGL "invalidate" (subtype
     * Fh); rxe has the memory management extensions, so each response goes out as SEND_WITH_INV
     * with that rkey, as nvmet-rdma does. A wrong key would make the host log a bogus remote
     * invalidation and reset the controller; fio verify would see it.
     */
    @Test
    @Order(10)
    void responsesInvalidateTheHostsKeyRemotely() {
        long before = server.rdmaListeners().get(0).remoteInvalidations();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            FioResult fio = Fio.job("rdma-send-inv", c.blockDevices().get(0)).verifiedRandomWrite("16k", "8M", 8).run();
            assertEquals(0, fio.error(), "fio verify with remote invalidation");
        }
        long sent = server.rdmaListeners().get(0).remoteInvalidations() - before;
        System.out.println("responses sent with remote invalidation: " + sent);
        assertTrue(sent >= 1024, "every write and verify read (512 each) answered with SEND_WITH_INV, was " + sent);
        assertFalse(KernelNvmeHost.loggedBogusRemoteInvalidation(), "the host saw a wrong rkey invalidated");
    }
}
