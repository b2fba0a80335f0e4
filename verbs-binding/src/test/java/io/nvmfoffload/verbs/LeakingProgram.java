package io.nvmfoffload.verbs;

import java.util.ArrayList;

/** Creates a resource and exits without closing it, for {@link LeakReportTest}. */
public final class LeakingProgram {
    private LeakingProgram() {}

    public static void main(String[] args) {
        NativeResourceLifecycleTest.Thing pd = new NativeResourceLifecycleTest.Thing("PD", "forgotten", new ArrayList<>());
        NativeResourceLifecycleTest.Thing closed = new NativeResourceLifecycleTest.Thing("MR", "closed", new ArrayList<>(), pd);
        closed.close();
        System.out.println("exiting with " + LeakReport.liveResources().size() + " open");
    }
}
