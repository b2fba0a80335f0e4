package io.nvmfoffload.ctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * --log-level, -v and -q: declared once on the root and inherited by every command, so they work
 * before the command word and after it ({@code offload-ctl -v apply F}, {@code offload-ctl apply F -q}).
 * Their values are read from the parse result ({@link #of}), not from fields: an inherited option's
 * value lands in the root's object whichever command it was given to.
 */
final class LoggingOptions {
    /** The option names, for the launcher's and {@link OffloadCtl#commandIndex}'s look for the command word. */
    static final Set<String> FLAGS = Set.of("-v", "-vv", "-vvv", "--verbose", "-q", "--quiet");
    static final String LEVEL = "--log-level";

    @Option(names = LEVEL, paramLabel = "LEVEL", scope = ScopeType.INHERIT, converter = LevelConverter.class,
            completionCandidates = LevelNames.class,
            description = "Log at LEVEL and above on standard error: error, warning, info (serve's default), debug, trace, "
                    + "off. Wins over -v and -q.")
    Level level;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More: log at debug (-vv: trace); a long apply shows its progress even when standard error is not a terminal.")
    boolean[] verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Less: log warnings and errors only, and no progress lines.")
    boolean quiet;

    /**
     * What the command line asked for. {@code level} is null when it named no level (no option
     * given): logging is then left as the JVM configured it, which costs a client nothing at start-up.
     */
    record Verbosity(Level level, boolean verbose, boolean quiet) {
        static final Verbosity DEFAULT = new Verbosity(null, false, false);
    }

    /** The options given anywhere on the command line (before the command or after it); -v with -q is a usage error. */
    static Verbosity of(ParseResult parsed) {
        Level level = null;
        int verbose = 0;
        boolean quiet = false;
        for (ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(LEVEL)) {
                level = r.matchedOption(LEVEL).getValue();
            }
            if (r.hasMatchedOption("-v")) {
                boolean[] v = r.matchedOption("-v").getValue();
                verbose = Math.max(verbose, v == null ? 1 : v.length);
            }
            quiet |= r.hasMatchedOption("-q");
        }
        if (verbose > 0 && quiet) {
            throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), "-v and -q contradict each other; give one");
        }
        Level implied = verbose >= 2 ? Level.TRACE : verbose == 1 ? Level.DEBUG : quiet ? Level.WARNING : null;
        return new Verbosity(level != null ? level : implied, verbose > 0, quiet);
    }

    /** The verbosity of the command line that ran {@code spec} (its root's parse result). */
    static Verbosity of(CommandLine.Model.CommandSpec spec) {
        ParseResult parsed = spec == null ? null : spec.root().commandLine().getParseResult();
        return parsed == null ? Verbosity.DEFAULT : of(parsed);
    }

    /** Level names as operators type them, case-insensitive; "warn" is accepted for warning. */
    static final class LevelConverter implements CommandLine.ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            String v = value.strip().toUpperCase(Locale.ROOT);
            if (v.equals("WARN")) {
                return Level.WARNING;
            }
            if (LevelNames.NAMES.contains(v.toLowerCase(Locale.ROOT))) {
                return Level.valueOf(v);
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a log level; one of " + String.join(", ", LevelNames.NAMES));
        }
    }

    static final class LevelNames implements Iterable<String> {
        static final List<String> NAMES = List.of("error", "warning", "info", "debug", "trace", "off");

        @Override
        public java.util.Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
