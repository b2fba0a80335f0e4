package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;

/** The ordered steps that turn the running target into the desired one; empty when they already match. */
public record Plan(List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        steps.forEach(s -> a.add(s.toJson()));
        return a;
    }

    public String toText() {
        if (steps.isEmpty()) {
            return "no changes: the running target already matches\n";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            b.append(String.format("%4d  %s%n", i + 1, steps.get(i)));
        }
        return b.toString();
    }
}
