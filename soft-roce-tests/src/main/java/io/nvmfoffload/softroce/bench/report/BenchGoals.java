package io.nvmfoffload.softroce.bench.report;

/**
 * Which ratios of the targets and offload stages are goals and which are references, and what each
 * row says it compares; both figures of a ratio come from the same run. The goals are those the
 * soft-RoCE bed can judge: our RDMA target against what rxe itself carries between user-space
 * queue pairs, and the emulated offload against the software path it models.
 */
public final class BenchGoals {
    /** Ours / the kernel's nvmet, where both meet the same limits of the bed. */
    public static final double KERNEL = 1.0;
    /** Our RDMA 128 KiB reads / rxe's user-space 128 KiB stream: our queue pairs, as that stream's, do rxe's work in the poster's call. */
    public static final double RXE_STREAM = 1.0;
    /** Our RDMA 4 KiB reads / rxe's rate of the WRITE + SEND pair each read posts, same depth: a tenth left for the rest of a read. */
    public static final double RXE_WRITE_SEND = 0.9;
    /** Emulated offload on / off: parity, since the emulation does the NIC's work on the CPU the software path uses. */
    public static final double OFFLOAD_PARITY = 0.97;

    /** One target's RDMA reads: 4 KiB random reads (IOPS) and 128 KiB sequential reads (bytes/s). */
    public record RdmaReads(double smallIops, double largeBytesPerSecond) {}

    /**
     * What rxe carries between two user-space queue pairs in this run: ib_write_bw's 4 KiB RDMA
     * WRITEs (messages/s) and 128 KiB stream (bytes/s), and WriteSendBench's 4 KiB RDMA WRITE + 16-byte
     * SEND pairs (pairs/s) with {@code outstanding} pairs in flight.
     */
    public record RxeRates(double write4kPerSecond, double stream128kBytesPerSecond, double writeSendPairsPerSecond, int outstanding) {}

    private BenchGoals() {}

    /** Ours / kernel nvmet for one transport and workload: a goal, but a reference for RDMA's large reads (see {@link #againstRxe}). */
    public static void oursOverKernel(BenchFigures f, String transport, String workload, boolean largeReads, double ratio) {
        String name = "ours / kernel nvmet, " + transport + ", " + workload;
        if (largeReads && transport.equals("rdma")) {
            // nvmet's kernel queue pairs leave rxe's protocol work to softirq; ours do it in the poster's call
            f.reference(name, ratio);
        } else {
            f.ratio(name, ratio, KERNEL, true);
        }
    }

    /**
     * Both targets' RDMA reads against rxe's own rates: ours against the 128 KiB stream and against
     * the WRITE + SEND pairs are the goals; the kernel's, and ours against the WRITE-only rate (one
     * post where a read costs two), are references.
     */
    public static void againstRxe(BenchFigures f, String smallReads, String largeReads, RdmaReads ours, RdmaReads kernel, RxeRates rxe) {
        String stream = "rxe's user-space 128 KiB RDMA WRITE stream (ib_write_bw -s 131072)";
        String pairs = "rxe's 4 KiB RDMA WRITE + 16-byte SEND pairs, " + rxe.outstanding() + " outstanding (WriteSendBench)";
        String writes = "rxe's 4 KiB RDMA WRITE rate (ib_write_bw -s 4096)";
        f.ratio("our RDMA " + largeReads + " / " + stream, ours.largeBytesPerSecond() / rxe.stream128kBytesPerSecond(), RXE_STREAM, true)
                .ratio("our RDMA " + smallReads + " / " + pairs, ours.smallIops() / rxe.writeSendPairsPerSecond(), RXE_WRITE_SEND, true)
                .reference("kernel nvmet RDMA " + largeReads + " / " + stream,
                        kernel.largeBytesPerSecond() / rxe.stream128kBytesPerSecond())
                .reference("kernel nvmet RDMA " + smallReads + " / " + pairs, kernel.smallIops() / rxe.writeSendPairsPerSecond())
                .reference("our RDMA " + smallReads + " / " + writes, ours.smallIops() / rxe.write4kPerSecond())
                .reference("kernel nvmet RDMA " + smallReads + " / " + writes, kernel.smallIops() / rxe.write4kPerSecond());
    }

    /** Emulated offload on / off for one workload of one phase (ABBA, side by side), with its spread: a parity goal. */
    public static void offloadOnOff(BenchFigures f, String phase, String workload, String spread, double on, double off) {
        f.ratio("emulated offload on / off, " + phase + ", " + workload + " (" + spread + ")", on / off, OFFLOAD_PARITY, true);
    }
}
