package io.nvmfoffload.nvmf.transport.buffer;

/**
 * What a port's data buffer pool holds, for status and tests.
 *
 * @param capacityBytes  the pool's size: whole largest transfers within data_buffer_pool_size
 * @param allocatedBytes memory made so far (and registered, over RDMA), in chunks as the load first needed them
 * @param inUseBytes     bytes of buffers commands hold now; 0 once every command is done and every queue gone
 * @param peakInUseBytes the most bytes ever held at once
 * @param peakWaiting    the most commands that ever waited for a buffer at once (0: the pool never ran short)
 */
public record DataBufferUse(long capacityBytes, long allocatedBytes, long inUseBytes, long peakInUseBytes, int peakWaiting) {
}
