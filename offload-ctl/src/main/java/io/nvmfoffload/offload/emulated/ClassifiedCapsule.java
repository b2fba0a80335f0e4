package io.nvmfoffload.offload.emulated;

/**
 * What {@link CapsuleClassifier#classify} found in a capsule the engine executes: the namespace's
 * route, the opcode and its transfer, and where the data is (the host's keyed buffer, or the
 * capsule itself). One per classifier, overwritten by each capsule: nothing is allocated per I/O.
 */
final class ClassifiedCapsule {
    NamespaceRoute route;
    int opcode;
    /** Bytes to transfer (0 for a flush). */
    int length;
    /** Logical blocks (NLB + 1; 0 for a flush). */
    int blocks;
    /** The write data is in the capsule, at {@link #dataOffset} from its start. */
    boolean inCapsule;
    long dataOffset;
    /** The host's buffer of a keyed SGL data block. */
    long remoteAddress;
    int remoteKey;
    /** The keyed SGL has the Invalidate Key subtype (Fh). */
    boolean invalidate;
}
