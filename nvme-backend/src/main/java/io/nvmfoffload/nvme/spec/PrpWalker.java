package io.nvmfoffload.nvme.spec;

/**
 * Resolves PRP1/PRP2 (and PRP lists) into the host memory chunks a transfer touches (NVMe Base
 * 2.0 section 4.1.1). Reusable: {@link #walk} refills the chunk arrays, so a device keeps one
 * walker and allocates nothing per command. Chunks that are adjacent in memory are merged,
 * because a staging buffer is usually contiguous and one large copy beats many page copies.
 *
 * <p>Rules enforced, each reported as a status rather than thrown:
 * PRP1 must be dword aligned; PRP2 when used as a page pointer, and every PRP list entry, must
 * have a zero page offset; a PRP list pointer must be qword aligned (Invalid PRP Offset). A list
 * page that cannot be read completes with Data Transfer Error.
 */
public final class PrpWalker {
    private final long[] addresses;
    private final int[] lengths;
    private int count;

    /** @param maxPages the most memory pages one transfer may touch (MDTS in pages, plus one). */
    public PrpWalker(int maxPages) {
        if (maxPages < 2) {
            throw new IllegalArgumentException("a PRP walker needs room for at least 2 pages, got " + maxPages);
        }
        addresses = new long[maxPages];
        lengths = new int[maxPages];
    }

    public int maxPages() {
        return addresses.length;
    }

    /**
     * Walks a transfer of {@code length} bytes.
     *
     * @return 0 (success) or the 15-bit status to complete the command with
     */
    public int walk(long prp1, long prp2, long length, int pageSize, PrpListMemory lists) {
        count = 0;
        if (length <= 0) {
            return 0;
        }
        long pageMask = pageSize - 1L;
        if ((prp1 & 0x3) != 0) {
            return NvmeStatus.INVALID_PRP_OFFSET.field(true);
        }
        long first = Math.min(length, pageSize - (prp1 & pageMask));
        if (!add(prp1, first)) {
            return NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true);
        }
        long remaining = length - first;
        if (remaining == 0) {
            return 0;
        }
        if (remaining <= pageSize) {
            if ((prp2 & pageMask) != 0) {
                return NvmeStatus.INVALID_PRP_OFFSET.field(true);
            }
            return add(prp2, remaining) ? 0 : NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true);
        }
        long listAddress = prp2;
        while (remaining > 0) {
            if ((listAddress & 0x7) != 0) {
                return NvmeStatus.INVALID_PRP_OFFSET.field(true);
            }
            int entriesInPage = (int) ((pageSize - (listAddress & pageMask)) >>> 3);
            long pagesLeft = (remaining + pageMask) / pageSize;
            // The last slot of a list page chains to the next list page when more pages remain.
            boolean chains = pagesLeft > entriesInPage;
            int dataEntries = chains ? entriesInPage - 1 : (int) pagesLeft;
            int slotsRead = chains ? entriesInPage : dataEntries;
            if (!lists.isReadable(listAddress, (long) slotsRead << 3)) {
                return NvmeStatus.DATA_TRANSFER_ERROR.field(false);
            }
            for (int i = 0; i < dataEntries; i++) {
                long entry = lists.readQword(listAddress + 8L * i);
                if ((entry & pageMask) != 0) {
                    return NvmeStatus.INVALID_PRP_OFFSET.field(true);
                }
                long len = Math.min(remaining, pageSize);
                if (!add(entry, len)) {
                    return NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true);
                }
                remaining -= len;
            }
            if (chains) {
                listAddress = lists.readQword(listAddress + 8L * (entriesInPage - 1));
            }
        }
        return 0;
    }

    private boolean add(long address, long len) {
        if (count > 0 && addresses[count - 1] + lengths[count - 1] == address) {
            lengths[count - 1] += (int) len;
            return true;
        }
        if (count == addresses.length) {
            return false;
        }
        addresses[count] = address;
        lengths[count] = (int) len;
        count++;
        return true;
    }

    /** Number of memory chunks the last walk produced (after merging adjacent pages). */
    public int chunkCount() {
        return count;
    }

    public long chunkAddress(int i) {
        return addresses[i];
    }

    public int chunkLength(int i) {
        return lengths[i];
    }
}
