package io.nvmfoffload.ctl.cli;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Applies a {@link LoggingOptions.Verbosity} to java.util.logging, which System.Logger writes
 * through: the root logger and its handlers (the JVM's default: one ConsoleHandler on stderr).
 */
final class LogSetup {
    /** One line per record (time, level, logger, message), unless the user configured a format. */
    static final String FORMAT = "%1$tT %4$s %3$s: %5$s%6$s%n";

    private LogSetup() {}

    static void defaultFormat() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
        }
    }

    /** Sets the level when the command line named one; otherwise touches nothing (a client's start-up stays as cheap). */
    static void apply(LoggingOptions.Verbosity v) {
        if (v.level() == null) {
            return;
        }
        java.util.logging.Level jul = jul(v.level());
        Logger root = LogManager.getLogManager().getLogger("");
        root.setLevel(jul);
        for (Handler h : root.getHandlers()) {
            h.setLevel(jul);
        }
    }

    static java.util.logging.Level jul(Level level) {
        return switch (level) {
            case ALL -> java.util.logging.Level.ALL;
            case TRACE -> java.util.logging.Level.FINER;
            case DEBUG -> java.util.logging.Level.FINE;
            case INFO -> java.util.logging.Level.INFO;
            case WARNING -> java.util.logging.Level.WARNING;
            case ERROR -> java.util.logging.Level.SEVERE;
            case OFF -> java.util.logging.Level.OFF;
        };
    }

    /** Progress lines for long operations: with -v always, with -q never, otherwise only when someone watches stderr. */
    static boolean showProgress(LoggingOptions.Verbosity v) {
        return !v.quiet() && (v.verbose() || stderrIsTerminal());
    }

    /**
     * Whether file descriptor 2 is a terminal. Java has no isatty for stderr (Console.isTerminal
     * is about stdin and stdout), so Linux's /proc tells where the descriptor points.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
