package io.nvmfoffload.verbs;

import java.util.Set;

/** {@code enum ibv_access_flags}: what local and remote peers may do with a memory region or QP. */
public enum Access implements NativeEnum {
    LOCAL_WRITE(1),
    REMOTE_WRITE(1 << 1),
    REMOTE_READ(1 << 2),
    REMOTE_ATOMIC(1 << 3),
    MW_BIND(1 << 4),
    ZERO_BASED(1 << 5),
    ON_DEMAND(1 << 6),
    HUGETLB(1 << 7),
    /** An optional flag (IBV_ACCESS_OPTIONAL_FIRST): providers that do not know it ignore it. */
    RELAXED_ORDERING(1 << 20);

    private final int value;

    Access(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String cName() {
        return "IBV_ACCESS_" + name();
    }

    public static int mask(Set<Access> access) {
        return NativeEnums.mask(access);
    }
}
