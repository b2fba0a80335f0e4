package io.nvmfoffload.offload.emulated;

import org.junit.jupiter.api.AfterEach;

import java.nio.ByteBuffer;

import static io.nvmfoffload.offload.emulated.SpecCapsules.KEYED_ADDRESS;
import static io.nvmfoffload.offload.emulated.SpecCapsules.READ;
import static io.nvmfoffload.offload.emulated.SpecCapsules.WRITE;

/**
 * What most engine tests start from: a context of four slots ({@link EngineFixture}), one backend
 * with 8-entry queues serving front-end nsid {@value #NSID}, and one offloaded I/O queue (qid 1,
 * 128 entries, its Connect consumed), with keyed reads and writes of that namespace.
 */
abstract class OneBackendEngineTest {
    static final int NSID = 1;

    final EngineFixture f = new EngineFixture(4);
    final FakeNvmeBackend backend = f.backend(1, 8, NSID);
    final QpAttachment qp = EngineFixture.queue(1, 128, 1);

    @AfterEach
    void closeFixture() {
        f.close();
    }

    /** A Read of {@code blocks} 512-byte blocks into the host's keyed buffer (address and key differ per CID). */
    static ByteBuffer read(int cid, int blocks) {
        return SpecCapsules.keyed(READ, cid, NSID, blocks, blocks * 512, 0x7000_0000L + cid * 0x10000L, 0x100 + cid, KEYED_ADDRESS);
    }

    /** A Write of {@code blocks} 512-byte blocks from the host's keyed buffer. */
    static ByteBuffer keyedWrite(int cid, int blocks) {
        return SpecCapsules.keyed(WRITE, cid, NSID, blocks, blocks * 512, 0x9000_0000L, 0x200 + cid, KEYED_ADDRESS);
    }
}
