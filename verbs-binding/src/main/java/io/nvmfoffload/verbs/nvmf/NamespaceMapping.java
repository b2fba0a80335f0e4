package io.nvmfoffload.verbs.nvmf;

/**
 * A front-end namespace served by a backend controller ({@code ibv_map_nvmf_nsid}).
 *
 * @param frontendNsid the nsid hosts see, unique within the SRQ's number space
 * @param lbaDataSize  bytes per logical block, max(block size, 512); a 16-bit field of the verb. Whether the
 *                     device supports it is its own answer (ENOTSUP), not this record's
 * @param nvmeNsid     the backend controller's nsid
 */
public record NamespaceMapping(int frontendNsid, int lbaDataSize, int nvmeNsid) {
    public NamespaceMapping {
        if (frontendNsid < 1 || nvmeNsid < 1) {
            throw new IllegalArgumentException("nsids start at 1: fe_nsid " + frontendNsid + ", nvme_nsid " + nvmeNsid);
        }
        if (lbaDataSize < 1 || lbaDataSize > 0xFFFF) {
            throw new IllegalArgumentException("lba_data_size " + lbaDataSize + " does not fit the verb's 16-bit field");
        }
    }
}
