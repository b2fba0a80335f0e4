package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One change of a plan: executed by apply, undone in reverse order when a later step fails. A step
 * that detaches a resource (a namespace's store) keeps it until {@link #commit()}, so undo can put
 * it back intact.
 */
public abstract class Step {
    private final String op;
    private final Map<String, Object> args = new LinkedHashMap<>();

    protected Step(String op) {
        this.op = op;
    }

    protected final Step arg(String name, Object value) {
        args.put(name, value);
        return this;
    }

    public final String op() {
        return op;
    }

    abstract void execute(TargetControl control);

    abstract void undo(TargetControl control);

    /** The whole apply succeeded: release what undo would have needed. */
    void commit() {
    }

    /** A step that holds no state: a model call and the call that undoes it. */
    static Step of(String op, Consumer<TargetControl> execute, Consumer<TargetControl> undo) {
        return new Step(op) {
            @Override
            void execute(TargetControl control) {
                execute.accept(control);
            }

            @Override
            void undo(TargetControl control) {
                undo.accept(control);
            }
        };
    }

    public final ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("op", op);
        args.forEach((k, v) -> {
            switch (v) {
                case Integer i -> o.put(k, i);
                case Long l -> o.put(k, l);
                case Boolean b -> o.put(k, b);
                default -> o.put(k, String.valueOf(v));
            }
        });
        return o;
    }

    @Override
    public final String toString() {
        return op.replace('_', ' ') + " " + args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
