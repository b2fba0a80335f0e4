package io.nvmfoffload.softroce.bed;

import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/**
 * Builds the script that runs JUnit's console launcher inside a bed on tests compiled on the host.
 * The guest (under TCG) runs everything many times slower than the host, so the JVM there uses C1
 * only and a small heap.
 */
public final class BedLauncher {
    private final Path javaHome;
    private final String classpath;
    private final Path testClasses;
    private final List<String> systemProperties;

    public BedLauncher(Path javaHome, String classpath, Path testClasses, List<String> systemProperties) {
        this.javaHome = javaHome;
        this.classpath = classpath;
        this.testClasses = testClasses;
        this.systemProperties = systemProperties;
    }

    /** A shell command that runs the tests tagged {@code tag} and writes XML reports to {@code reports}. */
    public String command(String tag, Path reports) {
        StringJoiner cmd = new StringJoiner(" ");
        cmd.add(quote(javaHome.resolve("bin/java").toString()))
                .add("-XX:TieredStopAtLevel=1").add("-XX:+UseSerialGC").add("-Xmx1g")
                .add("--enable-native-access=ALL-UNNAMED");
        systemProperties.forEach(p -> cmd.add(quote("-D" + p)));
        cmd.add("-cp").add(quote(classpath))
                .add("org.junit.platform.console.ConsoleLauncher").add("execute")
                .add("--disable-banner").add("--details=tree").add("--disable-ansi-colors")
                .add("--scan-classpath").add(quote(testClasses.toString()))
                .add("--include-tag").add(quote(tag))
                .add("--reports-dir").add(quote(reports.toString()));
        return cmd.toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
