package io.nvmfoffload.verbs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeResourceLifecycleTest {
    /** A resource that records its release instead of calling C. */
    static final class Thing extends NativeResource {
        final List<String> released;
        final String name;
        RuntimeException failOnRelease;

        Thing(String kind, String name, List<String> released, NativeResource... deps) {
            super(kind, deps);
            this.name = name;
            this.released = released;
        }

        @Override
        public String describe() {
            return kind() + " " + name;
        }

        @Override
        protected void release() {
            if (failOnRelease != null) {
                throw failOnRelease;
            }
            released.add(name);
        }
    }

    private final List<String> released = new ArrayList<>();

    @Test
    void closingAParentWithLiveChildrenFailsNamingWhatIsStillOpen() {
        Thing pd = new Thing("PD", "pd", released);
        Thing cq = new Thing("CQ", "cq", released);
        new Thing("MR", "mr1", released, pd);
        new Thing("MR", "mr2", released, pd);
        new Thing("QP", "qp", released, pd, cq);

        IllegalStateException e = assertThrows(IllegalStateException.class, pd::close);

        assertEquals("cannot close PD: 2 MRs and 1 QP still open (PD pd)", e.getMessage());
        assertFalse(pd.isClosed());
        assertTrue(released.isEmpty());
    }

    @Test
    void closingInDependencyOrderReleasesEachOnce() {
        Thing pd = new Thing("PD", "pd", released);
        Thing cq = new Thing("CQ", "cq", released);
        Thing qp = new Thing("QP", "qp", released, pd, cq);
        Thing mr = new Thing("MR", "mr", released, pd);

        qp.close();
        mr.close();
        cq.close();
        pd.close();
        pd.close();

        assertEquals(List.of("qp", "mr", "cq", "pd"), released);
    }

    @Test
    void aChildCannotBeCreatedOnAClosedParent() {
        Thing pd = new Thing("PD", "pd", released);
        pd.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Thing("MR", "mr", released, pd));

        assertEquals("cannot create a MR on PD pd: it is closed", e.getMessage());
    }

    @Test
    void aFailedReleaseLeavesTheResourceOpenAndItsParentPinned() {
        Thing pd = new Thing("PD", "pd", released);
        Thing mr = new Thing("MR", "mr", released, pd);
        mr.failOnRelease = new VerbsException("ibv_dereg_mr", Errno.EBUSY, "MR mr");

        assertThrows(VerbsException.class, mr::close);

        assertFalse(mr.isClosed());
        assertThrows(IllegalStateException.class, pd::close);
        mr.failOnRelease = null;
        mr.close();
        pd.close();
        assertEquals(List.of("mr", "pd"), released);
    }

    @Test
    void aClosedResourceRefusesUse() {
        Thing pd = new Thing("PD", "pd", released);
        pd.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, pd::requireOpen);

        assertEquals("PD pd is closed", e.getMessage());
    }

    @Test
    void liveResourcesListsWhatWasNotClosed() {
        Thing open = new Thing("SRQ", "still-open", released);
        Thing closed = new Thing("SRQ", "closed", released);
        closed.close();

        assertTrue(LeakReport.liveResources().contains(open));
        assertFalse(LeakReport.liveResources().contains(closed));
        assertTrue(LeakReport.render().contains("SRQ still-open"), LeakReport.render());
        open.close();
    }
}
