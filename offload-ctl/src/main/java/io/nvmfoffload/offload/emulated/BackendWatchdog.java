package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.NvmfEventType;

/**
 * Watches an offload context's backend controllers for the two events a backend can raise: a PCI
 * error (CSTS reads all ones, or CSTS.CFS) is NVME_PCI_ERR, and a command without a completion
 * within the controller's timeout is NVME_TIMEOUT. It runs every {@value #PASSES_PER_CHECK}
 * poller passes, and on the first pass after the poller slept. A command is stamped with the
 * clock of the first check that sees it at the backend, so the clock is read once per check, not
 * per command; its timeout is noticed up to two checks after it expired. Guarded by the context's
 * lock, except {@link #countPass} and {@link #dueAfterSleep}, which are the poller's.
 */
final class BackendWatchdog {
    static final int PASSES_PER_CHECK = 256;

    /** What happens to a backend the watchdog found faulty. */
    interface Faults {
        void backendFailed(EmulatedBackendController c, NvmfEventType type, String why);
    }

    private final StagingSlots slots;
    private final BackendControllers controllers;
    private final Faults faults;
    private int passes;
    private boolean due;

    BackendWatchdog(StagingSlots slots, BackendControllers controllers, Faults faults) {
        this.slots = slots;
        this.controllers = controllers;
        this.faults = faults;
    }

    /** Counts a poller pass; true when a check is due. */
    boolean countPass() {
        if ((++passes & (PASSES_PER_CHECK - 1)) == 0) {
            due = true;
        }
        return due;
    }

    /** The poller is about to sleep: check on its next pass (a fault of an idle backend is found within one sleep). */
    void dueAfterSleep() {
        due = true;
    }

    /** Checks now, with the clock, if a check is due; whether it did. */
    boolean checkIfDue() {
        if (!due) {
            return false;
        }
        due = false;
        check(System.nanoTime());
        return true;
    }

    /** Checks every active backend as of {@code now} (System.nanoTime). */
    void check(long now) {
        for (int i = 0; i < controllers.size(); i++) {
            EmulatedBackendController c = controllers.get(i);
            if (c.state() != EmulatedBackendController.State.ACTIVE) {
                continue;
            }
            String fault = c.pciFault();
            if (fault != null) {
                faults.backendFailed(c, NvmfEventType.NVME_PCI_ERR, fault);
                continue;
            }
            // walk the slots only while the backend owes completions, and only until all were seen:
            // after every poller sleep this runs once per command at low queue depth
            int owed = c.atBackend;
            for (int k = 0; owed > 0 && k < slots.count(); k++) {
                OffloadedCommand cmd = slots.get(k);
                if (cmd.backend != c || cmd.state != OffloadCommandState.AT_BACKEND) {
                    continue;
                }
                owed--;
                if (cmd.submittedAt == 0) {
                    cmd.submittedAt = now;
                } else if (now - cmd.submittedAt > c.timeoutNanos) {
                    faults.backendFailed(c, NvmfEventType.NVME_TIMEOUT, "CID " + cmd.index + " got no completion within "
                            + c.timeoutNanos / 1_000_000 + " ms");
                    break;
                }
            }
        }
    }
}
