package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The staging buffer cut into slots, one {@link OffloadedCommand} each: a data area of max_io_sz
 * rounded up to the backend page, then a page for the PRP list; the first slot starts at the
 * first page boundary. A slot's index is its command's CID at the backend. Free slots are a stack,
 * so a slot taken and given back at once is the next one taken again.
 *
 * <p>Guarded by the context's lock.
 */
final class StagingSlots {
    /** A slot index is the backend CID, and CID FFFFh is reserved. */
    static final int MAX_SLOTS = 0xFFFF;

    private final int pageSize;
    private final OffloadedCommand[] commands;
    private final int[] free;
    private int freeCount;
    private final MemorySegment responses;

    /**
     * @param staging     the staging buffer
     * @param mrOffset    where {@code staging} starts in its memory region (RDMA SGEs count from the region)
     * @param maxIoSize   the largest transfer of one command
     * @param pageSize    the backend NVMe page size
     * @param arena       where the slots' SQE copies and responses live; it outlives the slots
     */
    StagingSlots(MemorySegment staging, long mrOffset, long maxIoSize, int pageSize, Arena arena) {
        this.pageSize = pageSize;
        long slotBytes = roundUp(maxIoSize, pageSize) + pageSize;
        long firstSlot = roundUp(staging.address(), pageSize) - staging.address();
        long slots = (staging.byteSize() - firstSlot) / slotBytes;
        if (slots < 1) {
            throw new NvmfOffloadException("ibv_create_srq_ex", Errno.EINVAL, EmulatedNvmfOffloadProvider.NAME,
                    "staging buffer of " + staging.byteSize() + " bytes holds no slot of max_io_sz " + maxIoSize
                            + " plus a PRP list page");
        }
        int count = (int) Math.min(slots, MAX_SLOTS);
        commands = new OffloadedCommand[count];
        free = new int[count];
        MemorySegment sqes = arena.allocate((long) SubmissionQueueEntry.SIZE * count, 64);
        responses = arena.allocate((long) CompletionQueueEntry.SIZE * count, 64);
        for (int i = 0; i < count; i++) {
            long off = firstSlot + i * slotBytes;
            long prpOff = off + slotBytes - pageSize;
            commands[i] = new OffloadedCommand(i, staging.asSlice(off, prpOff - off), mrOffset + off, staging.asSlice(prpOff, pageSize),
                    sqes.asSlice((long) SubmissionQueueEntry.SIZE * i, SubmissionQueueEntry.SIZE),
                    responses.asSlice((long) CompletionQueueEntry.SIZE * i, CompletionQueueEntry.SIZE));
            free[freeCount++] = count - 1 - i;
        }
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    int count() {
        return commands.length;
    }

    int pageSize() {
        return pageSize;
    }

    /** The slot with this index (= backend CID); the caller checks the range. */
    OffloadedCommand get(int index) {
        return commands[index];
    }

    boolean isSlot(int index) {
        return index >= 0 && index < commands.length;
    }

    int freeCount() {
        return freeCount;
    }

    boolean hasFree() {
        return freeCount > 0;
    }

    /** A free slot, still FREE; the caller checked {@link #hasFree}. */
    OffloadedCommand take() {
        return commands[free[--freeCount]];
    }

    /** Returns a slot: its command moves to FREE (a second release of the same slot is refused there). */
    void release(OffloadedCommand cmd) {
        cmd.clear();
        free[freeCount++] = cmd.index;
    }

    /** The response capsules of every slot, one registered region for the response SENDs. */
    MemorySegment responses() {
        return responses;
    }
}
