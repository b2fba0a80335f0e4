package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ApplyException;
import io.nvmfoffload.ctl.config.ConfigError;
import io.nvmfoffload.ctl.config.InvalidConfigException;
import io.nvmfoffload.ctl.config.IoErrors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Method name to handler, and the translation of failures into JSON-RPC errors: a rejected
 * configuration is invalid params with every pointer in data.errors; a failed apply (rolled back) is
 * an operation failure; a wrong argument is invalid params.
 */
public final class RpcDispatcher {
    /** One management operation; params is an object (missing params: an empty one). */
    @FunctionalInterface
    public interface Method {
        JsonNode call(Params params) throws Exception;
    }

    private final Map<String, Method> methods = new TreeMap<>();

    public RpcDispatcher register(String name, Method method) {
        if (methods.putIfAbsent(name, method) != null) {
            throw new IllegalStateException("method " + name + " registered twice");
        }
        return this;
    }

    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(methods.keySet());
    }

    JsonNode call(String name, JsonNode params) {
        return call(name, params, Params.Notifier.NONE);
    }

    JsonNode call(String name, JsonNode params, Params.Notifier notifier) {
        Method m = methods.get(name);
        if (m == null) {
            throw new RpcException(RpcException.METHOD_NOT_FOUND, "no method '" + name + "'; rpc_get_methods lists them");
        }
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "params must be an object");
        }
        try {
            return m.call(new Params(params.isObject() ? (ObjectNode) params : JsonNodeFactory.instance.objectNode(), notifier));
        } catch (RpcException e) {
            throw e;
        } catch (InvalidConfigException e) {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            ArrayNode errors = data.putArray("errors");
            for (ConfigError err : e.errors()) {
                errors.addObject().put("pointer", err.pointer()).put("message", err.message());
            }
            throw new RpcException(RpcException.INVALID_PARAMS, e.getMessage(), data);
        } catch (ApplyException e) {
            throw new RpcException(RpcException.OPERATION_FAILED, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RpcException(RpcException.INVALID_PARAMS, e.getMessage());
        } catch (UncheckedIOException e) {
            throw new RpcException(RpcException.OPERATION_FAILED, e.getMessage());
        } catch (IOException e) {
            throw new RpcException(RpcException.OPERATION_FAILED, IoErrors.reason(e));
        } catch (Exception e) {
            throw new RpcException(RpcException.OPERATION_FAILED, e.getMessage() != null ? e.getMessage()
                    : "internal error (" + e.getClass().getSimpleName() + "); the target's log has the details");
        }
    }
}
