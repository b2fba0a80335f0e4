package io.nvmfoffload.verbs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ModuleReader;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The module-info: every package but the FFM layer is exported, and no exported member needs the FFM layer's types. */
class ModuleExportsTest {
    private static final String FFI = "io.nvmfoffload.verbs.ffi";

    private static ModuleReference module() throws URISyntaxException {
        Path classes = Path.of(NativeResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("io.nvmfoffload.verbs").orElseThrow();
    }

    @Test
    void everyPackageButTheFfmLayerIsExported() throws URISyntaxException {
        ModuleDescriptor d = module().descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        Set<String> others = new TreeSet<>(d.packages());
        others.remove(FFI);
        assertEquals(others, exported);
    }

    @Test
    void noPublicMemberOfAnExportedPackageNamesAnFfmLayerType() throws Exception {
        List<String> leaks = new ArrayList<>();
        try (ModuleReader reader = module().open(); Stream<String> names = reader.list()) {
            for (String name : names.filter(n -> n.endsWith(".class") && !n.equals("module-info.class")).toList()) {
                Class<?> c = Class.forName(name.replace('/', '.').replace(".class", ""), false, getClass().getClassLoader());
                if (!c.getPackageName().equals(FFI) && Modifier.isPublic(c.getModifiers())) {
                    leaks.addAll(leaks(c));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(List.of(), leaks);
    }

    private static List<String> leaks(Class<?> c) {
        List<String> leaks = new ArrayList<>();
        List<Executable> members = new ArrayList<>(List.of(c.getConstructors()));
        for (var m : c.getMethods()) {
            if (m.getDeclaringClass() == c) {
                members.add(m);
                if (isFfi(m.getReturnType())) {
                    leaks.add(m.toString());
                }
            }
        }
        for (Executable e : members) {
            for (Class<?> p : e.getParameterTypes()) {
                if (isFfi(p)) {
                    leaks.add(e.toString());
                }
            }
        }
        for (Field f : c.getFields()) {
            if (f.getDeclaringClass() == c && isFfi(f.getType())) {
                leaks.add(f.toString());
            }
        }
        return leaks;
    }

    private static boolean isFfi(Class<?> type) {
        Class<?> t = type.isArray() ? type.componentType() : type;
        return t.getPackageName().equals(FFI);
    }
}
