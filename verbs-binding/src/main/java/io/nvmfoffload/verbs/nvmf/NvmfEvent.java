package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.QueuePair;

/**
 * An offload event.
 *
 * @param controller the backend controller, for NVME_PCI_ERR and NVME_TIMEOUT; else null
 * @param queuePair  the QP, for QP_FATAL and QP_LAST_NVME_CQE_REACHED; else null
 * @param detail     what the provider knows beyond the type, for logs
 */
public record NvmfEvent(NvmfEventType type, BackendController controller, QueuePair queuePair, String detail) {}
