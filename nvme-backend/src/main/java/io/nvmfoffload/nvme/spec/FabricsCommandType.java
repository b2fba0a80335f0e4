package io.nvmfoffload.nvme.spec;

/** Fabrics command types (FCTYPE, SQE byte 4 when the opcode is 7Fh; NVMe-oF 1.1 figure 10). */
public final class FabricsCommandType {
    public static final int OPCODE = 0x7F;

    public static final int PROPERTY_SET = 0x00;
    public static final int CONNECT = 0x01;
    public static final int PROPERTY_GET = 0x04;
    public static final int AUTHENTICATION_SEND = 0x05;
    public static final int AUTHENTICATION_RECEIVE = 0x06;
    public static final int DISCONNECT = 0x08;

    private FabricsCommandType() {
    }

    public static String name(int fctype) {
        return switch (fctype) {
            case PROPERTY_SET -> "Property Set";
            case CONNECT -> "Connect";
            case PROPERTY_GET -> "Property Get";
            case AUTHENTICATION_SEND -> "Authentication Send";
            case AUTHENTICATION_RECEIVE -> "Authentication Receive";
            case DISCONNECT -> "Disconnect";
            default -> String.format("fabrics command type %02Xh", fctype);
        };
    }
}
