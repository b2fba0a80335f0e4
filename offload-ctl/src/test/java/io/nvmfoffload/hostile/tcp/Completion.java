package io.nvmfoffload.hostile.tcp;

/**
 * How a command ended: its CQE (from a CapsuleResp, or implied by a C2HData PDU with the SUCCESS
 * flag), the bytes the controller sent in C2HData PDUs, and whether those PDUs covered the whole
 * buffer the command described.
 */
public record Completion(Cqe cqe, byte[] data, int bytesReceived, boolean viaSuccessFlag) {
    public boolean success() {
        return cqe.success();
    }

    @Override
    public String toString() {
        return cqe + (bytesReceived > 0 ? " with " + bytesReceived + " data bytes" : "")
                + (viaSuccessFlag ? " (C2HData SUCCESS)" : "");
    }
}
