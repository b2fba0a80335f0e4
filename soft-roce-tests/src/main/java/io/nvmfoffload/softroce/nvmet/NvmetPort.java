package io.nvmfoffload.softroce.nvmet;

/** A kernel nvmet port: transport type ("rdma" or "tcp"), IPv4 address and service id. */
public record NvmetPort(int id, String transport, String address, int serviceId) {
    public NvmetPort {
        if (!transport.equals("rdma") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("nvmet port transport must be rdma or tcp, not '" + transport + "'");
        }
    }
}
