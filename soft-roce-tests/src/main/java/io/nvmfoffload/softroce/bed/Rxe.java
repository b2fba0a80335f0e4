package io.nvmfoffload.softroce.bed;

/** The soft-RoCE device the bed brings up (bed/rxe-up.sh) and the address it answers on. */
public final class Rxe {
    public static final String DEVICE = "rxe0";
    public static final String NETDEV = "rxenet0";

    private Rxe() {}

    /** IPv4 address of rxe0's netdev, without the prefix length. */
    public static String address() {
        String addr = System.getenv().getOrDefault("RXE_ADDR", "169.254.77.1/24");
        int slash = addr.indexOf('/');
        return slash < 0 ? addr : addr.substring(0, slash);
    }
}
