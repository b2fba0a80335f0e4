package io.nvmfoffload.verbs.ffi;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compiles a C program against the installed rdma-core headers and compares gcc's sizeof, alignof,
 * offsetof and member sizes with every Java layout in {@link IbvLayouts}, {@link CmLayouts} and {@link LibcLayouts}, and
 * the value of every C constant that the Java enums mirror ({@link CConstants}).
 */
class StructLayoutsMatchCHeadersTest {
    private static final List<String> HEADERS = List.of(
            "/usr/include/infiniband/verbs.h", "/usr/include/rdma/rdma_cma.h");

    private static Map<String, Long> fromGcc;
    private static Map<String, Long> fromJava;

    @BeforeAll
    static void compileProbe(@TempDir Path dir) throws Exception {
        assumeTrue(commandWorks("gcc", "--version"),
                "gcc is not installed, so the layouts cannot be compared with C (apt-get install gcc)");
        for (String header : HEADERS) {
            assumeTrue(Files.exists(Path.of(header)),
                    header + " is missing, so the layouts cannot be compared with C (apt-get install libibverbs-dev librdmacm-dev)");
        }
        fromJava = new LinkedHashMap<>();
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <netinet/in.h>
                #include <sys/socket.h>
                #include <poll.h>
                #include <infiniband/verbs.h>
                #include <rdma/rdma_cma.h>
                int main(void) {
                """);
        for (CType type : allTypes()) {
            String t = type.cName();
            emit(c, t + " sizeof", "sizeof(" + t + ")", type.layout().byteSize());
            emit(c, t + " alignof", "_Alignof(" + t + ")", type.layout().byteAlignment());
            walk(c, t, type.layout(), new ArrayList<>(), new ArrayList<>());
        }
        for (CConstants.Constant k : CConstants.all()) {
            emit(c, "const " + k.cName(), "(long long)(" + k.cName() + ")", k.value());
        }
        c.append("return 0;\n}\n");
        Path source = dir.resolve("layouts.c");
        Path binary = dir.resolve("layouts");
        Files.writeString(source, c);
        String compile = run(dir, "gcc", "-std=gnu11", "-o", binary.toString(), source.toString());
        String output = run(dir, binary.toString());
        fromGcc = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int sep = line.lastIndexOf('=');
            if (sep > 0) {
                fromGcc.put(line.substring(0, sep), Long.parseLong(line.substring(sep + 1)));
            }
        }
        assertEquals(fromJava.size(), fromGcc.size(), "the probe printed fewer lines than expected; gcc said:\n" + compile);
    }

    private static List<CType> allTypes() {
        return Stream.of(IbvLayouts.TYPES, CmLayouts.TYPES, LibcLayouts.TYPES).flatMap(List::stream).toList();
    }

    private static void walk(StringBuilder c, String type, GroupLayout group, List<String> javaPath, List<String> cPath) {
        for (MemoryLayout member : group.memberLayouts()) {
            if (member instanceof PaddingLayout || member.name().isEmpty()) {
                continue;
            }
            String name = member.name().get();
            List<String> jp = new ArrayList<>(javaPath);
            jp.add(name);
            List<String> cp = new ArrayList<>(cPath);
            if (!name.startsWith(CLayouts.ANONYMOUS_PREFIX)) {
                cp.add(name);
                String designator = String.join(".", cp);
                long javaOffset = CLayouts.offset(topLevel(type), String.join(".", jp));
                emit(c, type + "." + designator + " offsetof", "offsetof(" + type + ", " + designator + ")", javaOffset);
                emit(c, type + "." + designator + " sizeof", "sizeof(((" + type + " *)0)->" + designator + ")", member.byteSize());
            }
            if (member instanceof GroupLayout nested) {
                walk(c, type, nested, jp, cp);
            }
        }
    }

    private static GroupLayout topLevel(String cName) {
        return allTypes().stream().filter(t -> t.cName().equals(cName)).findFirst().orElseThrow().layout();
    }

    private static void emit(StringBuilder c, String key, String cExpression, long javaValue) {
        fromJava.put(key, javaValue);
        c.append("  printf(\"%s=%lld\\n\", \"").append(key).append("\", (long long)(").append(cExpression).append("));\n");
    }

    @Test
    void everyJavaLayoutHasTheSizeAlignmentAndOffsetsGccComputes() {
        List<String> mismatches = new ArrayList<>();
        fromJava.forEach((key, javaValue) -> {
            if (key.startsWith("const ")) {
                return;
            }
            Long cValue = fromGcc.get(key);
            if (!javaValue.equals(cValue)) {
                mismatches.add(key + ": Java " + javaValue + ", C " + cValue);
            }
        });
        assertTrue(mismatches.isEmpty(), mismatches.size() + " layout mismatches:\n  " + String.join("\n  ", mismatches));
    }

    @Test
    void everyEnumConstantHasTheValueTheHeaderDefines() {
        List<String> mismatches = new ArrayList<>();
        fromJava.forEach((key, javaValue) -> {
            if (key.startsWith("const ") && !javaValue.equals(fromGcc.get(key))) {
                mismatches.add(key.substring(6) + ": Java " + javaValue + ", C " + fromGcc.get(key));
            }
        });
        assertTrue(mismatches.isEmpty(), mismatches.size() + " constant mismatches:\n  " + String.join("\n  ", mismatches));
    }

    @Test
    void everyPublicLayoutConstantIsListedForChecking() throws IllegalAccessException {
        List<String> unchecked = new ArrayList<>();
        for (Class<?> holder : List.of(IbvLayouts.class, CmLayouts.class, LibcLayouts.class)) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && GroupLayout.class.isAssignableFrom(field.getType())) {
                    GroupLayout layout = (GroupLayout) field.get(null);
                    boolean listed = allTypes().stream().anyMatch(t -> t.layout() == layout);
                    boolean nestedOnly = !(layout instanceof StructLayout) && isNestedSomewhere(layout);
                    if (!listed && !nestedOnly) {
                        unchecked.add(holder.getSimpleName() + "." + field.getName());
                    }
                }
            }
        }
        assertTrue(unchecked.isEmpty(), "layouts missing from TYPES, so never compared with C: " + unchecked);
    }

    private static boolean isNestedSomewhere(GroupLayout layout) {
        return allTypes().stream().anyMatch(t -> contains(t.layout(), layout));
    }

    private static boolean contains(GroupLayout outer, GroupLayout wanted) {
        for (MemoryLayout m : outer.memberLayouts()) {
            if (m.equals(wanted) || (m instanceof GroupLayout g && contains(g, wanted))) {
                return true;
            }
        }
        return false;
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
