package io.nvmfoffload.verbs;

/**
 * A verb failed. The message reads like {@code "ibv_post_send failed: ENOMEM (12): QP 0x11 on rxe0"}:
 * the C function, the errno by name and number, then where it happened.
 */
public class VerbsException extends RuntimeException {
    private final String verb;
    private final int errno;
    private final String errnoName;

    public VerbsException(String verb, int errno, String where) {
        this(verb, errno, Errno.nameOf(errno), where);
    }

    public VerbsException(String verb, Errno errno, String where) {
        this(verb, errno.value(), errno.name(), where);
    }

    private VerbsException(String verb, int errno, String errnoName, String where) {
        super(verb + " failed: " + errnoName + " (" + errno + ")" + (where == null || where.isEmpty() ? "" : ": " + where));
        this.verb = verb;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    /** The C function that failed, e.g. {@code ibv_reg_mr}. */
    public String verb() {
        return verb;
    }

    public int errno() {
        return errno;
    }

    /** The errno's C name, e.g. {@code ENOMEM}. */
    public String errnoName() {
        return errnoName;
    }
}
