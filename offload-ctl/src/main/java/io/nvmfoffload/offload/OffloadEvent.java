package io.nvmfoffload.offload;

import java.time.Instant;

/**
 * Something the offload did or suffered that an operator should see: a backend PCI error or
 * timeout, a recovery, a namespace moved to the software path. Always names the provider.
 *
 * @param kind       e.g. "NVME_PCI_ERR", "NVME_TIMEOUT", "QP_FATAL", "BACKEND_RECREATED", "SOFTWARE_FALLBACK"
 * @param nsid       the front-end namespace concerned, or 0
 */
public record OffloadEvent(Instant time, String kind, String provider, int portId, String subsystemNqn, int nsid, String detail) {
    @Override
    public String toString() {
        return time + " " + kind + " port " + portId + " " + subsystemNqn + (nsid > 0 ? " nsid " + nsid : "") + " (provider "
                + provider + "): " + detail;
    }
}
