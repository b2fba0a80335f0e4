package io.nvmfoffload.nvmf.core;

/** Which way a command's data moves, from bits 1:0 of the opcode (or of FCTYPE for Fabrics). */
public enum DataDirection {
    NONE, HOST_TO_CONTROLLER, CONTROLLER_TO_HOST, BIDIRECTIONAL;

    public static DataDirection ofOpcode(int opcode) {
        return values()[opcode & 0x3];
    }
}
