package io.nvmfoffload.nvme.spec;

/** Controller or Namespace Structure values of Identify (NVMe Base 2.0 figure 273). */
public final class IdentifyCns {
    public static final int NAMESPACE = 0x00;
    public static final int CONTROLLER = 0x01;
    public static final int ACTIVE_NAMESPACE_LIST = 0x02;
    public static final int NAMESPACE_ID_DESCRIPTORS = 0x03;

    private IdentifyCns() {
    }
}
