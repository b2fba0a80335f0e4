package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.TargetControl;
import io.nvmfoffload.nvmf.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RpcServerTest {
    @TempDir
    Path dir;
    private RpcServer server;
    private Path socket;
    private final Target target = new Target();

    @BeforeEach
    void start() throws IOException {
        ConfigService service = new ConfigService(TargetControl.detached(target));
        socket = dir.resolve("run/ctl.sock");
        server = RpcServer.start(socket, RpcMethods.dispatcher(service, new TargetStatus(service, null, OffloadStateSource.NOT_REPORTED),
                new EventLog()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void socketIsOnlyForItsOwnerAndItsNewDirectoryToo() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        try (var files = Files.list(socket.getParent())) {
            assertEquals(1, files.count(), "the staging directory used for binding is gone");
        }
    }

    @Test
    void aSecondServerOnALiveSocketIsRefused() {
        IOException e = assertThrows(IOException.class, () -> RpcServer.start(socket, new RpcDispatcher()));
        assertTrue(e.getMessage().contains("already serves"), e.getMessage());
    }

    @Test
    void aRegularFileOrDirectoryAtTheSocketPathIsNeverRemoved(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{}");
        IOException e = assertThrows(IOException.class, () -> RpcServer.start(file, new RpcDispatcher()));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("{}", Files.readString(file), "the user's file is untouched");
        Path sub = Files.createDirectory(dir.resolve("d"));
        assertThrows(IOException.class, () -> RpcServer.start(sub, new RpcDispatcher()));
        assertTrue(Files.isDirectory(sub));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertThrows(IOException.class, () -> RpcServer.start(link, new RpcDispatcher()));
        assertTrue(Files.exists(file));
    }

    @Test
    void aStaleSocketIsReplaced() throws IOException {
        server.close();
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "a crashed server leaves its socket file");
        server = RpcServer.start(socket, new RpcDispatcher().register("ping", p -> JsonNodeFactory.instance.textNode("pong")));
        try (RpcClient c = RpcClient.connect(socket)) {
            assertEquals("pong", c.call("ping").asText());
        }
    }

    @Test
    void objectMethodsApplyAndReturnTheirSteps() throws IOException {
        try (RpcClient c = RpcClient.connect(socket)) {
            JsonNode r = c.call("host.add", RpcClient.params().put("nqn", "nqn.2014-08.org.example:h1"));
            assertEquals("add_host", r.path("steps").get(0).path("op").asText());
            assertTrue(target.hosts().contains("nqn.2014-08.org.example:h1"));
            assertEquals(1, c.call("host.list").size());
        }
    }

    @Test
    void aRejectedConfigurationComesBackAsInvalidParamsWithEveryPointer() throws IOException {
        ObjectNode p = RpcClient.params();
        p.putObject("config").putArray("ports").addObject().put("id", 0).put("transport", "tcp").put("address", "x");
        try (RpcClient c = RpcClient.connect(socket)) {
            RpcException e = assertThrows(RpcException.class, () -> c.call("config.apply", p));
            assertEquals(RpcException.INVALID_PARAMS, e.code());
            assertEquals("/ports/0/id", e.data().path("errors").get(0).path("pointer").asText());
            assertEquals("/ports/0/address", e.data().path("errors").get(1).path("pointer").asText());
        }
    }

    @Test
    void unknownMethodsAndMalformedRequestsGetTheSpecsErrorCodes() throws IOException {
        try (RpcClient c = RpcClient.connect(socket)) {
            assertEquals(RpcException.METHOD_NOT_FOUND, assertThrows(RpcException.class, () -> c.call("frobnicate")).code());
        }
        assertEquals(RpcException.PARSE_ERROR, server.handle("{not json").path("error").path("code").asInt());
        assertEquals(RpcException.INVALID_REQUEST, server.handle("{\"method\": \"status\", \"id\": 1}").path("error").path("code").asInt());
        assertEquals(null, server.handle("{\"jsonrpc\": \"2.0\", \"method\": \"status\"}"), "a notification gets no response");
    }

    @Test
    void aRequestWithAKeyGivenTwiceIsRefusedAtThatKeyAndNothingIsApplied() {
        String request = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"config.apply\", \"params\": {\"config\": "
                + "{\"hosts\": [{\"nqn\": \"nqn.2014-08.org.example:h1\"}], \"hosts\": []}}}";
        JsonNode error = server.handle(request).path("error");
        assertEquals(RpcException.PARSE_ERROR, error.path("code").asInt());
        assertEquals("/params/config/hosts", error.path("data").path("errors").get(0).path("pointer").asText(), error.toString());
        assertTrue(error.path("message").asText().contains("line 1, column"), error.toString());
        assertTrue(target.hosts().isEmpty(), "nothing applied");
    }

    @Test
    void everyMethodIsListed() throws IOException {
        try (RpcClient c = RpcClient.connect(socket)) {
            JsonNode methods = c.call("rpc_get_methods");
            for (String m : new String[] {"status", "stats", "config.apply", "config.plan", "config.get", "config.clear", "events.poll",
                    "host.add", "subsystem.add", "namespace.add", "port.link", "offload.set", "devices", "caps"}) {
                assertTrue(methods.toString().contains("\"" + m + "\""), m + " in " + methods);
            }
        }
    }
}
