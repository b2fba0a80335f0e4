package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.VerbsException;

/**
 * An NVMf offload verb failed. Carries the verb (RFC spelling, e.g. {@code ibv_map_nvmf_nsid}), the
 * errno by name, and the provider that answered, e.g. {@code "ibv_map_nvmf_nsid failed: EEXIST (17):
 * fe_nsid 1 is already mapped in this SRQ (provider 'emulated')"}. The errors the RFC defines:
 * EEXIST (map of a mapped fe_nsid), ENOENT (unmap of an unknown one), ENOTSUP (lba_data_size not
 * supported) and EOPNOTSUPP (no offload at all).
 */
public class NvmfOffloadException extends VerbsException {
    private final Errno error;
    private final String provider;

    public NvmfOffloadException(String verb, Errno errno, String provider, String detail) {
        super(verb, errno, detail + " (provider '" + provider + "')");
        this.error = errno;
        this.provider = provider;
    }

    /** The error as a constant, keeping the name the provider chose (ENOTSUP vs EOPNOTSUPP). */
    public Errno error() {
        return error;
    }

    /** The name of the provider that failed the call. */
    public String provider() {
        return provider;
    }
}
