package io.nvmfoffload.ctl.cli.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassFileUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void picocliRewrittenAsJava8PassesTheVerifierAndStillParsesACommandLine() throws Exception {
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(majorVersion(original, "picocli/CommandLine.class") < 50, "picocli still ships pre-Java-6 classes; "
                + "if not, the launcher's upgrade is no longer needed");
        Path upgraded = dir.resolve("picocli.jar");
        int n = ClassFileUpgrade.upgrade(original, upgraded);
        assertTrue(n > 100, n + " classes rewritten");
        assertEquals(52, majorVersion(upgraded, "picocli/CommandLine.class"));

        // A fresh loader without picocli above it: every class is linked and so verified, with stack maps now.
        List<String> failures = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {upgraded.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             JarFile jar = new JarFile(upgraded.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.endsWith(".class") || name.contains("module-info") || name.startsWith("META-INF/")) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), true, loader);
                } catch (VerifyError | ClassFormatError ex) {
                    failures.add(name + ": " + ex);
                } catch (LinkageError ignored) {
                    // NoClassDefFoundError, ExceptionInInitializerError: an optional dependency absent here
                }
            }
            assertEquals(List.of(), failures);
            // The upgraded copy parses a command line (built with its programmatic API: this test's
            // annotations belong to the application loader's picocli, which that copy does not see).
            Class<?> specClass = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader);
            Class<?> optionClass = Class.forName("picocli.CommandLine$Model$OptionSpec", true, loader);
            Object spec = specClass.getMethod("create").invoke(null);
            Object builder = optionClass.getMethod("builder", String[].class).invoke(null, (Object) new String[] {"--count"});
            Method type = builder.getClass().getMethod("type", Class.class);
            type.setAccessible(true);  // declared by a package-private superclass
            type.invoke(builder, int.class);
            specClass.getMethod("addOption", optionClass).invoke(spec, builder.getClass().getMethod("build").invoke(builder));
            Object cli = Class.forName("picocli.CommandLine", true, loader).getConstructor(Object.class).newInstance(spec);
            Object result = cli.getClass().getMethod("parseArgs", String[].class).invoke(cli, (Object) new String[] {"--count", "3"});
            assertEquals(3, result.getClass().getMethod("matchedOptionValue", String.class, Object.class).invoke(result, "--count", 0));
        }
    }

    private static int majorVersion(Path jarPath, String entry) throws IOException {
        try (JarFile jar = new JarFile(jarPath.toFile()); InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
            DataInputStream d = new DataInputStream(in);
            d.readInt();
            d.readUnsignedShort();
            return d.readUnsignedShort();
        }
    }
}
