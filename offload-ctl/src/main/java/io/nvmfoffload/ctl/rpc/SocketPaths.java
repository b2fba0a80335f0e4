package io.nvmfoffload.ctl.rpc;

import java.nio.file.Path;

/**
 * Where the management socket lives by default: /run/nvmf-offload/ctl.sock for root,
 * $XDG_RUNTIME_DIR/nvmf-offload.sock for a user session, else a private directory under /tmp.
 * NVMF_OFFLOAD_SOCKET overrides all of them, as --socket does per command.
 */
public final class SocketPaths {
    private SocketPaths() {}

    public static Path defaultPath() {
        String env = System.getenv("NVMF_OFFLOAD_SOCKET");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/run/nvmf-offload/ctl.sock");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "nvmf-offload.sock");
        }
        return Path.of("/tmp", "nvmf-offload-" + System.getProperty("user.name"), "ctl.sock");
    }
}
