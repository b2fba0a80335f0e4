package io.nvmfoffload.nvmf.transport.rdma;

import java.util.Arrays;

/**
 * The listener's receive buffers when each queue pair has a receive queue of its own instead of
 * the shared one (a device without SRQs, or the port's {@link RdmaTransportOptions#noSrq()}):
 * at connect a queue pair gets a run of consecutive buffers, all posted to its receive queue; a
 * buffer the poller took goes back to the same queue pair when its command no longer needs it.
 *
 * <p>The care is for queue pairs that go away. After {@link #detach} nothing is posted to a
 * queue pair any more (it is in the error state: a post would only be flushed again); after
 * {@link #release} (its QP destroyed) its buffers are free for others, except those a command
 * still holds (in-capsule data being written), which become free only when given back. A
 * completion that arrives late for a buffer whose run changed hands is recognised by its queue
 * pair number and ignored, so a buffer is never posted twice.
 */
final class QueueReceives {
    /** Posts buffer {@code index} to the receive queue of the queue pair numbered {@code qpNumber}. */
    interface Poster {
        void post(int qpNumber, int index);
    }

    private static final byte FREE = 0;
    /** On its queue pair's receive queue. */
    private static final byte POSTED = 1;
    /** Received: the poller or a command holds it. */
    private static final byte TAKEN = 2;
    /** Its queue pair detached: neither posted nor taken, free once the run is released. */
    private static final byte IDLE = 3;

    /** One queue pair's buffers. */
    private static final class Run {
        final int qpNumber;
        final int start;
        final int length;
        boolean detached;

        Run(int qpNumber, int start, int length) {
            this.qpNumber = qpNumber;
            this.start = start;
            this.length = length;
        }
    }

    private final Poster poster;
    private final Run[] owner;
    private final byte[] state;

    /**
     * The most buffers one queue pair gets: an eighth of the pool, so that queues asking for the
     * largest size (HSQSIZE 1023) cannot take every buffer. A host that sends more commands than
     * its queue pair has receives posted is slowed by RNR flow control, not failed.
     */
    static int granted(int entries, int buffers) {
        return Math.max(1, Math.min(entries, buffers / 8));
    }

    QueueReceives(int buffers, Poster poster) {
        this.poster = poster;
        this.owner = new Run[buffers];
        this.state = new byte[buffers];
    }

    int buffers() {
        return owner.length;
    }

    /**
     * Gives the queue pair {@code n} consecutive free buffers and posts them all; returns the first
     * index, or -1 when no run of {@code n} free buffers is left (the connection is then refused).
     */
    synchronized int attach(int qpNumber, int n) {
        int start = firstFreeRun(n);
        if (start < 0) {
            return -1;
        }
        Run run = new Run(qpNumber, start, n);
        for (int i = start; i < start + n; i++) {
            owner[i] = run;
            state[i] = POSTED;
        }
        for (int i = start; i < start + n; i++) {
            poster.post(qpNumber, i);
        }
        return start;
    }

    private int firstFreeRun(int n) {
        int runStart = 0;
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] != null || state[i] != FREE) {
                runStart = i + 1;
            } else if (i - runStart + 1 == n) {
                return runStart;
            }
        }
        return -1;
    }

    /** A receive completed successfully; returns false if the buffer is no longer that queue pair's (drop the capsule). */
    synchronized boolean taken(int index, int qpNumber) {
        Run r = owner[index];
        if (r == null || r.qpNumber != qpNumber || state[index] != POSTED) {
            return false;
        }
        state[index] = TAKEN;
        return true;
    }

    /** The command is done with the buffer: back on its queue pair's receive queue, if it is still attached. */
    synchronized void repost(int index, int qpNumber) {
        Run r = owner[index];
        if (r == null) {
            if (state[index] == TAKEN) {  // held by a command when its run was released
                state[index] = FREE;
            }
            return;
        }
        if (r.qpNumber != qpNumber || state[index] != TAKEN) {
            return;  // a late completion of an earlier owner
        }
        if (r.detached) {
            state[index] = IDLE;
            return;
        }
        state[index] = POSTED;
        poster.post(qpNumber, index);
    }

    /** A receive completed in error (flushed): the buffer stays off the receive queue until the run is released. */
    synchronized void discard(int index, int qpNumber) {
        Run r = owner[index];
        if (r != null && r.qpNumber == qpNumber && state[index] == POSTED) {
            state[index] = IDLE;
        }
    }

    /** The queue pair is going to the error state: nothing is posted to it from now on. */
    synchronized void detach(int qpNumber) {
        Run r = find(qpNumber);
        if (r != null) {
            r.detached = true;
        }
    }

    /** The queue pair is destroyed: its buffers are free, those a command still holds once given back. */
    synchronized void release(int qpNumber) {
        Run r = find(qpNumber);
        if (r == null) {
            return;
        }
        for (int i = r.start; i < r.start + r.length; i++) {
            owner[i] = null;
            if (state[i] != TAKEN) {
                state[i] = FREE;
            }
        }
    }

    /** Buffers owned by a queue pair or held by a command, for status and leak checks. */
    synchronized int inUse() {
        int n = 0;
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] != null || state[i] != FREE) {
                n++;
            }
        }
        return n;
    }

    private Run find(int qpNumber) {
        return Arrays.stream(owner).filter(r -> r != null && r.qpNumber == qpNumber).findFirst().orElse(null);
    }
}
