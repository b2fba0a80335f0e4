package io.nvmfoffload.offload;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The last offload events, kept for status and handed to followers (the CLI's {@code events}) as they happen. */
public final class OffloadEventLog {
    private static final System.Logger LOG = System.getLogger(OffloadEventLog.class.getName());
    private static final int KEEP = 1000;

    private final ArrayDeque<OffloadEvent> recent = new ArrayDeque<>();
    private final List<Consumer<OffloadEvent>> followers = new CopyOnWriteArrayList<>();

    public void record(OffloadEvent event) {
        boolean failure = event.kind().startsWith("NVME_") || event.kind().equals("QP_FATAL");
        LOG.log(failure ? System.Logger.Level.WARNING : System.Logger.Level.INFO, "offload event: {0}", event);
        synchronized (recent) {
            if (recent.size() == KEEP) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        followers.forEach(f -> f.accept(event));
    }

    public List<OffloadEvent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public long count(String kind) {
        synchronized (recent) {
            return recent.stream().filter(e -> e.kind().equals(kind)).count();
        }
    }

    public void follow(Consumer<OffloadEvent> follower) {
        followers.add(follower);
    }

    public void unfollow(Consumer<OffloadEvent> follower) {
        followers.remove(follower);
    }
}
