package io.nvmfoffload.nvmf.transport.rdma;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.core.DataDirection;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RDMA capsule's SGL decoder under Jazzer: the input is a 64-byte SQE, then the capsule length
 * (2 bytes) and the data direction (1 byte). Every build runs the seeds in regression mode;
 * {@code scripts/fuzz.sh rdma} fuzzes it.
 */
class CapsuleSglFuzzTest {
    private final CapsuleSgl sgl = new CapsuleSgl(Port.DEFAULT_MAX_IO_SIZE);

    /**
     * No SQE makes the decoder throw, and whatever it accepts the caller can use as is: in-capsule
     * data inside the capsule, a keyed transfer within MDTS, a refusal with a status.
     */
    @FuzzTest(maxDuration = "10m")
    void anySqeDecodesToDataTheCallerCanUseOrARefusal(byte[] input) {
        byte[] sqe = Arrays.copyOf(input, 64);
        int capsuleLength = input.length > 65 ? ((input[64] & 0xFF) | (input[65] & 0xFF) << 8) : 64;
        DataDirection direction = DataDirection.values()[(input.length > 66 ? input[66] & 0xFF : 0) % DataDirection.values().length];
        sgl.decode(MemorySegment.ofArray(sqe), direction, capsuleLength);
        switch (sgl.kind) {
            case IN_CAPSULE -> assertTrue(sgl.offset >= 0 && sgl.length >= 0 && 64 + sgl.offset + sgl.length <= Math.max(64, capsuleLength),
                    "in-capsule data outside the capsule: offset " + sgl.offset + " length " + sgl.length + " capsule " + capsuleLength);
            case KEYED -> assertTrue(sgl.length >= 0 && sgl.length <= Port.DEFAULT_MAX_IO_SIZE, "keyed length " + sgl.length);
            case REJECT -> assertNotNull(sgl.status, "a refusal without a status");
            case NO_DATA -> assertTrue(direction == DataDirection.NONE, "no data for a command that moves data");
        }
    }
}
