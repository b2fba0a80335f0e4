package io.nvmfoffload.softroce.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {
    @TempDir
    Path dir;

    private void targetsFragment(String run) {
        BenchFigures f = new BenchFigures("targets", "Targets side by side")
                .chart("targets-iops-qd", "IOPS by queue depth", BenchFigures.ChartKind.LINE, "queue depth", "IOPS")
                .chart("targets-128k", "128 KiB reads", BenchFigures.ChartKind.BARS, "transport", "MB/s")
                .figure(null, "ours p99 latency", "1", 812, "us")
                .ratio("ours / kernel, rdma, QD1", 0.91, 1.0, true);
        for (String qd : new String[] {"1", "4", "16", "32"}) {
            f.figure("targets-iops-qd", "ours rdma", qd, 1000 * Integer.parseInt(qd), "IOPS")
                    .figure("targets-iops-qd", "kernel rdma", qd, 1100 * Integer.parseInt(qd), "IOPS");
        }
        f.figure("targets-128k", "ours", "rdma", 530, "MB/s").figure("targets-128k", "kernel", "rdma", 610, "MB/s");
        BenchFigures.write(f.fragment(run), dir.resolve("targets.json"));
    }

    private void resultLines() throws Exception {
        Files.writeString(dir.resolve("verbs.txt"), "round 1: ...\nRESULT rounds=2 perftest_send_lat_us=10.000 java_send_lat_us=13.500 "
                + "perftest_write_MBps=900.00 java_write_MBps=880.00\n");
        Files.writeString(dir.resolve("control-plane.txt"), "RESULT subsystems=1000 namespaces=4 validate_ms=310 apply_ms=900 "
                + "reapply_ms=120 rss_mib=180 rpc_median_ms=0.40 cli_floor_ms=60 cli_plain_ms=700 cli_launcher_ms=250\n");
    }

    @Test
    void rendersEveryChartAsPngAndEveryRatioAgainstItsGoal() throws Exception {
        Files.writeString(dir.resolve("run"), "20261129T160000\n");
        targetsFragment("20261129T160000");
        resultLines();

        Path report = BenchReport.write(dir);

        String md = Files.readString(report);
        for (String chart : new String[] {"targets-iops-qd", "targets-128k", "verbs-latency", "verbs-bandwidth", "control-apply",
                "control-round-trip"}) {
            BufferedImage png = ImageIO.read(dir.resolve(chart + ".png").toFile());
            assertEquals(960, png.getWidth(), chart);
            assertTrue(md.contains("](" + chart + ".png)"), chart + " is not shown in the report");
            // not a blank canvas: the bars and lines left colour on it
            assertTrue(colouredPixels(png) > 500, chart + " has nothing drawn");
        }
        assertTrue(md.contains("| targets | ours / kernel, rdma, QD1 | 0.91 | >= 1.00 | **missed** |"), md);
        assertTrue(md.contains("| verbs | Java / ib_send_lat SEND latency | 1.35 | <= 1.10 | **missed** |"), md);
        assertTrue(md.contains("| verbs | Java / ib_write_bw RDMA WRITE bandwidth | 0.98 | >= 0.95 | met |"), md);
        assertTrue(md.contains("| 16 | 16,000 IOPS | 17,600 IOPS |"), md);
        assertTrue(md.contains("Stages missing from this run:** tcp (no tcp.json); offload (no offload.json)"), md);
        String json = Files.readString(dir.resolve("figures.json"));
        assertTrue(json.contains("\"run\" : \"20261129T160000\""), json);
    }

    @Test
    void refusesAFragmentOfAnotherRun() throws Exception {
        Files.writeString(dir.resolve("run"), "20261129T160000\n");
        targetsFragment("20261128T090000");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchReport.write(dir));
        assertTrue(e.getMessage().contains("targets.json belongs to run '20261128T090000', not to this directory's run '20261129T160000'"),
                e.getMessage());
    }

    @Test
    void namesTheKeyAResultLineLacks() throws Exception {
        Files.writeString(dir.resolve("run"), "r1\n");
        Files.writeString(dir.resolve("verbs.txt"), "RESULT rounds=2 perftest_send_lat_us=10 java_send_lat_us=x\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchReport.write(dir));
        assertTrue(e.getMessage().contains("verbs.txt: java_send_lat_us in the RESULT line is not a number: 'x'"), e.getMessage());
    }

    @Test
    void namesAStageWhoseOutputHasNoResultLineAsMissing() throws Exception {
        Files.writeString(dir.resolve("run"), "r1\n");
        targetsFragment("r1");
        Files.writeString(dir.resolve("verbs.txt"), "== round 1: ib_send_lat -s 2 -n 10000\nCouldn't connect to 169.254.77.1:18517\n");

        String md = Files.readString(BenchReport.write(dir));
        assertTrue(md.contains("verbs (no RESULT line in verbs.txt: the stage did not finish)"), md);
    }

    @Test
    void refusesADirectoryWithoutARunId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchReport.write(dir));
        assertTrue(e.getMessage().contains("cannot read the run id from " + dir.resolve("run")), e.getMessage());
    }

    @Test
    void niceStepsCutTheAxisIntoAboutFiveIntervals() {
        assertEquals(2000, PngChart.niceStep(9000));
        assertEquals(0.2, PngChart.niceStep(1.1), 1e-9);
        assertEquals(0.5, PngChart.niceStep(3), 1e-9);
    }

    @Test
    void figuresKeepThreeSignificantDigitsAndTicksTheDecimalsOfTheirStep() {
        assertEquals("0.91", PngChart.number(0.912));
        assertEquals("13.4", PngChart.number(13.36));
        assertEquals("5,644", PngChart.number(5644.2));
        assertEquals("8", PngChart.tick(8, 2));
        assertEquals("0.4", PngChart.tick(0.4, 0.2));
        assertEquals("12,000", PngChart.tick(12000, 2000));
    }

    private static int colouredPixels(BufferedImage png) {
        int n = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    n++;
                }
            }
        }
        return n;
    }
}
