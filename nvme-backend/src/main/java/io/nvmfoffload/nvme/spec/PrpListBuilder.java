package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;

/**
 * Host side of PRPs: fills PRP1/PRP2 of a command for a buffer at a native address, writing a PRP
 * list (chained across list pages when needed) into caller-provided memory. An offload engine
 * uses this to point a backend controller at its staging buffer.
 */
public final class PrpListBuilder {
    private PrpListBuilder() {
    }

    /**
     * @param dataAddress native address of the data buffer (dword aligned)
     * @param length      transfer length in bytes
     * @param pageSize    the controller's memory page size (CC.MPS)
     * @param listMemory  memory for the PRP list, page aligned, used only if the transfer spans
     *                    more than two pages; its native address is what PRP2 will carry
     * @return bytes of {@code listMemory} used (0 if no list was needed)
     */
    public static long fill(SubmissionQueueEntry sqe, long dataAddress, long length, int pageSize, MemorySegment listMemory) {
        if (Integer.bitCount(pageSize) != 1 || pageSize < 4096) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a power of two of at least 4096");
        }
        if ((dataAddress & 0x3) != 0) {
            throw new IllegalArgumentException(String.format("data address %X is not dword aligned (PRP1 bits 1:0 must be 0)", dataAddress));
        }
        long pageMask = pageSize - 1L;
        sqe.psdt(SubmissionQueueEntry.PSDT_PRP).prp1(dataAddress).prp2(0);
        long first = Math.min(length, pageSize - (dataAddress & pageMask));
        long remaining = length - first;
        long next = dataAddress + first;
        if (remaining <= 0) {
            return 0;
        }
        if (remaining <= pageSize) {
            sqe.prp2(next);
            return 0;
        }
        if (listMemory == null || (listMemory.address() & pageMask) != 0) {
            throw new IllegalArgumentException("a transfer of " + length + " bytes needs a PRP list in page-aligned memory; got "
                    + (listMemory == null ? "none" : String.format("address %X", listMemory.address())));
        }
        long pages = (remaining + pageMask) / pageSize;
        int perPage = pageSize / 8;
        long listPages = pages <= perPage ? 1 : 1 + (pages - perPage + perPage - 2) / (perPage - 1);
        long required = (pages + listPages - 1) * 8;
        if (listMemory.byteSize() < required) {
            throw new IllegalArgumentException("PRP list for " + pages + " pages needs " + required + " bytes over "
                    + listPages + " list page(s); the list memory has " + listMemory.byteSize());
        }
        sqe.prp2(listMemory.address());
        long slot = 0;
        for (long p = 0; p < pages; p++) {
            long inPage = slot % perPage;
            boolean lastSlotOfPage = inPage == perPage - 1;
            if (lastSlotOfPage && p < pages - 1) {
                // Chain: this slot points at the next list page.
                Le.putU64(listMemory, slot * 8, listMemory.address() + (slot + 1) * 8);
                slot++;
            }
            Le.putU64(listMemory, slot * 8, next + p * pageSize);
            slot++;
        }
        return slot * 8;
    }
}
