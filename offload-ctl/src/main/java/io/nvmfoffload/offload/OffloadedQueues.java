package io.nvmfoffload.offload;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The I/O queues of one port switched to offload, by QP number: the subsystem each serves, the
 * drains under way, and who disconnects a queue whose QP the device found in a fatal error. By
 * number rather than by QP object, as the events name them.
 */
final class OffloadedQueues {
    private final Map<Integer, String> subsystems = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Void>> draining = new ConcurrentHashMap<>();
    private volatile PortOffload.QueueDisconnect disconnect = (qpNumber, why) -> { };

    /** The queue of {@code qpNumber}, of {@code subsystemNqn}, is offloaded now. */
    void connected(int qpNumber, String subsystemNqn) {
        subsystems.put(qpNumber, subsystemNqn);
    }

    /**
     * The queue of {@code qpNumber} is closing, its QP in ERROR; {@code drain} tells the device.
     * Completes once the device reported the QP's last offloaded CQE when it reports one
     * ({@code lastCqeEvent}: its qp_last_nvme_cqe_reached capability), else as soon as the drain
     * returned, the device having let go of the QP by then; at once for a queue that was never
     * offloaded, and exceptionally if the device refused the drain.
     */
    CompletableFuture<Void> closing(int qpNumber, boolean lastCqeEvent, Runnable drain) {
        if (subsystems.remove(qpNumber) == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!lastCqeEvent) {
            try {
                drain.run();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // waiting before the drain: the event may come before it returns
        draining.put(qpNumber, done);
        try {
            drain.run();
        } catch (RuntimeException e) {
            draining.remove(qpNumber);
            return CompletableFuture.failedFuture(e);
        }
        return done;
    }

    /** QP_LAST_NVME_CQE_REACHED for {@code qpNumber}: its drain is over. */
    void lastCqeReached(int qpNumber) {
        CompletableFuture<Void> done = draining.remove(qpNumber);
        if (done != null) {
            done.complete(null);
        }
    }

    /** Who disconnects a queue whose QP is in a fatal error; the transport's. */
    void onFatal(PortOffload.QueueDisconnect disconnect) {
        this.disconnect = disconnect;
    }

    /**
     * The device found the QP of {@code qpNumber} in a fatal error: its queue is disconnected, as
     * nvmet-rdma disconnects a queue whose work failed. Returns the subsystem it served, or null
     * when no offloaded queue of this port has that QP.
     */
    String fatal(int qpNumber, String why) {
        String nqn = subsystems.get(qpNumber);
        if (nqn != null) {
            disconnect.disconnect(qpNumber, why);
        }
        return nqn;
    }

    int size() {
        return subsystems.size();
    }
}
