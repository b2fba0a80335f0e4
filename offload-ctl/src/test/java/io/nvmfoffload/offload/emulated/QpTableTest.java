package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.IoQueueAttributes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class QpTableTest {
    private static QpAttachment attachment() {
        return new QpAttachment(null, null, new IoQueueAttributes(1, 32, 1));
    }

    @Test
    void findsEveryAttachedQpAmongManyAndForgetsDetachedOnes() {
        QpTable table = new QpTable();
        QpAttachment[] atts = new QpAttachment[300];
        for (int qpn = 0; qpn < atts.length; qpn++) {
            atts[qpn] = attachment();
            table.put(17 + qpn * 7, atts[qpn]);
        }
        for (int qpn = 0; qpn < atts.length; qpn++) {
            assertSame(atts[qpn], table.get(17 + qpn * 7));
        }
        assertNull(table.get(18), "a QP number never attached");
        for (int qpn = 0; qpn < atts.length; qpn += 2) {
            table.remove(17 + qpn * 7);
        }
        assertEquals(150, table.size());
        assertNull(table.get(17));
        assertSame(atts[1], table.get(24));
    }

    @Test
    void anEmptyTableFindsNothing() {
        assertNull(new QpTable().get(0));
    }
}
