package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC 2.0 error: the spec's codes, plus -32000 for an operation that failed on the target. */
public final class RpcException extends RuntimeException {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    public static final int OPERATION_FAILED = -32000;

    private final int code;
    private final transient JsonNode data;

    public RpcException(int code, String message, JsonNode data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    public RpcException(int code, String message) {
        this(code, message, null);
    }

    public int code() {
        return code;
    }

    /** Details, e.g. {"errors": [{"pointer": ..., "message": ...}]} for a rejected configuration; may be null. */
    public JsonNode data() {
        return data;
    }
}
