package io.nvmfoffload.nvme.spec;

/** NVM command set I/O opcodes (NVM Command Set 1.0 figure 17). */
public final class NvmOpcode {
    public static final int FLUSH = 0x00;
    public static final int WRITE = 0x01;
    public static final int READ = 0x02;
    public static final int WRITE_UNCORRECTABLE = 0x04;
    public static final int COMPARE = 0x05;
    public static final int WRITE_ZEROES = 0x08;
    public static final int DATASET_MANAGEMENT = 0x09;
    public static final int VERIFY = 0x0C;
    public static final int RESERVATION_REGISTER = 0x0D;
    public static final int RESERVATION_REPORT = 0x0E;
    public static final int RESERVATION_ACQUIRE = 0x11;
    public static final int RESERVATION_RELEASE = 0x15;
    public static final int COPY = 0x19;
    public static final int FABRICS = 0x7F;

    private NvmOpcode() {
    }

    /**
     * Data direction is encoded in the opcode's low two bits (Base 2.0 figure 82): 01b host to
     * controller, 10b controller to host.
     */
    public static boolean transfersToController(int opcode) {
        return (opcode & 0x3) == 0x1;
    }

    public static boolean transfersToHost(int opcode) {
        return (opcode & 0x3) == 0x2;
    }

    public static String name(int opcode) {
        return switch (opcode) {
            case FLUSH -> "Flush";
            case WRITE -> "Write";
            case READ -> "Read";
            case WRITE_UNCORRECTABLE -> "Write Uncorrectable";
            case COMPARE -> "Compare";
            case WRITE_ZEROES -> "Write Zeroes";
            case DATASET_MANAGEMENT -> "Dataset Management";
            case VERIFY -> "Verify";
            case RESERVATION_REGISTER -> "Reservation Register";
            case RESERVATION_REPORT -> "Reservation Report";
            case RESERVATION_ACQUIRE -> "Reservation Acquire";
            case RESERVATION_RELEASE -> "Reservation Release";
            case COPY -> "Copy";
            case FABRICS -> "Fabrics";
            default -> String.format("I/O opcode %02Xh", opcode);
        };
    }
}
