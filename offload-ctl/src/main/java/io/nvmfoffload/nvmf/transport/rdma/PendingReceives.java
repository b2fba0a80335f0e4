package io.nvmfoffload.nvmf.transport.rdma;

/**
 * Receives that arrived while every request slot was taken, in arrival order. A slot outlives its
 * receive buffer (a keyed command's buffer goes back to the SRQ as soon as the command is copied,
 * while the command still executes and answers), so more commands can arrive than there are
 * slots. Each waits here with its buffer kept out of the SRQ: the hosts feel the back-pressure as
 * receiver-not-ready, nothing is dropped. At most one entry per receive buffer. Poller thread only.
 */
final class PendingReceives {
    private final int[] recvIndex;
    private final int[] length;
    private final int[] qpNumber;
    private int head;
    private int size;

    PendingReceives(int capacity) {
        recvIndex = new int[capacity];
        length = new int[capacity];
        qpNumber = new int[capacity];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void add(int recv, int len, int qp) {
        if (size == recvIndex.length) {
            throw new IllegalStateException("more pending receives than receive buffers (" + size + ")");
        }
        int tail = (head + size) % recvIndex.length;
        recvIndex[tail] = recv;
        length[tail] = len;
        qpNumber[tail] = qp;
        size++;
    }

    int headRecvIndex() {
        return recvIndex[head];
    }

    int headLength() {
        return length[head];
    }

    int headQpNumber() {
        return qpNumber[head];
    }

    void removeHead() {
        head = (head + 1) % recvIndex.length;
        size--;
    }
}
