package io.nvmfoffload.verbs.nvmf;

@FunctionalInterface
public interface NvmfEventListener {
    void onNvmfEvent(NvmfEvent event);
}
