package io.nvmfoffload.ctl.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Why a file operation failed, in the words of the operating system. NIO's file exceptions have
 * only the path as their message ("/tmp/x.json"), so "cannot read X: X" would say nothing.
 */
public final class IoErrors {
    private IoErrors() {}

    /** "no such file or directory", "permission denied", "no space left on device", ...; with the file(s) involved. */
    public static String reason(IOException e) {
        return reason(e, null);
    }

    /** The same, naming the file(s) involved unless it is {@code subject}, which the caller's message names already. */
    public static String reason(IOException e, Path subject) {
        String why = switch (e) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "it already exists";
            case NotDirectoryException x -> "not a directory";
            case DirectoryNotEmptyException x -> "the directory is not empty";
            case FileSystemLoopException x -> "too many levels of symbolic links";
            case FileSystemException x when x.getReason() != null -> lowerFirst(x.getReason());
            case FileSystemException x -> "the file system refused it";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
        if (e instanceof FileSystemException f && f.getFile() != null
                && (subject == null || !f.getFile().equals(subject.toString()) || f.getOtherFile() != null)) {
            why += " (" + f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ")";
        }
        return why;
    }

    /** "No space left on device" reads as part of a sentence; an acronym ("EIO ...") stays as it is. */
    private static String lowerFirst(String s) {
        return s.length() < 2 || Character.isUpperCase(s.charAt(1)) ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
