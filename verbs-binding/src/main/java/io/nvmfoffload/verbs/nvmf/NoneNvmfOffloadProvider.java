package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QueuePair;

/**
 * The provider for devices without NVMf offload: capabilities report nothing, and every offload
 * verb fails with EOPNOTSUPP saying so and that "none" answered. The fallback for every device.
 */
public final class NoneNvmfOffloadProvider implements NvmfOffloadProvider {
    public static final String NAME = "none";

    /** For the service loader, and for callers that want "none" whatever the device. */
    public NoneNvmfOffloadProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public boolean supports(DeviceContext context) {
        return true;
    }

    @Override
    public NvmfOffload open(DeviceContext context) {
        return new NoOffload(context);
    }

    private record NoOffload(DeviceContext context) implements NvmfOffload {
        @Override
        public String providerName() {
            return NAME;
        }

        @Override
        public NvmfCapabilities capabilities() {
            return NvmfCapabilities.NONE;
        }

        private NvmfOffloadException unsupported(String verb) {
            return new NvmfOffloadException(verb, Errno.EOPNOTSUPP, NAME,
                    "device " + context.name() + " has no NVMf target offload");
        }

        @Override
        public NvmfSrq createSrq(ProtectionDomain pd, NvmfSrqAttributes attributes) {
            throw unsupported("ibv_create_srq_ex");
        }

        @Override
        public void enableOffload(QueuePair qp, NvmfSrq srq, IoQueueAttributes queue) {
            throw unsupported("ibv_qp_set_nvmf");
        }

        @Override
        public void drain(QueuePair qp) {
            throw unsupported("ibv_qp_set_nvmf");
        }

        @Override
        public void addEventListener(NvmfEventListener listener) {
            // No offload, so no offload events: accepting the listener keeps callers uniform.
        }

        @Override
        public void removeEventListener(NvmfEventListener listener) {
        }

        @Override
        public void close() {
        }
    }
}
