package io.nvmfoffload.nvme.driver;

import io.nvmfoffload.nvme.emu.DmaRegion;
import io.nvmfoffload.nvme.emu.DmaSpace;
import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.FeatureId;
import io.nvmfoffload.nvme.spec.IdentifyCns;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import io.nvmfoffload.nvme.spec.PrpListBuilder;
import io.nvmfoffload.nvme.spec.StatusField;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A minimal NVMe host driver over a controller's register block: the enable and shutdown
 * sequences, synchronous admin commands, and I/O queue pair creation. Enough for tests, the
 * benchmark, and an offload engine's control path to bring up a backend controller.
 *
 * <p>{@code pump} runs while waiting: {@code controller::poll} drives an emulated controller
 * deterministically; {@code Thread::onSpinWait} suits a controller with its own device thread.
 */
public final class NvmeHost implements AutoCloseable {
    /** The outcome of a command: its 15-bit status and completion dword 0. */
    public record Completion(int status, int dw0) {
        public boolean isSuccess() {
            return StatusField.isSuccess(status);
        }

        public NvmeStatus named() {
            return NvmeStatus.lookup(status);
        }

        @Override
        public String toString() {
            return StatusField.describe(status) + ", dw0=" + Integer.toHexString(dw0);
        }
    }

    private final ControllerRegisters regs;
    private final DmaSpace dma;
    private final Runnable pump;
    private final Duration timeout;
    private final int dstrd;
    private final int pageSize = 4096;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment dataBuffer;
    private final MemorySegment prpList;
    private final DmaRegion dataRegion;
    private final DmaRegion prpRegion;
    private HostQueuePair admin;
    private int nextCid;

    public NvmeHost(ControllerRegisters regs, DmaSpace dma, Runnable pump, Duration timeout) {
        this.regs = regs;
        this.dma = dma;
        this.pump = pump;
        this.timeout = timeout;
        this.dstrd = ControllerRegisters.capDstrd(regs.cap());
        this.dataBuffer = arena.allocate(64 * 1024, pageSize);
        this.prpList = arena.allocate(pageSize, pageSize);
        this.dataRegion = dma.register(dataBuffer);
        this.prpRegion = dma.register(prpList);
    }

    public ControllerRegisters registers() {
        return regs;
    }

    public int doorbellStride() {
        return dstrd;
    }

    public int pageSize() {
        return pageSize;
    }

    public HostQueuePair admin() {
        return admin;
    }

    /** A 64 KiB DMA-registered buffer that admin helpers use for data; valid until the next command. */
    public MemorySegment dataBuffer() {
        return dataBuffer;
    }

    /**
     * Programs AQA/ASQ/ACQ, sets CC.EN and waits for CSTS.RDY.
     *
     * @throws IllegalStateException with CSTS if the controller does not become ready or reports CFS
     */
    public void enable(int adminEntries) {
        if (admin != null) {
            admin.close();
        }
        admin = new HostQueuePair(0, adminEntries, regs, dstrd, dma, pageSize);
        regs.aqa(ControllerRegisters.aqa(adminEntries, adminEntries));
        regs.asq(admin.sqAddress());
        regs.acq(admin.cqAddress());
        regs.cc(ControllerRegisters.ccEnable(0, 6, 4));
        waitFor(() -> ControllerRegisters.cstsRdy(regs.csts()) || ControllerRegisters.cstsCfs(regs.csts()), "CSTS.RDY after CC.EN");
        if (ControllerRegisters.cstsCfs(regs.csts())) {
            throw new IllegalStateException("controller reported fatal status (CSTS=" + Integer.toHexString(regs.csts())
                    + ") during enable");
        }
    }

    /** Clears CC.EN and waits for CSTS.RDY to clear: a controller reset. */
    public void disable() {
        regs.cc(regs.cc() & ~ControllerRegisters.CC_EN);
        waitFor(() -> !ControllerRegisters.cstsRdy(regs.csts()), "CSTS.RDY to clear after CC.EN cleared");
    }

    /** Normal shutdown: CC.SHN = 01b, then waits for CSTS.SHST = 10b. */
    public void shutdown() {
        regs.cc(regs.cc() & ~ControllerRegisters.CC_SHN_MASK
                | ControllerRegisters.CC_SHN_NORMAL << ControllerRegisters.CC_SHN_SHIFT);
        waitFor(() -> ControllerRegisters.cstsShst(regs.csts()) == ControllerRegisters.CSTS_SHST_COMPLETE,
                "CSTS.SHST = shutdown complete");
    }

    /** Submits one admin command built by {@code fill} (CID is assigned here) and waits for it. */
    public Completion adminCommand(Consumer<SubmissionQueueEntry> fill) {
        return execute(admin, fill);
    }

    /** Submits one command on {@code qp} and waits for its completion; other completions on the queue are not expected. */
    public Completion execute(HostQueuePair qp, Consumer<SubmissionQueueEntry> fill) {
        SubmissionQueueEntry sqe = qp.nextSubmission();
        if (sqe == null) {
            throw new IllegalStateException("queue " + qp.qid() + " is full");
        }
        fill.accept(sqe);
        int cid = nextCid++ & 0xFFFF;
        sqe.cid(cid);
        qp.submit();
        CompletionQueueEntry[] got = new CompletionQueueEntry[1];
        waitFor(() -> (got[0] = qp.peekCompletion()) != null, "the completion of CID " + cid + " on queue " + qp.qid());
        CompletionQueueEntry cqe = got[0];
        if (cqe.cid() != cid) {
            throw new IllegalStateException("queue " + qp.qid() + ": expected completion of CID " + cid + ", got " + cqe);
        }
        Completion c = new Completion(cqe.status(), cqe.dw0());
        qp.release();
        return c;
    }

    /** Points a command's PRPs at {@code bytes} of this host's data buffer. */
    public void useDataBuffer(SubmissionQueueEntry sqe, long bytes) {
        if (bytes > dataBuffer.byteSize()) {
            throw new IllegalArgumentException(bytes + " bytes exceed the " + dataBuffer.byteSize() + "-byte host data buffer");
        }
        PrpListBuilder.fill(sqe, dataRegion.base(), bytes, pageSize, prpList);
    }

    /** Identify into the data buffer; returns a 4096-byte view of it. */
    public MemorySegment identify(int cns, int nsid) {
        Completion c = adminCommand(s -> {
            s.opcode(AdminOpcode.IDENTIFY).nsid(nsid).cdw10(cns);
            useDataBuffer(s, 4096);
        });
        requireSuccess(c, "Identify CNS " + cns + " NSID " + nsid);
        return dataBuffer.asSlice(0, 4096);
    }

    public MemorySegment identifyController() {
        return identify(IdentifyCns.CONTROLLER, 0);
    }

    /** Get Log Page into the data buffer; returns a view of {@code bytes} of it. */
    public MemorySegment getLogPage(int lid, int nsid, int bytes) {
        Completion c = adminCommand(s -> {
            s.opcode(AdminOpcode.GET_LOG_PAGE).nsid(nsid).logPage(lid, bytes, 0);
            useDataBuffer(s, bytes);
        });
        requireSuccess(c, "Get Log Page " + lid);
        return dataBuffer.asSlice(0, bytes);
    }

    /** Set Features Number of Queues; returns the allocation (dword 0). */
    public int setNumberOfQueues(int sqs, int cqs) {
        Completion c = adminCommand(s -> s.opcode(AdminOpcode.SET_FEATURES).cdw10(FeatureId.NUMBER_OF_QUEUES)
                .cdw11(FeatureId.numberOfQueues(sqs, cqs)));
        requireSuccess(c, "Set Features Number of Queues");
        return c.dw0();
    }

    /** Creates CQ {@code qid} then SQ {@code qid} on it. */
    public HostQueuePair createIoQueuePair(int qid, int entries) {
        HostQueuePair qp = new HostQueuePair(qid, entries, regs, dstrd, dma, pageSize);
        try {
            requireSuccess(createCompletionQueue(qid, entries, qp.cqAddress()), "Create I/O CQ " + qid);
            requireSuccess(createSubmissionQueue(qid, entries, qp.sqAddress(), qid), "Create I/O SQ " + qid);
            return qp;
        } catch (RuntimeException e) {
            qp.close();
            throw e;
        }
    }

    public Completion createCompletionQueue(int qid, int entries, long address) {
        return adminCommand(s -> s.opcode(AdminOpcode.CREATE_IO_CQ).prp1(address)
                .cdw10(qid | (entries - 1) << 16).cdw11(1));
    }

    public Completion createSubmissionQueue(int qid, int entries, long address, int cqid) {
        return adminCommand(s -> s.opcode(AdminOpcode.CREATE_IO_SQ).prp1(address)
                .cdw10(qid | (entries - 1) << 16).cdw11(1 | cqid << 16));
    }

    public Completion deleteSubmissionQueue(int qid) {
        return adminCommand(s -> s.opcode(AdminOpcode.DELETE_IO_SQ).cdw10(qid));
    }

    public Completion deleteCompletionQueue(int qid) {
        return adminCommand(s -> s.opcode(AdminOpcode.DELETE_IO_CQ).cdw10(qid));
    }

    /** Deletes the SQ then the CQ of {@code qp} and frees its rings. */
    public void deleteIoQueuePair(HostQueuePair qp) {
        requireSuccess(deleteSubmissionQueue(qp.qid()), "Delete I/O SQ " + qp.qid());
        requireSuccess(deleteCompletionQueue(qp.qid()), "Delete I/O CQ " + qp.qid());
        qp.close();
    }

    private static void requireSuccess(Completion c, String what) {
        if (!c.isSuccess()) {
            throw new NvmeStatusException(c.named() == null ? NvmeStatus.INTERNAL_ERROR : c.named(),
                    StatusField.dnr(c.status()), what + " failed: " + c, null);
        }
    }

    /** Waits, pumping, until {@code done}; throws with what it waited for after the timeout. */
    public void waitFor(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(new TimeoutException("timed out after " + timeout + " waiting for " + what
                        + " (CSTS=" + Integer.toHexString(regs.csts()) + ")"));
            }
            pump.run();
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        dataRegion.close();
        prpRegion.close();
        arena.close();
    }
}
