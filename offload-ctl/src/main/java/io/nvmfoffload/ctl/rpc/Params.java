package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A method's params with checked access: a missing or mistyped parameter is invalid params, naming it. */
public record Params(ObjectNode node) {
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
