package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.ChangedNamespaceList;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Outstanding Asynchronous Event Requests and the namespace-changed notice they complete with.
 * Capacity listeners report changes from any thread; the device thread collects them, remembers
 * the NSIDs for the Changed Namespace List, and masks further notices until the host reads it
 * (NVMe Base 2.0 section 5.2).
 */
final class AsyncEvents {
    /** Completion dword 0: type 2 (Notice), information 00h (Namespace Attribute Changed), log page 04h. */
    static final int NAMESPACE_ATTRIBUTE_CHANGED = 0x2 | 0x00 << 8 | 0x04 << 16;

    private final ConcurrentLinkedQueue<Integer> reported = new ConcurrentLinkedQueue<>();
    private final int[] requests;
    private int outstanding;
    private final int[] changed = new int[ChangedNamespaceList.MAX_ENTRIES];
    private int changedCount;
    private boolean noticePending;
    private boolean masked;

    AsyncEvents(int limit) {
        this.requests = new int[limit];
    }

    /** From any thread: namespace {@code nsid} changed. */
    void namespaceChanged(int nsid) {
        reported.add(nsid);
    }

    /** Holds an AER; false if the limit (AERL + 1) is reached. */
    boolean request(int cid) {
        if (outstanding == requests.length) {
            return false;
        }
        requests[outstanding++] = cid;
        return true;
    }

    /** The CID of an AER to complete with a namespace notice now, or -1. */
    int takeNotice(boolean noticesEnabled) {
        Integer nsid;
        while ((nsid = reported.poll()) != null) {
            remember(nsid);
            noticePending = true;
        }
        if (!noticePending || masked || outstanding == 0 || !noticesEnabled) {
            return -1;
        }
        noticePending = false;
        masked = true;
        return requests[--outstanding];
    }

    /** Puts back a notice that could not be posted (no room in the admin CQ). */
    void untake(int cid) {
        requests[outstanding++] = cid;
        noticePending = true;
        masked = false;
    }

    private void remember(int nsid) {
        for (int i = 0; i < Math.min(changedCount, changed.length); i++) {
            if (changed[i] == nsid) {
                return;
            }
        }
        if (changedCount < changed.length) {
            changed[changedCount] = nsid;
        }
        changedCount++;
    }

    /** Writes the Changed Namespace List; reading it clears it and unmasks notices. */
    void readChangedList(MemorySegment out) {
        ChangedNamespaceList.write(out, 0, changed, changedCount);
        changedCount = 0;
        masked = false;
    }

    /** Controller reset: outstanding AERs are gone; changes already recorded stay for the log. */
    void reset() {
        outstanding = 0;
        masked = false;
    }
}
