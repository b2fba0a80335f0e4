package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTextTest {
    private static final String SAMPLE = """
            {"jsonrpc":"2.0","id":7,"result":{"hosts":["nqn.a","q\\"uote\\u00e9"],"blocks":4294967296,
             "huge":123456789012345678901234567890,"ratio":0.875,"on":true,"off":false,"none":null,
             "empty":{},"list":[],"nested":[{"nsid":1,"size":-3}]}}""";

    @Test
    void parsesTheSameTreeAnObjectMapperReads() throws IOException {
        assertEquals(new ObjectMapper().readTree(SAMPLE), JsonText.parse(SAMPLE));
    }

    @Test
    void keepsIntegerWidthsAsAnObjectMapperDoes() throws IOException {
        JsonNode tree = JsonText.parse(SAMPLE).path("result");
        assertTrue(tree.path("nested").get(0).path("nsid").isInt());
        assertTrue(tree.path("blocks").isLong());
        assertTrue(tree.path("huge").isBigInteger());
        assertTrue(tree.path("ratio").isDouble());
    }

    @Test
    void writesTheTextAnObjectMapperWrites() throws IOException {
        JsonNode tree = new ObjectMapper().readTree(SAMPLE);
        assertEquals(new ObjectMapper().writeValueAsString(tree), JsonText.compact(tree));
        assertEquals(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree), JsonText.indented(tree));
    }

    @Test
    void rejectsTextAfterTheValueAndNamesWhere() {
        IOException e = assertThrows(IOException.class, () -> JsonText.parse("{\"a\":1} {\"b\":2}"));
        assertTrue(e.getMessage().contains("START_OBJECT"), e.getMessage());
        assertTrue(e.getMessage().contains("column: 10"), e.getMessage());
    }

    @Test
    void rejectsEmptyText() {
        assertThrows(IOException.class, () -> JsonText.parse("  "));
    }
}
