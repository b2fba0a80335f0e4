package io.nvmfoffload.ctl.cli.launch;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Rewrites the pre-Java-6 class files of a jar as Java 8 class files with stack maps, for the
 * launcher. picocli ships Java 5 class files; the JVM's AOT cache skips such classes ("old class"),
 * so each CLI run would load and verify them from the jar with the old type-inferencing verifier.
 * The code is copied instruction for instruction; only the version changes and the JDK's
 * class-file API computes the stack maps.
 *
 * <p>{@code java -cp offload-ctl.jar io.nvmfoffload.ctl.cli.launch.ClassFileUpgrade IN.jar OUT.jar}
 */
public final class ClassFileUpgrade {
    private static final int JAVA_6 = 50;

    private ClassFileUpgrade() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ClassFileUpgrade IN.jar OUT.jar");
            System.exit(2);
        }
        int n = upgrade(Path.of(args[0]), Path.of(args[1]));
        System.out.println("ClassFileUpgrade: " + n + " class files of " + args[0] + " rewritten as Java 8 in " + args[1]);
    }

    /** Writes {@code out} (via a temporary file and a rename); returns how many class files were rewritten. */
    public static int upgrade(Path in, Path out) throws IOException {
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".tmp");
        int upgraded = 0;
        try (URLClassLoader classes = new URLClassLoader(new URL[] {in.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             JarFile jar = new JarFile(in.toFile());
             JarOutputStream target = new JarOutputStream(Files.newOutputStream(tmp))) {
            // Stack maps need the common superclass of two types: the JDK's, else parsed from the jar itself.
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS, ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (isSignature(name)) {
                    continue;  // a rewritten class would no longer match it
                }
                byte[] bytes = jar.getInputStream(e).readAllBytes();
                if (name.endsWith(".class") && !e.isDirectory()) {
                    ClassModel model = cf.parse(bytes);
                    if (model.majorVersion() < JAVA_6) {
                        bytes = cf.transformClass(model, ClassTransform.dropping(el -> el instanceof ClassFileVersion)
                                // Rebuilding each method body is what makes the API compute its stack maps.
                                .andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL))
                                .andThen(ClassTransform.endHandler(b -> b.withVersion(ClassFile.JAVA_8_VERSION, 0))));
                        upgraded++;
                    }
                }
                target.putNextEntry(new JarEntry(name));
                target.write(bytes);
                target.closeEntry();
            }
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return upgraded;
    }

    private static boolean isSignature(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")
                || upper.endsWith(".EC"));
    }
}
