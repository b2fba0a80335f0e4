package io.nvmfoffload.verbs;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

/** Conversions between C values and the Java enums that mirror them. */
public final class NativeEnums {
    private NativeEnums() {}

    /**
     * Value-to-constant lookup that allocates nothing, so that completions can be decoded on the hot
     * path. Small non-negative values use an array; others (negative, sparse) a map.
     */
    public static final class Lookup<E extends Enum<E> & NativeEnum> {
        private static final int DENSE_LIMIT = 256;
        private final Object[] dense = new Object[DENSE_LIMIT];
        private final Map<Integer, E> sparse = new HashMap<>();

        public Lookup(Class<E> type) {
            for (E e : type.getEnumConstants()) {
                int v = e.value();
                if (v >= 0 && v < DENSE_LIMIT) {
                    if (dense[v] == null) {
                        dense[v] = e;
                    }
                } else {
                    sparse.putIfAbsent(v, e);
                }
            }
        }

        @SuppressWarnings("unchecked")
        public E get(int value) {
            if (value >= 0 && value < DENSE_LIMIT) {
                return (E) dense[value];
            }
            return sparse.get(value);
        }
    }

    /** ORs the values of flag constants into a C bit mask. */
    public static int mask(Collection<? extends NativeEnum> flags) {
        int mask = 0;
        for (NativeEnum f : flags) {
            mask |= f.value();
        }
        return mask;
    }

    /** The flag constants whose bits are set in a C mask; unknown bits are dropped. */
    public static <E extends Enum<E> & NativeEnum> EnumSet<E> flags(Class<E> type, long mask) {
        EnumSet<E> set = EnumSet.noneOf(type);
        for (E e : type.getEnumConstants()) {
            if (e.value() != 0 && (mask & Integer.toUnsignedLong(e.value())) == Integer.toUnsignedLong(e.value())) {
                set.add(e);
            }
        }
        return set;
    }
}
