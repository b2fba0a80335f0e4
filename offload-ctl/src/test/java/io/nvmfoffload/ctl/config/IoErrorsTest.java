package io.nvmfoffload.ctl.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IoErrorsTest {
    @Test
    void nioFileExceptionsSayWhyNotJustThePath() {
        assertEquals("no such file or directory", IoErrors.reason(new NoSuchFileException("/x.json"), Path.of("/x.json")));
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x.json"), Path.of("/x.json")));
        assertEquals("no space left on device",
                IoErrors.reason(new FileSystemException("/x.json", null, "No space left on device"), Path.of("/x.json")));
    }

    @Test
    void anotherFileThanTheOneTheMessageNamesIsNamed() {
        assertEquals("permission denied (/tmp/.x.json.1.tmp)",
                IoErrors.reason(new AccessDeniedException("/tmp/.x.json.1.tmp"), Path.of("/tmp/x.json")));
        assertEquals("no such file or directory (/a -> /b)", IoErrors.reason(new NoSuchFileException("/a", "/b", null), Path.of("/a")));
    }

    @Test
    void otherIoExceptionsKeepTheirMessage() {
        assertEquals("broken pipe", IoErrors.reason(new IOException("broken pipe")));
    }
}
