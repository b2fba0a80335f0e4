package io.nvmfoffload.softroce.target;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.target.TransportType;
import org.junit.jupiter.api.BeforeAll;

/** Our NVMe-oF/RDMA target on rxe0 and the kernel's nvme-rdma host. */
@InBed
class RdmaTargetWithKernelHostTest extends TargetWithKernelHostTestBase {
    @BeforeAll
    static void start() {
        startTarget(TransportType.RDMA);
    }
}
