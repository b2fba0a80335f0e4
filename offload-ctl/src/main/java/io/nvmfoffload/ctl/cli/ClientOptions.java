package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.rpc.SocketPaths;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of every command that talks to a running target. */
final class ClientOptions {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "The running target's management socket (default: $NVMF_OFFLOAD_SOCKET, else /run/nvmf-offload/ctl.sock "
                    + "for root, $XDG_RUNTIME_DIR/nvmf-offload.sock for a user).")
    Path socket;

    @Option(names = "--json", description = "Print the result as JSON (the JSON-RPC result, unchanged).")
    boolean json;

    Path socket() {
        return socket != null ? socket : SocketPaths.defaultPath();
    }
}
