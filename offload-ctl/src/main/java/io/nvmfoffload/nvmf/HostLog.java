package io.nvmfoffload.nvmf;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A log line that a host can cause, rate-limited: at most {@link #BURST} lines per
 * {@link #WINDOW_NANOS}; the next line after a quiet spell says how many were suppressed. No
 * stack traces: what a host sent is described by the message alone. One instance per kind of event
 * (a transport's protocol errors, a core's failed commands), shared by all connections, so that a
 * thousand hostile connections cannot flood the log either. It is a {@link System.Logger} itself,
 * so the logging backend names the caller of this logger, not this class, as the line's source.
 */
public final class HostLog implements System.Logger {
    static final int BURST = 10;
    static final long WINDOW_NANOS = 10_000_000_000L;

    private final System.Logger logger;
    private final AtomicLong suppressed = new AtomicLong();
    private long windowStart = Long.MIN_VALUE;
    private int inWindow;

    public HostLog(System.Logger logger) {
        this.logger = logger;
    }

    @Override
    public String getName() {
        return logger.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return logger.isLoggable(level);
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String message, Throwable thrown) {
        if (admit(level)) {
            logger.log(level, bundle, message, thrown);
        }
    }

    /** Logs {@code message} (a {@link java.text.MessageFormat} pattern) unless the window's burst is used up. */
    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String message, Object... args) {
        if (admit(level)) {
            logger.log(level, bundle, message, args);
        }
    }

    /** Whether a line may go out now; says first how many were dropped before it. */
    private boolean admit(Level level) {
        if (!logger.isLoggable(level)) {
            return false;
        }
        long dropped;
        synchronized (this) {
            long now = System.nanoTime();
            if (windowStart == Long.MIN_VALUE || now - windowStart > WINDOW_NANOS) {
                windowStart = now;
                inWindow = 0;
            }
            if (++inWindow > BURST) {
                suppressed.incrementAndGet();
                return false;
            }
            dropped = suppressed.getAndSet(0);
        }
        if (dropped > 0) {
            logger.log(level, "{0} similar lines suppressed (at most {1} per {2} s)", dropped, BURST, WINDOW_NANOS / 1_000_000_000L);
        }
        return true;
    }

    /** Lines dropped since the last one logged. */
    public long suppressed() {
        return suppressed.get();
    }
}
