package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.rpc.SocketPaths;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** The options of every command that talks to a running target; also accepted before the command (OffloadCtl). */
final class ClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The running target's management socket (default: $NVMF_OFFLOAD_SOCKET, else /run/nvmf-offload/ctl.sock "
                    + "for root, $XDG_RUNTIME_DIR/nvmf-offload.sock for a user).")
    Path socket;

    @Option(names = "--json", description = "Print the result as JSON (the JSON-RPC result, unchanged).")
    boolean json;

    /** This command's --socket, else the one given before the command, else the default. */
    Path socket() {
        Path global = OffloadCtl.globalSocket(mixee);
        return socket != null ? socket : global != null ? global : SocketPaths.defaultPath();
    }

    boolean json() {
        return json || OffloadCtl.globalJson(mixee);
    }
}
