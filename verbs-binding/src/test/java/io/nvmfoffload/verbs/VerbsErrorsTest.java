package io.nvmfoffload.verbs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class VerbsErrorsTest {
    @Test
    void aVerbErrorNamesTheVerbTheErrnoAndWhere() {
        VerbsException e = new VerbsException("ibv_post_send", 12, "QP 0x11 on rxe0");

        assertEquals("ibv_post_send failed: ENOMEM (12): QP 0x11 on rxe0", e.getMessage());
        assertEquals("ibv_post_send", e.verb());
        assertEquals(12, e.errno());
        assertEquals("ENOMEM", e.errnoName());
    }

    @Test
    void anErrnoWithoutANameIsStillShownByNumber() {
        assertEquals("errno 777", Errno.nameOf(777));
        assertEquals("ibv_x failed: errno 777 (777)", new VerbsException("ibv_x", 777, "").getMessage());
    }

    @Test
    void aliasesKeepTheNameTheCallerChoseWhileLookupGivesThePrimaryName() {
        assertEquals(Errno.EOPNOTSUPP, Errno.of(95));
        assertEquals("ENOTSUP", new VerbsException("ibv_map_nvmf_nsid", Errno.ENOTSUP, "x").errnoName());
        assertEquals(Errno.EAGAIN, Errno.of(11));
        assertNull(Errno.of(0));
    }

    @Test
    void workCompletionStatusesHaveTheirCNames() {
        assertEquals("IBV_WC_LOC_PROT_ERR", WcStatus.nameOf(4));
        assertEquals("IBV_WC_WR_FLUSH_ERR", WcStatus.of(5).name());
        assertEquals("ibv_wc_status 99", WcStatus.nameOf(99));
    }
}
