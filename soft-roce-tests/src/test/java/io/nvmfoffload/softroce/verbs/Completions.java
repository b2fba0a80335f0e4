package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.WcOpcode;
import io.nvmfoffload.verbs.WcStatus;
import io.nvmfoffload.verbs.WorkCompletions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.fail;

/** Polling helpers for tests: completions copied into records so that assertions can keep them. */
final class Completions {
    private Completions() {}

    /** One completion, copied out of the native array. */
    record Completion(long wrId, WcStatus status, WcOpcode opcode, int byteLength, boolean hasImmediate,
                      int immediate, int qpNumber, String description) {}

    /** Polls until {@code n} completions arrived or the timeout passed (then fails, saying what came). */
    static List<Completion> take(CompletionQueue cq, int n, Duration timeout) {
        List<Completion> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int idle = 0;
        try (WorkCompletions wcs = new WorkCompletions(16)) {
            while (got.size() < n) {
                int polled = cq.poll(wcs, Math.min(16, n - got.size()));
                for (int i = 0; i < polled; i++) {
                    boolean ok = wcs.isSuccess(i);
                    got.add(new Completion(wcs.wrId(i), wcs.status(i), ok ? wcs.opcode(i) : null, ok ? wcs.byteLength(i) : 0,
                            ok && wcs.hasImmediateData(i), ok && wcs.hasImmediateData(i) ? wcs.immediateData(i) : 0,
                            wcs.qpNumber(i), wcs.describe(i)));
                }
                if (polled == 0) {
                    if (System.nanoTime() > deadline) {
                        fail("only " + got.size() + " of " + n + " completions on " + cq.describe() + " within " + timeout + ": " + got);
                    }
                    idle = backOff(idle);
                } else {
                    idle = 0;
                }
            }
        }
        return got;
    }

    /**
     * Spins briefly, then sleeps: in the 2-CPU guest the kernel's rxe threads need the CPU that a
     * busy poller would take, and a poller that only spins slows the transfer it waits for.
     */
    static int backOff(int idle) {
        if (idle < 200) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(idle < 2000 ? 20_000 : 200_000);
        }
        return idle + 1;
    }

    static Completion one(CompletionQueue cq) {
        return take(cq, 1, Loopback.TIMEOUT).getFirst();
    }

    /** Fails unless every completion succeeded, naming the first failure's status. */
    static List<Completion> successful(List<Completion> completions) {
        for (Completion c : completions) {
            if (c.status() != WcStatus.IBV_WC_SUCCESS) {
                fail("work request failed: " + c.description());
            }
        }
        return completions;
    }
}
