package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigError;
import io.nvmfoffload.ctl.config.JsonSyntax;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * JSON-RPC 2.0 over a Unix domain socket, one request per line and one response per line. The
 * socket is only ever visible with mode 0600: it is bound inside a fresh 0700 directory, chmodded,
 * then renamed into place (rename keeps the mode), so no other user can connect in between. A stale
 * socket left by a crashed target is replaced; a live one is not.
 */
public final class RpcServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());
    /** Strict: a request with a key given twice (a config document's too) is refused, not read as the last one. */
    private static final ObjectMapper JSON = JsonSyntax.STRICT;

    private final Path path;
    private final RpcDispatcher dispatcher;
    private final ServerSocketChannel server;
    private volatile boolean closing;

    private RpcServer(Path path, RpcDispatcher dispatcher, ServerSocketChannel server) {
        this.path = path;
        this.dispatcher = dispatcher;
        this.server = server;
        Thread.ofPlatform().daemon().name("ctl-rpc-accept").start(this::acceptLoop);
    }

    public static RpcServer start(Path path, RpcDispatcher dispatcher) throws IOException {
        Path socket = path.toAbsolutePath();
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        replaceStale(socket);
        Path staging = Files.createTempDirectory(dir, ".ctl-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = staging.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(bound);
            throw e;
        } finally {
            Files.deleteIfExists(staging);
        }
        LOG.log(System.Logger.Level.INFO, "management API (JSON-RPC 2.0) on {0}", socket);
        return new RpcServer(socket, dispatcher, server);
    }

    /**
     * Removes a socket that no target answers on any more (left by a target that died); anything
     * else at the path is the user's file and is never removed.
     */
    private static void replaceStale(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String type = Files.readAttributes(socket, java.nio.file.attribute.PosixFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther() ? socketOrOther(socket) : "not a socket";
        if (!type.equals("socket")) {
            throw new IOException(socket + " exists and is " + type + " (a regular file, directory or link is never "
                    + "removed); choose another path with --socket or remove it yourself");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IOException("a target already serves its management API on " + socket
                    + "; stop it first or choose another socket with --socket");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("a target already")) {
                throw e;
            }
            Files.delete(socket);
        }
    }

    /** "socket" when {@code path} is a Unix domain socket, else what it is (a FIFO, a device). */
    private static String socketOrOther(Path path) throws IOException {
        Object mode = Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        int type = ((Integer) mode) & 0170000;
        return type == 0140000 ? "socket" : "a special file (mode " + Integer.toOctalString(type) + ")";
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("ctl-rpc-conn").start(() -> serve(channel));
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.WARNING, "management API accept failed: {0}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(channel)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode response = handle(line, notifier(out));
                if (response != null) {
                    out.write((JSON.writeValueAsString(response) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "management API connection: {0}", e.getMessage());
        }
    }

    /**
     * Notifications to the caller on this connection, written before the response by the thread
     * that serves the request. A caller gone meanwhile only stops them: the operation goes on.
     */
    private static Params.Notifier notifier(OutputStream out) {
        return new Params.Notifier() {
            private boolean broken;

            @Override
            public void send(String method, ObjectNode params) {
                if (broken) {
                    return;
                }
                ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
                n.set("params", params);
                try {
                    out.write((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    broken = true;
                    LOG.log(System.Logger.Level.DEBUG, "management API: notification not sent: {0}", e.getMessage());
                }
            }
        };
    }

    /** One request to one response; null for a notification (a request without id). */
    ObjectNode handle(String line) {
        return handle(line, Params.Notifier.NONE);
    }

    ObjectNode handle(String line, Params.Notifier notifier) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            ConfigError err = JsonSyntax.error(e);
            ObjectNode data = JSON.createObjectNode();
            data.putArray("errors").addObject().put("pointer", err.pointer()).put("message", err.message());
            return error(null, new RpcException(RpcException.PARSE_ERROR, "the request is not valid JSON: " + err, data));
        }
        JsonNode id = request.get("id");
        if (!request.isObject() || !"2.0".equals(request.path("jsonrpc").asText()) || !request.path("method").isTextual()) {
            return error(id, new RpcException(RpcException.INVALID_REQUEST,
                    "expected {\"jsonrpc\": \"2.0\", \"method\": NAME, \"params\": {...}, \"id\": N}"));
        }
        try {
            JsonNode result = dispatcher.call(request.get("method").asText(), request.path("params"), notifier);
            if (id == null) {
                return null;
            }
            ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
            r.set("result", result);
            r.set("id", id);
            return r;
        } catch (RpcException e) {
            return id == null ? null : error(id, e);
        }
    }

    private static ObjectNode error(JsonNode id, RpcException e) {
        ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
        ObjectNode err = r.putObject("error").put("code", e.code()).put("message", e.getMessage());
        if (e.data() != null) {
            err.set("data", e.data());
        }
        r.set("id", id);
        return r;
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the management socket " + path, e);
        }
    }
}
