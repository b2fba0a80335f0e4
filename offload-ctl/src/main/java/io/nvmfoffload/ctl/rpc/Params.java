package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.Applier;

/**
 * A method's params with checked access: a missing or mistyped parameter is invalid params, naming
 * it; and the way back to the caller for notifications sent before the response (progress).
 */
public record Params(ObjectNode node, Notifier notifier) {
    /** Sends a JSON-RPC notification to the caller of the method being served, before its response. */
    @FunctionalInterface
    public interface Notifier {
        Notifier NONE = (method, params) -> { };

        void send(String method, ObjectNode params);
    }

    public Params(ObjectNode node) {
        this(node, Notifier.NONE);
    }

    /**
     * With {@code "progress": true}, a "progress" notification ({operation, done, total, step})
     * about every {@code progress_interval_ms} (default 1000) of a long apply; otherwise nothing.
     */
    public Applier.Progress progress(String operation) {
        if (!bool("progress", false)) {
            return Applier.Progress.NONE;
        }
        long interval = integer("progress_interval_ms", 1000);
        if (interval < 0) {
            throw new RpcException(RpcException.INVALID_PARAMS, "parameter 'progress_interval_ms' must be 0 or more");
        }
        return Applier.Progress.every(interval, (done, total, step) -> notifier.send("progress", JsonNodeFactory.instance.objectNode()
                .put("operation", operation).put("done", done).put("total", total).put("step", step.toString())));
    }
    public String string(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "parameter '" + name + "' must be a string");
        }
        return v.textValue();
    }

    public int integer(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "parameter '" + name + "' must be an integer");
        }
        return v.intValue();
    }

    public long integer(String name, long def) {
        JsonNode v = node.get(name);
        if (v == null) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "parameter '" + name + "' must be an integer");
        }
        return v.longValue();
    }

    public boolean bool(String name, boolean def) {
        JsonNode v = node.get(name);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "parameter '" + name + "' must be true or false");
        }
        return v.booleanValue();
    }

    public JsonNode object(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isObject()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "parameter '" + name + "' must be an object");
        }
        return v;
    }

    public boolean has(String name) {
        return node.hasNonNull(name);
    }
}
