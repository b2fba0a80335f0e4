package io.nvmfoffload.ctl.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = OffloadCtl.class.getPackage().getImplementationVersion();
        return new String[] {"offload-ctl " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version()};
    }
}
