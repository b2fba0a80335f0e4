package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.BackendController;

import java.util.ArrayList;
import java.util.List;

/**
 * The backend controllers of one offload context, in creation order. Changed and walked under the
 * context's lock; {@link #haveWork} reads a copy made at each change, so the poller can ask
 * without the lock whether a pass has anything to do.
 */
final class BackendControllers {
    private final List<EmulatedBackendController> list = new ArrayList<>();
    private volatile EmulatedBackendController[] snapshot = new EmulatedBackendController[0];

    void add(EmulatedBackendController c) {
        list.add(c);
        snapshot = list.toArray(EmulatedBackendController[]::new);
    }

    void remove(EmulatedBackendController c) {
        list.remove(c);
        snapshot = list.toArray(EmulatedBackendController[]::new);
    }

    int size() {
        return list.size();
    }

    EmulatedBackendController get(int i) {
        return list.get(i);
    }

    /** The controllers now, for the verbs' answer. */
    List<BackendController> copy() {
        return List.copyOf(list);
    }

    /** Whether any controller owes the engine a completion; without the lock, as of the last change. */
    boolean haveWork() {
        for (EmulatedBackendController c : snapshot) {
            if (c.hasWork()) {
                return true;
            }
        }
        return false;
    }
}
