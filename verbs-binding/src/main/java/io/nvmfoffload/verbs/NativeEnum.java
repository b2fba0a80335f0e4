package io.nvmfoffload.verbs;

/**
 * A Java constant that stands for a C enum value or flag of libibverbs or librdmacm. The C name
 * lets the layout test check the value against the installed headers.
 */
public interface NativeEnum {
    /** The value C uses. */
    int value();

    /** The constant's name in the C headers, e.g. {@code IBV_WC_LOC_PROT_ERR}. */
    String cName();
}
