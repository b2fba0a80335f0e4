package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.idle.IdleStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that runs posting jobs handed to it by one other thread, in order. Why: on soft-RoCE a
 * user-space {@code ibv_post_send} does the whole protocol work in the caller's system call
 * (segmenting, ICRC, and over loopback the peer's receive side too), where a kernel consumer's
 * post leaves it to rxe's tasklets. A poller that posts its own responses therefore cannot poll
 * while they go out; handing the posts to this thread lets both run at once on two CPUs.
 *
 * <p>Single producer: the first thread that hands off becomes the producer (the poller), and a
 * hand-off from any other thread is refused, so its caller posts itself. {@link #handOff} never
 * allocates. The jobs are the producer's own preallocated objects; a job handles its own failures
 * (this thread logs and goes on if one throws). The thread spins briefly when it runs out of work,
 * then parks until the next hand-off; {@link #awake()} tells the producer whether a hand-off
 * costs a wake-up.
 */
public final class PostingThread implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PostingThread.class.getName());
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(PostingThread.class, "head", long.class);
            TAIL = l.findVarHandle(PostingThread.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Runnable[] ring;
    private final int mask;
    /** Spins, then parks until a hand-off unparks it; the park's timeout is a safety net. */
    private final IdleStrategy idle;
    private final Thread thread;
    /** Next job to run; written by the posting thread. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next free entry; written by the producer. */
    @SuppressWarnings("unused")
    private volatile long tail;
    private volatile boolean parked;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicReference<Thread> producer = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * @param capacity most jobs waiting at once (rounded up to a power of two); a full ring refuses a hand-off
     * @param spins    empty looks before the thread parks
     */
    public PostingThread(String name, int capacity, int spins) {
        if (capacity < 1 || capacity > 1 << 20) {
            throw new IllegalArgumentException("posting thread " + name + ": capacity " + capacity + " not in 1.." + (1 << 20));
        }
        int size = 2;
        while (size < capacity) {
            size <<= 1;
        }
        ring = new Runnable[size];
        mask = ring.length - 1;
        this.idle = IdleStrategy.spinThenPark(spins, 100_000_000);
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Makes the calling thread the producer before any hand-off; false if another thread already is. */
    public boolean claimProducer() {
        Thread me = Thread.currentThread();
        return producer.compareAndSet(null, me) || producer.get() == me;
    }

    /** Whether the thread is running or spinning, so a hand-off needs no wake-up. */
    public boolean awake() {
        return !parked;
    }

    /**
     * Queues {@code job}; false (and nothing queued) when the ring is full, the thread stopped, or
     * the caller is not the producer.
     */
    public boolean handOff(Runnable job) {
        Thread me = Thread.currentThread();
        Thread p = producer.get();
        if (p != me && (p != null || !producer.compareAndSet(null, me))) {
            return false;
        }
        long t = (long) TAIL.getOpaque(this);
        if (stopping || t - (long) HEAD.getAcquire(this) >= ring.length) {
            return false;
        }
        ring[(int) (t & mask)] = job;
        TAIL.setVolatile(this, t + 1);  // volatile, then the look at parked: no lost wake-up
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Jobs handed off and not yet run. */
    public int waiting() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }

    private void run() {
        while (true) {
            long h = (long) HEAD.getOpaque(this);
            if (h == (long) TAIL.getAcquire(this)) {
                if (stopping) {
                    return;
                }
                if (idle.spin()) {
                    continue;
                }
                parked = true;
                if (h == (long) TAIL.getVolatile(this) && !stopping) {
                    idle.park();  // a hand-off or close unparks
                }
                parked = false;
                continue;
            }
            idle.reset();
            int i = (int) (h & mask);
            Runnable job = ring[i];
            ring[i] = null;
            HEAD.setRelease(this, h + 1);
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, thread.getName() + ": a posting job failed", e);
            }
        }
    }

    /** Runs what was handed off, then stops the thread. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
