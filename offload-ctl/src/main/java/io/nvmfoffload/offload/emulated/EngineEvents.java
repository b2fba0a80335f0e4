package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;

/** The offload events the engine raises, delivered to the listeners of its device's offload. */
interface EngineEvents {
    /** A backend controller failed: NVME_PCI_ERR or NVME_TIMEOUT. */
    void raise(NvmfEventType type, BackendController controller, String detail);

    /** An RDMA operation the engine made for an attached QP failed, and not by a flush: QP_FATAL. */
    void qpFatal(QpAttachment att, String why);

    /** A draining QP's last offloaded command is over: QP_LAST_NVME_CQE_REACHED. */
    void lastCqeReached(QpAttachment att);
}
