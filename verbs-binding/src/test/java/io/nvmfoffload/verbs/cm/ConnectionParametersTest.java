package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.ffi.StructView;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectionParametersTest {
    @Test
    void privateDataAndDepthsReachTheCStruct() {
        try (Arena arena = Arena.ofConfined()) {
            StructView v = ConnectionParameters.defaults().withPrivateData(new byte[] {1, 2, 3}).withReadDepth(4, 2).toNative(arena);

            assertEquals(3, v.u8("private_data_len"));
            assertArrayEquals(new byte[] {1, 2, 3}, v.pointer("private_data").reinterpret(3).toArray(JAVA_BYTE));
            assertEquals(4, v.u8("responder_resources"));
            assertEquals(2, v.u8("initiator_depth"));
            assertEquals(7, v.u8("retry_count"));
        }
    }

    @Test
    void privateDataLongerThanAU8LengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionParameters.defaults().withPrivateData(new byte[256]));
    }

    @Test
    void theCallersArrayIsCopied() {
        byte[] data = {9};
        ConnectionParameters p = ConnectionParameters.defaults().withPrivateData(data);
        data[0] = 0;
        assertEquals(9, p.privateData()[0]);
    }
}
