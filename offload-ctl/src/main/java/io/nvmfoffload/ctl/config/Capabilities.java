package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.OffloadTypeCapability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * NvmfCapabilities to and from JSON, one key per record component in snake_case
 * ({@code maxSrqNamespaces} is {@code max_srq_namespaces}); a custom profile names only the
 * capabilities it changes from the connectx5-class model.
 */
final class Capabilities {
    private static final RecordComponent[] COMPONENTS = NvmfCapabilities.class.getRecordComponents();

    private Capabilities() {}

    static String key(RecordComponent c) {
        return c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    static List<String> keys() {
        return java.util.Arrays.stream(COMPONENTS).map(Capabilities::key).toList();
    }

    static ObjectNode toJson(NvmfCapabilities caps) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (RecordComponent c : COMPONENTS) {
            Object v = value(c, caps);
            if (isSizes(c)) {
                ArrayNode a = o.putArray(key(c));
                ((Set<?>) v).stream().map(n -> (Integer) n).sorted().forEach(a::add);
            } else if (v instanceof Set<?> set) {
                ArrayNode a = o.putArray(key(c));
                set.stream().map(t -> ((OffloadTypeCapability) t).name().toLowerCase(Locale.ROOT)).sorted().forEach(a::add);
            } else if (v instanceof Boolean b) {
                o.put(key(c), b);
            } else {
                o.put(key(c), ((Number) v).longValue());
            }
        }
        return o;
    }

    /** {@code base} with the capabilities {@code f} names; null when any was refused or they contradict (reported). */
    static NvmfCapabilities read(Fields f, NvmfCapabilities base) {
        if (f == null) {
            return null;
        }
        Object[] args = new Object[COMPONENTS.length];
        Class<?>[] types = new Class<?>[COMPONENTS.length];
        boolean ok = true;
        for (int i = 0; i < COMPONENTS.length; i++) {
            RecordComponent c = COMPONENTS[i];
            String key = key(c);
            types[i] = c.getType();
            Object v = value(c, base);
            if (f.refused(key)) {
                v = null;
            } else if (isSizes(c)) {
                v = f.has(key) ? sizes(f, key) : v;
            } else if (c.getType() == Set.class) {
                v = f.has(key) ? offloadTypes(f, key) : v;
            } else if (c.getType() == boolean.class) {
                v = f.bool(key, (Boolean) v);
            } else if (c.getType() == int.class) {
                v = f.integer(key, ((Integer) v).longValue()).intValue();
            } else {
                v = f.integer(key, (Long) v);
            }
            ok &= v != null;
            args[i] = v;
        }
        if (!ok) {
            return null;
        }
        try {
            return NvmfCapabilities.class.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            f.error("capabilities rejected: " + e.getCause().getMessage());
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("NvmfCapabilities has no canonical constructor", e);
        }
    }

    /** A set of numbers ({@code lba_data_sizes}) rather than of offload types. */
    private static boolean isSizes(RecordComponent c) {
        return c.getGenericType() instanceof ParameterizedType t && t.getActualTypeArguments()[0] == Integer.class;
    }

    private static Set<Integer> sizes(Fields f, String key) {
        Set<Integer> set = new java.util.HashSet<>();
        f.each(key, (n, p) -> set.add(n.intValue()));
        return set;
    }

    private static Set<OffloadTypeCapability> offloadTypes(Fields f, String key) {
        EnumSet<OffloadTypeCapability> set = EnumSet.noneOf(OffloadTypeCapability.class);
        f.each(key, (n, p) -> set.add(OffloadTypeCapability.valueOf(n.textValue().toUpperCase(Locale.ROOT))));
        return set;
    }

    private static Object value(RecordComponent c, NvmfCapabilities caps) {
        try {
            return c.getAccessor().invoke(caps);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    static boolean isCustom(JsonNode profile) {
        return profile != null && profile.isObject();
    }
}
