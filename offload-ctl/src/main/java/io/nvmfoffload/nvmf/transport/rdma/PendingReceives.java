package io.nvmfoffload.nvmf.transport.rdma;

/**
 * Receives that arrived while every request slot was taken, in arrival order. A slot outlives its
 * receive buffer (a keyed command's buffer goes back to the SRQ as soon as the command is copied,
 * while the command still executes and answers), so more commands can arrive than there are
 * slots. Each waits here with its buffer kept out of the SRQ: the hosts feel the back-pressure as
 * receiver-not-ready, nothing is dropped. At most one entry per receive buffer. Poller thread only.
 */
final class PendingReceives {
    private int[] recvIndex;
    private int[] length;
    private int[] qpNumber;
    private int head;
    private int size;
    /** Receive buffers in all now: offload SRQs add theirs when their first queue pair is made. */
    private final java.util.function.IntSupplier receives;

    PendingReceives(int capacity, java.util.function.IntSupplier receives) {
        recvIndex = new int[capacity];
        length = new int[capacity];
        qpNumber = new int[capacity];
        this.receives = receives;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void add(int recv, int len, int qp) {
        if (size == recvIndex.length) {
            grow();
        }
        int tail = (head + size) % recvIndex.length;
        recvIndex[tail] = recv;
        length[tail] = len;
        qpNumber[tail] = qp;
        size++;
    }

    /** Up to the receive buffers there are now (the listener's and the offload SRQs'), keeping arrival order. */
    private void grow() {
        int capacity = receives.getAsInt();
        if (capacity <= size) {
            throw new IllegalStateException("more pending receives than receive buffers (" + size + ")");
        }
        int[][] grown = {new int[capacity], new int[capacity], new int[capacity]};
        for (int i = 0; i < size; i++) {
            int from = (head + i) % recvIndex.length;
            grown[0][i] = recvIndex[from];
            grown[1][i] = length[from];
            grown[2][i] = qpNumber[from];
        }
        recvIndex = grown[0];
        length = grown[1];
        qpNumber = grown[2];
        head = 0;
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
