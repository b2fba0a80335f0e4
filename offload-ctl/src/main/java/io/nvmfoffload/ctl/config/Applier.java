package io.nvmfoffload.ctl.config;

import java.util.ArrayList;
import java.util.List;

/** Executes a plan all-or-nothing: a failing step undoes the steps executed before it, in reverse. */
public final class Applier {
    private Applier() {}

    /** Told after each executed step; a plan of thousands of steps takes long enough for someone to want to know. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total, step) -> { };

        void stepDone(int done, int total, Step step);

        /**
         * Passes a step on once {@code intervalMillis} have passed since the last one passed on
         * (or since the start), and the last step when anything was passed on before: a short
         * apply says nothing, a long one says where it is about every interval and that it ended.
         */
        static Progress every(long intervalMillis, Progress sink) {
            long interval = Math.max(0, intervalMillis) * 1_000_000L;
            return new Progress() {
                private long next = System.nanoTime() + interval;
                private boolean told;

                @Override
                public void stepDone(int done, int total, Step step) {
                    long now = System.nanoTime();
                    if (now - next >= 0 || done == total && told) {
                        next = now + interval;
                        told = true;
                        sink.stepDone(done, total, step);
                    }
                }
            };
        }
    }

    public static void apply(Plan plan, TargetControl control) {
        apply(plan, control, Progress.NONE);
    }

    public static void apply(Plan plan, TargetControl control, Progress progress) {
        List<Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            try {
                steps.get(i).execute(control);
            } catch (RuntimeException e) {
                List<String> undoFailures = new ArrayList<>();
                for (int j = i - 1; j >= 0; j--) {
                    try {
                        steps.get(j).undo(control);
                    } catch (RuntimeException u) {
                        undoFailures.add("undo of step " + (j + 1) + " (" + steps.get(j) + ") failed: " + u.getMessage());
                    }
                }
                throw new ApplyException(i, steps.get(i), e, i, undoFailures);
            }
            progress.stepDone(i + 1, steps.size(), steps.get(i));
        }
        steps.forEach(Step::commit);
    }
}
