package io.nvmfoffload.ctl.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * --version: the version and the git commit of this build, from build-info.properties, which the
 * build writes (offload-ctl/pom.xml); a build without git says "unknown commit".
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    static final String RESOURCE = "build-info.properties";

    @Override
    public String[] getVersion() {
        return lines(buildInfo());
    }

    static String[] lines(Properties info) {
        String commit = info.getProperty("commit", "unknown commit");
        String built = commit.equals("unknown commit") ? commit : "commit " + commit
                + (Boolean.parseBoolean(info.getProperty("modified")) ? " with uncommitted changes" : "");
        return new String[] {"offload-ctl " + info.getProperty("version", "(development build)") + " (" + built + ")",
                "Java " + Runtime.version()};
    }

    static Properties buildInfo() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return p;
    }
}
