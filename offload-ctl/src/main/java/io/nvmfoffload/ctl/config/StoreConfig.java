package io.nvmfoffload.ctl.config;

import java.nio.file.Path;

/** Where a namespace's blocks live: RAM, a regular file, or a block device. */
public sealed interface StoreConfig {
    int blockSize();

    String type();

    /** Off-heap memory of {@code sizeBytes}; lost when the namespace is removed. */
    record Ram(long sizeBytes, int blockSize) implements StoreConfig {
        @Override
        public String type() {
            return "ram";
        }
    }

    /**
     * A regular file; {@code createBytes} > 0 creates a sparse file of that size when it is missing
     * (0: the file must exist). Only the path, block size and direct I/O identify the store.
     */
    record File(Path path, int blockSize, long createBytes, boolean directIo) implements StoreConfig {
        @Override
        public String type() {
            return "file";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof File f && path.equals(f.path) && blockSize == f.blockSize && directIo == f.directIo;
        }

        @Override
        public int hashCode() {
            return path.hashCode() * 31 + blockSize;
        }
    }

    /** A block device; its capacity follows the device. */
    record Block(Path path, int blockSize, boolean directIo) implements StoreConfig {
        @Override
        public String type() {
            return "block";
        }
    }
}
