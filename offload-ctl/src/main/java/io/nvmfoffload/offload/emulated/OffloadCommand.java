package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.target.transport.rdma.SendBatches;

import java.lang.foreign.MemorySegment;

/**
 * One staging-buffer slot and the command using it: the front-end SQE, where the host's buffer is,
 * and which backend controller runs it. Made once per slot and reused.
 */
final class OffloadCommand {
    final int index;
    /** Native address of the slot's data area in the staging buffer (what the backend's PRPs carry). */
    final long dataAddress;
    /** Offset of the data area in the staging buffer's memory region (what RDMA SGEs carry). */
    final long dataMrOffset;
    /** The page after the data area, for the PRP list of a transfer over more than two pages. */
    final MemorySegment prpList;
    /** The front-end SQE, copied out of the receive buffer. */
    final MemorySegment sqe;

    OffloadCommandState state = OffloadCommandState.FREE;
    QpAttachment queue;
    EmulatedBackendController backend;
    int frontendNsid;
    int opcode;
    int length;
    int blocks;
    boolean inCapsule;
    long remoteAddress;
    int remoteKey;
    /** The response goes out as Send with Invalidate of {@link #remoteKey}: the host's SGL asked, the device can. */
    boolean invalidateKey;
    /** The housekeeping clock when the command was first seen at the backend (0: not yet), for the timeout. */
    long submittedAt;
    /** System.nanoTime at receipt when this command's latency is sampled, else 0. */
    long sampleStart;
    /** The backend failed holding this command: it could still write the slot, so answering does not free it. */
    boolean backendMayWrite;
    /** This command's chain (its two entries of the context's work requests): posted at once, handed off or batched. */
    final SendBatches.Link<OffloadCommand> link = new SendBatches.Link<>(this);

    OffloadCommand(int index, long dataAddress, long dataMrOffset, MemorySegment prpList, MemorySegment sqe) {
        this.index = index;
        this.dataAddress = dataAddress;
        this.dataMrOffset = dataMrOffset;
        this.prpList = prpList;
        this.sqe = sqe;
    }

    void transition(OffloadCommandState next) {
        state = next;
    }

    void reset() {
        state = OffloadCommandState.FREE;
        queue = null;
        backend = null;
        sampleStart = 0;
        backendMayWrite = false;
        invalidateKey = false;
    }
}
