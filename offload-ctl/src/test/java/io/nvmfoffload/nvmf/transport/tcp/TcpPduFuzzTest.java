package io.nvmfoffload.nvmf.transport.tcp;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The NVMe/TCP receive side under Jazzer, through a real loopback connection to a listener: a
 * valid ICReq (the first input byte picks the digests), then the input as the host's bytes. Every
 * build runs the seed corpus (a Connect, Connect + Identify + Property Get, with digests, an
 * H2CData for a transfer that does not exist, a truncated capsule) in regression mode;
 * {@code scripts/fuzz.sh} fuzzes it.
 */
class TcpPduFuzzTest {
    private static final AtomicReference<Throwable> UNCAUGHT = new AtomicReference<>();
    private static LoopbackTcpTarget target;
    private static int port;
    private static Thread.UncaughtExceptionHandler previous;

    @BeforeAll
    static void start() {
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> UNCAUGHT.compareAndSet(null, e));
        target = LoopbackTcpTarget.start();
        port = target.port();
    }

    @AfterAll
    static void stop() {
        target.close();
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }

    /**
     * Whatever the host sends after a valid ICReq, once it stops sending the target ends the queue
     * within seconds (answering what it could, with or without a C2HTermReq), none of its threads
     * dies of an exception, and the listener still greets the next host.
     */
    @FuzzTest(maxDuration = "10m")
    void anyBytesAfterIcReqEndTheQueueAndTheTargetServesOn(byte[] input) throws IOException {
        // the harness itself connects to the listener on loopback; anything else is a finding
        BugDetectors.allowNetworkConnections((host, p) -> p == port
                && (host.equals("127.0.0.1") || host.equals("localhost")));
        int digests = input.length == 0 ? 0 : input[0] & 3;
        byte[] hostBytes = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        try (Socket s = target.greeted(digests)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            try {
                out.write(hostBytes);
                s.shutdownOutput();
            } catch (IOException e) {
                // the target may already have terminated the connection: that is an answer too
            }
            byte[] sink = new byte[64 * 1024];
            try {
                while (in.read(sink) >= 0) {
                    // drain the target's responses until it closes the queue
                }
            } catch (SocketTimeoutException e) {
                fail("the target kept the queue open 10 s after the host stopped sending (" + hostBytes.length + " bytes sent)");
            } catch (IOException e) {
                // reset by the target after a termination request: closed
            }
        }
        Throwable t = UNCAUGHT.getAndSet(null);
        if (t != null) {
            throw new AssertionError("a target thread died: " + t, t);
        }
        target.greeted(0).close();  // fails when the listener no longer greets a host
    }
}
