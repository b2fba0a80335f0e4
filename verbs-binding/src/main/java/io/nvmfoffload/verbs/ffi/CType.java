package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.GroupLayout;

/**
 * A C type as the headers spell it ({@code struct ibv_wc}, {@code union ibv_gid}) paired with the
 * Java layout that mirrors it.
 *
 * @param cName  the type as written in C, usable in {@code sizeof} and {@code offsetof}
 * @param header the header that declares it
 */
public record CType(String cName, String header, GroupLayout layout) {
    static CType struct(String tag, GroupLayout layout) {
        return new CType("struct " + tag, "infiniband/verbs.h", layout);
    }

    static CType union(String tag, GroupLayout layout) {
        return new CType("union " + tag, "infiniband/verbs.h", layout);
    }

    static CType cmStruct(String tag, GroupLayout layout) {
        return new CType("struct " + tag, "rdma/rdma_cma.h", layout);
    }

    static CType netStruct(String tag, GroupLayout layout) {
        return new CType("struct " + tag, "netinet/in.h", layout);
    }
}
