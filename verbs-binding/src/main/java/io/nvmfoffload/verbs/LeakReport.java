package io.nvmfoffload.verbs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opt-in report of verbs objects that were never closed. Enabled with the system property
 * {@value #PROPERTY}{@code =true}: every {@link NativeResource} then records the stack where it
 * was created, and a shutdown hook prints the ones still open, with those stacks, to stderr.
 * Live objects are counted either way (cheaply), so {@link #liveResources()} always works.
 */
public final class LeakReport {
    public static final String PROPERTY = "nvmf.verbs.leakReport";

    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY);
    private static final Set<NativeResource> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private LeakReport() {}

    public static boolean enabled() {
        return ENABLED;
    }

    static void track(NativeResource resource) {
        LIVE.add(resource);
        if (ENABLED && HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> print(System.err), "nvmf-verbs-leak-report"));
        }
    }

    static void untrack(NativeResource resource) {
        LIVE.remove(resource);
    }

    /** Verbs objects created in this JVM and not closed yet. */
    public static List<NativeResource> liveResources() {
        return NativeResource.sorted(LIVE);
    }

    /** The report text: what is still open and, when enabled, where each was created. */
    public static String render() {
        List<NativeResource> live = liveResources();
        if (live.isEmpty()) {
            return "verbs leak report: every verbs object was closed";
        }
        StringBuilder sb = new StringBuilder("verbs leak report: ")
                .append(NativeResource.summarize(live)).append(" never closed\n");
        for (NativeResource r : live) {
            sb.append("  ").append(r.describe()).append('\n');
            Throwable site = r.creationSite();
            if (site == null) {
                sb.append("    (run with -D").append(PROPERTY).append("=true to see where it was created)\n");
                continue;
            }
            for (StackTraceElement e : frames(site)) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /** The creation stack without the binding's own constructor frames. */
    private static List<StackTraceElement> frames(Throwable site) {
        List<StackTraceElement> out = new ArrayList<>();
        boolean inBinding = true;
        for (StackTraceElement e : site.getStackTrace()) {
            if (inBinding && (e.getMethodName().equals("<init>") && e.getClassName().startsWith("io.nvmfoffload.verbs.")
                    || e.getClassName().equals(NativeResource.class.getName()))) {
                continue;
            }
            inBinding = false;
            out.add(e);
        }
        return out;
    }

    public static void print(PrintStream out) {
        if (!LIVE.isEmpty()) {
            out.print(render());
            out.flush();
        }
    }
}
