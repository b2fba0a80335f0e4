package io.nvmfoffload.ctl.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that a crash leaves the old or the new content, never a mix: a temporary file in
 * the same directory created with mode 0600 (a configuration names hosts and devices), written and
 * fsynced, renamed over the target, then the directory fsynced so the rename itself is durable.
 */
public final class AtomicFileWriter {
    private AtomicFileWriter() {}

    /** Throws an IOException whose message names {@code file} and says why (no space, permission, ...). */
    public static void write(Path file, String content) throws IOException {
        try {
            replace(file, content);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + IoErrors.reason(e, file.toAbsolutePath()), e);
        }
    }

    private static void replace(Path file, String content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
