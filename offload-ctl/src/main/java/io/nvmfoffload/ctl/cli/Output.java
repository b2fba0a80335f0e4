package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nvmfoffload.ctl.rpc.JsonText;

import java.io.PrintWriter;

/** How results are printed: JSON as is, or short text for people. */
final class Output {
    private Output() {}

    static String json(JsonNode node) {
        return JsonText.indented(node);
    }

    /** A plan result ({"applied", "changes", "steps"}) as numbered steps. */
    static void plan(JsonNode result, PrintWriter out) {
        JsonNode steps = result.path("steps");
        if (steps.isEmpty()) {
            out.println("no changes: the running target already matches");
            return;
        }
        out.println((result.path("applied").asBoolean() ? "applied " : "would apply ") + steps.size() + " change(s):");
        int i = 1;
        for (JsonNode s : steps) {
            StringBuilder line = new StringBuilder(String.format("%4d  %s", i++, s.path("op").asText().replace('_', ' ')));
            s.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("op")) {
                    line.append(' ').append(e.getKey()).append('=').append(e.getValue().asText());
                }
            });
            out.println(line);
        }
    }

    /** The JSON, indented: for results whose text form would say nothing more. */
    static void pretty(JsonNode result, PrintWriter out) {
        out.println(json(result));
    }
}
