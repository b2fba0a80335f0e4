package io.nvmfoffload.offload.emulated;

import java.util.Arrays;

/**
 * QP number to attachment, read on every capsule without locks or boxing: an open-addressing table
 * replaced as a whole on the rare attach and detach.
 */
final class QpTable {
    private record Table(int[] keys, QpAttachment[] values) {}

    private volatile Table table = new Table(new int[0], new QpAttachment[0]);

    QpAttachment get(int qpNumber) {
        Table t = table;
        int n = t.keys.length;
        if (n == 0) {
            return null;
        }
        for (int i = hash(qpNumber, n), probes = 0; probes < n; i = (i + 1) & (n - 1), probes++) {
            QpAttachment a = t.values[i];
            if (a == null) {
                return null;
            }
            if (t.keys[i] == qpNumber) {
                return a;
            }
        }
        return null;
    }

    synchronized void put(int qpNumber, QpAttachment attachment) {
        rebuild(qpNumber, attachment);
    }

    synchronized void remove(int qpNumber) {
        rebuild(qpNumber, null);
    }

    synchronized int size() {
        return (int) Arrays.stream(table.values).filter(v -> v != null).count();
    }

    private void rebuild(int changedKey, QpAttachment changedValue) {
        Table old = table;
        int count = changedValue == null ? 0 : 1;
        for (int i = 0; i < old.keys.length; i++) {
            if (old.values[i] != null && old.keys[i] != changedKey) {
                count++;
            }
        }
        int n = Integer.highestOneBit(Math.max(4, count * 2 + 1)) << 1;
        int[] keys = new int[n];
        QpAttachment[] values = new QpAttachment[n];
        for (int i = 0; i < old.keys.length; i++) {
            if (old.values[i] != null && old.keys[i] != changedKey) {
                insert(keys, values, old.keys[i], old.values[i]);
            }
        }
        if (changedValue != null) {
            insert(keys, values, changedKey, changedValue);
        }
        table = new Table(keys, values);
    }

    private static void insert(int[] keys, QpAttachment[] values, int key, QpAttachment value) {
        int n = keys.length;
        int i = hash(key, n);
        while (values[i] != null) {
            i = (i + 1) & (n - 1);
        }
        keys[i] = key;
        values[i] = value;
    }

    private static int hash(int key, int n) {
        return (key * 0x9E3779B9 >>> 16) & (n - 1);
    }
}
