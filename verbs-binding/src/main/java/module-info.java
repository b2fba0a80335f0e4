/**
 * Java bindings for RDMA verbs and the RDMA connection manager, and the NVMf target offload verbs
 * with their provider SPI. The FFM layer ({@code io.nvmfoffload.verbs.ffi}) is not exported.
 */
module io.nvmfoffload.verbs {
    exports io.nvmfoffload.verbs;
    exports io.nvmfoffload.verbs.cm;
    exports io.nvmfoffload.verbs.nvmf;
    exports io.nvmfoffload.verbs.tools;

    uses io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider;
    provides io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider with io.nvmfoffload.verbs.nvmf.NoneNvmfOffloadProvider;
}
