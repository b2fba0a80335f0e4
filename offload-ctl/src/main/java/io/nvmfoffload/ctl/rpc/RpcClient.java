package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A JSON-RPC 2.0 client over the management socket; one connection, calls in sequence. It works on
 * JSON trees through {@link JsonText}, without an {@code ObjectMapper}, for the CLI's start-up time.
 */
public final class RpcClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private long nextId = 1;

    private RpcClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Thrown when no target answers on the socket; the CLI turns it into its own exit code. */
    public static final class UnreachableException extends IOException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static RpcClient connect(Path socket) throws UnreachableException {
        try {
            return new RpcClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
        } catch (IOException e) {
            if (Files.exists(socket) && !Files.isWritable(socket)) {
                // connect(2) on a socket needs write permission: say so, not that nothing runs
                throw new UnreachableException("permission denied on the management socket " + socket
                        + " (it is " + owner(socket) + "'s, mode 0600); run as that user or root", e);
            }
            String why = Files.exists(socket) ? "it does not answer (" + e.getMessage() + ")" : "there is no socket";
            throw new UnreachableException("no target is running at " + socket + ": " + why
                    + "; start one with 'offload-ctl serve' or name its socket with --socket", e);
        }
    }

    private static String owner(Path socket) {
        try {
            return Files.getOwner(socket).getName();
        } catch (IOException e) {
            return "another user";
        }
    }

    public JsonNode call(String method, ObjectNode params) throws IOException {
        return call(method, params, notification -> { });
    }

    /**
     * One call; the target's notifications that arrive before the response (each {"method",
     * "params"}, no id: progress of a long apply) go to {@code notifications} as they come.
     */
    public JsonNode call(String method, ObjectNode params, Consumer<JsonNode> notifications) throws IOException {
        ObjectNode request = JsonText.object().put("jsonrpc", "2.0").put("method", method);
        request.set("params", params == null ? JsonText.object() : params);
        request.put("id", nextId++);
        out.write((JsonText.compact(request) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        JsonNode response;
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the target closed the management connection during " + method);
            }
            response = JsonText.parse(line);
            if (response.has("id") || !response.has("method")) {
                break;
            }
            notifications.accept(response);
        }
        JsonNode error = response.get("error");
        if (error != null) {
            throw new RpcException(error.path("code").asInt(), error.path("message").asText(), error.get("data"));
        }
        return response.get("result");
    }

    public JsonNode call(String method) throws IOException {
        return call(method, null);
    }

    public static ObjectNode params() {
        return JsonText.object();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
