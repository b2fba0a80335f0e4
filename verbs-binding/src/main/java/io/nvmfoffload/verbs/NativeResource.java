package io.nvmfoffload.verbs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A verbs object that owns native memory, mirroring one C object (device context, PD, MR, CQ, QP,
 * SRQ, CM id...). Objects are created from the object they depend on and must be closed before it,
 * as the C library requires: closing a PD while its MRs are registered would fail deep inside the
 * provider with EBUSY, so it fails here first, saying what is still open
 * ("cannot close PD: 2 MRs and 1 QP still open").
 *
 * <p>With {@code -Dnvmf.verbs.leakReport=true}, {@link LeakReport} remembers where each object was
 * created and prints what was never closed when the JVM exits.
 */
public abstract class NativeResource implements AutoCloseable {
    private final String kind;
    private final List<NativeResource> dependencies;
    private final Set<NativeResource> dependents = ConcurrentHashMap.newKeySet();
    private final Throwable creationSite;
    private volatile boolean closed;

    /**
     * @param kind         short name of the C object for messages, e.g. "QP"
     * @param dependencies objects that must outlive this one (nulls are ignored)
     */
    protected NativeResource(String kind, NativeResource... dependencies) {
        this(kind, true, dependencies);
    }

    /**
     * @param owned false for a wrapper of a C object that someone else frees (such as a device
     *              context librdmacm opened): it is then left out of the leak report
     */
    @SuppressWarnings("this-escape") // registering with the parents is the point; subclasses add no state they read
    protected NativeResource(String kind, boolean owned, NativeResource... dependencies) {
        this.kind = kind;
        List<NativeResource> deps = new ArrayList<>();
        for (NativeResource d : dependencies) {
            if (d != null && !deps.contains(d)) {
                deps.add(d);
            }
        }
        for (int i = 0; i < deps.size(); i++) {
            try {
                deps.get(i).addDependent(this);
            } catch (IllegalStateException e) {
                for (int j = 0; j < i; j++) {
                    deps.get(j).dependents.remove(this);
                }
                throw e;
            }
        }
        this.dependencies = List.copyOf(deps);
        this.creationSite = LeakReport.enabled() && owned ? new Throwable("created here") : null;
        if (owned) {
            LeakReport.track(this);
        }
    }

    private synchronized void addDependent(NativeResource dependent) {
        if (closed) {
            throw new IllegalStateException("cannot create a " + dependent.kind + " on " + describe() + ": it is closed");
        }
        dependents.add(dependent);
    }

    /** The C object's short name, e.g. "MR". */
    public final String kind() {
        return kind;
    }

    /** What this object is and where, for messages: e.g. "QP 0x11 on rxe0". */
    public abstract String describe();

    public final boolean isClosed() {
        return closed;
    }

    /** The objects created from this one that are still open. */
    public final List<NativeResource> openDependents() {
        return List.copyOf(dependents);
    }

    /**
     * Releases the native object. Fails with {@link IllegalStateException} while objects created
     * from this one are open; closing twice does nothing.
     */
    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!dependents.isEmpty()) {
                throw new IllegalStateException("cannot close " + kind + ": " + summarize(dependents)
                        + " still open (" + describe() + ")");
            }
            closed = true;
        }
        try {
            release();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                closed = false;
            }
            throw e;
        }
        for (NativeResource d : dependencies) {
            d.dependents.remove(this);
        }
        LeakReport.untrack(this);
    }

    /** Frees the native object; called once, when nothing depends on this object any more. */
    protected abstract void release();

    /** Throws if this object was closed, so that a stale Java handle never reaches C. */
    protected final void requireOpen() {
        if (closed) {
            throw new IllegalStateException(describe() + " is closed");
        }
    }

    final Throwable creationSite() {
        return creationSite;
    }

    /** "2 MRs and 1 QP", kinds in alphabetical order. */
    static String summarize(Iterable<NativeResource> resources) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NativeResource r : resources) {
            counts.merge(r.kind, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, n) -> parts.add(n + " " + (n == 1 ? k : k + "s")));
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.getLast();
    }

    static List<NativeResource> sorted(Set<NativeResource> set) {
        List<NativeResource> list = new ArrayList<>(set);
        Collections.sort(list, (a, b) -> a.kind.compareTo(b.kind));
        return list;
    }
}
