package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.Plan;
import io.nvmfoffload.ctl.config.Step;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.TargetListener;
import io.nvmfoffload.nvmf.core.Controller;
import io.nvmfoffload.nvmf.core.TargetCore;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The target's recent events, numbered, for {@code offload-ctl events} to follow by long polling:
 * the AENs the target raises (namespace attribute changed, discovery log changed), controllers
 * coming and going, applied plans, and offload changes (naming the provider). Others, such as the
 * offload manager, add theirs with {@link #publish}. A bounded ring: a follower that falls behind
 * is told how many it missed.
 */
public final class EventLog implements TargetListener, TargetCore.ControllerListener, ConfigService.AppliedListener {
    private static final int CAPACITY = 4096;
    private final ArrayDeque<ObjectNode> ring = new ArrayDeque<>();
    private long nextSeq = 1;
    private volatile String providerName = "none";

    /** The provider named in offload events; set when the configuration changes it. */
    public void providerName(String name) {
        this.providerName = name;
    }

    public synchronized void publish(String type, ObjectNode fields) {
        ObjectNode e = JsonNodeFactory.instance.objectNode().put("seq", nextSeq++).put("time", Instant.now().toString()).put("type", type);
        e.setAll(fields);
        ring.addLast(e);
        if (ring.size() > CAPACITY) {
            ring.removeFirst();
        }
        notifyAll();
    }

    private static ObjectNode fields() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Events numbered above {@code after}, waiting up to {@code timeoutMs} for the first one. The
     * result also carries {@code next} (pass it as {@code after} next time) and {@code missed}.
     */
    public synchronized ObjectNode since(long after, int max, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (nextSeq - 1 <= after && timeoutMs > 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        ObjectNode r = fields();
        ArrayNode events = r.putArray("events");
        long oldest = ring.isEmpty() ? nextSeq : ring.getFirst().get("seq").asLong();
        long last = after;
        for (ObjectNode e : ring) {
            long seq = e.get("seq").asLong();
            if (seq > after && events.size() < max) {
                events.add(e);
                last = seq;
            }
        }
        r.put("next", Math.max(last, Math.min(after, nextSeq - 1)));
        r.put("missed", Math.max(0, oldest - after - 1));
        return r;
    }

    @Override
    public void namespaceChanged(Subsystem subsystem, int nsid) {
        publish("namespace_changed", fields().put("subsystem", subsystem.nqn()).put("nsid", nsid)
                .put("aen", "namespace attribute changed (to controllers of the subsystem that asked for it)"));
    }

    @Override
    public void discoveryChanged(long generation) {
        publish("discovery_changed", fields().put("generation", generation)
                .put("aen", "discovery log page change (to discovery controllers that asked for it)"));
    }

    @Override
    public void subsystemRemoved(Subsystem subsystem) {
        publish("subsystem_removed", fields().put("subsystem", subsystem.nqn()));
    }

    @Override
    public void created(Controller c) {
        publish("controller_created", controller(c));
    }

    @Override
    public void deleted(Controller c, String reason) {
        publish("controller_deleted", controller(c).put("reason", reason));
    }

    private static ObjectNode controller(Controller c) {
        return fields().put("subsystem", c.subsystemNqn()).put("cntlid", c.cntlid()).put("host", c.hostNqn())
                .put("port", c.port().id());
    }

    @Override
    public void applied(Plan plan) {
        publish("config_applied", fields().put("steps", plan.steps().size()));
        for (Step s : plan.steps()) {
            if (s.op().equals("set_offload") || s.op().equals("set_offload_provider")) {
                ObjectNode f = fields().put("provider", providerName);
                f.setAll(s.toJson());
                publish("offload_changed", f);
            }
        }
    }
}
