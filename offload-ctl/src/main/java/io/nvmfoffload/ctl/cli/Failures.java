package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ApplyException;
import io.nvmfoffload.ctl.config.ConfigError;
import io.nvmfoffload.ctl.config.InvalidConfigException;
import io.nvmfoffload.ctl.config.IoErrors;
import io.nvmfoffload.ctl.rpc.JsonText;
import io.nvmfoffload.ctl.rpc.RpcClient;
import io.nvmfoffload.ctl.rpc.RpcException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * How a failed command is reported: "COMMAND: message" on standard error and, when --json was
 * given, the same as a JSON object on standard output, so a script reading the JSON sees the failure.
 */
final class Failures {
    private Failures() {}

    static int report(Exception ex, CommandLine cmd, ParseResult parsed) {
        int code = ex instanceof RpcClient.UnreachableException ? OffloadCtl.EXIT_UNREACHABLE : OffloadCtl.EXIT_FAILED;
        String where = cmd.getCommandSpec().qualifiedName();
        String message = message(ex);
        cmd.getErr().println(where + ": " + message);
        cmd.getErr().flush();
        if (jsonRequested(parsed)) {
            PrintWriter out = cmd.getOut();
            out.println(JsonText.indented(json(ex, where, code, message)));
            out.flush();
        }
        return code;
    }

    /** The message, with the reason of a file error (NIO's own message is only the path). */
    static String message(Exception ex) {
        if (ex instanceof IOException io && !(ex instanceof RpcClient.UnreachableException) && ex.getCause() == null) {
            return IoErrors.reason(io);
        }
        return ex.getMessage() != null ? ex.getMessage() : "internal error (" + ex.getClass().getSimpleName() + ")";
    }

    static ObjectNode json(Exception ex, String command, int code, String message) {
        ObjectNode root = JsonText.object();
        ObjectNode e = root.putObject("error").put("command", command).put("exit_code", code).put("message", message);
        ArrayNode errors = e.putArray("errors");
        switch (ex) {
            case InvalidConfigException invalid -> {
                for (ConfigError err : invalid.errors()) {
                    errors.addObject().put("pointer", err.pointer()).put("message", err.message());
                }
            }
            case RpcException rpc -> {
                e.put("rpc_code", rpc.code());
                JsonNode remote = rpc.data() == null ? null : rpc.data().get("errors");
                if (remote != null && remote.isArray()) {
                    errors.addAll((ArrayNode) remote);
                }
            }
            case ApplyException apply -> apply.undoFailures().forEach(u -> e.withArray("undo_failures").add(u));
            default -> { }
        }
        return root;
    }

    /** --json anywhere on the command line (before the subcommand too). */
    private static boolean jsonRequested(ParseResult parsed) {
        for (ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--json")) {
                return true;
            }
        }
        return false;
    }
}
