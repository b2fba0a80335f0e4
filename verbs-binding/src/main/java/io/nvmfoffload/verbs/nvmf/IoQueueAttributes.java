package io.nvmfoffload.verbs.nvmf;

/**
 * The NVMe-oF I/O queue a QP carries, as its Fabrics Connect set it up: what a device that answers
 * offloaded commands itself puts in the completion queue entries it sends (SQID and SQHD).
 *
 * <p>The RFC's {@code ibv_qp_set_nvmf(qp, flags)} has only an ENABLE flag, and the vendor kernel's
 * RTS-to-RTS modify names the offload type and the SRQ; neither says how the device learns the
 * queue id and size. A hardware provider hands these to whatever its switch verb takes, or ignores
 * them when its device reads them from the Connect itself.
 *
 * @param qid     the queue identifier (SQID in every completion): 1 to FFFEh, admin queues are never offloaded
 * @param entries the queue size, Connect's SQSIZE + 1: the SQ head pointer wraps at it
 * @param sqHead  the SQ head pointer at the switch, with the Connect command already consumed
 */
public record IoQueueAttributes(int qid, int entries, int sqHead) {
    public IoQueueAttributes {
        if (qid < 1 || qid > 0xFFFE) {
            throw new IllegalArgumentException("an offloaded I/O queue has a qid of 1 to 65534, not " + qid);
        }
        if (entries < 2 || entries > 0x10000) {
            throw new IllegalArgumentException("an I/O queue has 2 to 65536 entries, not " + entries);
        }
        if (sqHead < 0 || sqHead >= entries) {
            throw new IllegalArgumentException("SQ head " + sqHead + " is outside the " + entries + "-entry queue");
        }
    }

    /** The SQ head pointer after one more command was taken from {@code head}. */
    public int advance(int head) {
        return head + 1 == entries ? 0 : head + 1;
    }
}
