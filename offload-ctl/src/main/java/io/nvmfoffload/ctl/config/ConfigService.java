package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The configuration operations of one target, shared by serve, the CLI and the management API:
 * validate, plan, apply, clear and edits of single objects, all through the same plan steps.
 * Operations are serialized; a plan is always computed against the state it is applied to.
 */
public final class ConfigService {
    private final TargetControl control;
    private final List<AppliedListener> listeners = new CopyOnWriteArrayList<>();

    /** Told after a plan was applied (the events command reports it). */
    public interface AppliedListener {
        void applied(Plan plan);
    }

    public ConfigService(TargetControl control) {
        this.control = control;
    }

    public TargetControl control() {
        return control;
    }

    public void addAppliedListener(AppliedListener l) {
        listeners.add(l);
    }

    public synchronized TargetConfig current() {
        return StateReader.read(control);
    }

    public synchronized ObjectNode currentDocument() {
        return ConfigWriter.toJson(current());
    }

    public synchronized Plan plan(JsonNode document) {
        return Planner.plan(current(), ConfigReader.read(document));
    }

    /** Makes the target match {@code document}; returns the executed plan (empty when it already matched). */
    public synchronized Plan apply(JsonNode document) {
        return apply(document, Applier.Progress.NONE);
    }

    /** As {@link #apply(JsonNode)}, telling {@code progress} after each step. */
    public synchronized Plan apply(JsonNode document, Applier.Progress progress) {
        return apply(ConfigReader.read(document), progress);
    }

    public synchronized Plan apply(TargetConfig desired) {
        return apply(desired, Applier.Progress.NONE);
    }

    public synchronized Plan apply(TargetConfig desired, Applier.Progress progress) {
        Plan plan = Planner.plan(current(), desired);
        if (!plan.isEmpty()) {
            Applier.apply(plan, control, progress);
            listeners.forEach(l -> l.applied(plan));
        }
        return plan;
    }

    /** Removes every object; the offload provider (a property of the device, not an object) stays. */
    public synchronized Plan clear() {
        return clear(Applier.Progress.NONE);
    }

    public synchronized Plan clear(Applier.Progress progress) {
        return apply(TargetConfig.empty(control.provider()), progress);
    }

    /**
     * Applies an edit of the running document (an object command: add a host, link a port, ...):
     * the edited document is validated whole, so an edit is checked exactly as a file would be.
     */
    public synchronized Plan edit(UnaryOperator<ObjectNode> edit) {
        return apply(edit.apply(currentDocument()));
    }
}
