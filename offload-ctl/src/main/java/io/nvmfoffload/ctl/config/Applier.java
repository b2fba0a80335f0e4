package io.nvmfoffload.ctl.config;

import java.util.ArrayList;
import java.util.List;

/** Executes a plan all-or-nothing: a failing step undoes the steps executed before it, in reverse. */
public final class Applier {
    private Applier() {}

    public static void apply(Plan plan, TargetControl control) {
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
        }
        steps.forEach(Step::commit);
    }
}
