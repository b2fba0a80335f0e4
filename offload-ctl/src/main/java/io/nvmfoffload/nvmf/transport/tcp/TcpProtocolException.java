package io.nvmfoffload.nvmf.transport.tcp;

/**
 * A host broke the NVMe/TCP protocol: the connection ends with a C2HTermReq carrying
 * {@code fes} (fatal error status) and {@code fei} (the offending field's offset).
 */
final class TcpProtocolException extends Exception {
    final int fes;
    final int fei;

    TcpProtocolException(int fes, int fei, String message) {
        super(message);
        this.fes = fes;
        this.fei = fei;
    }
}
