package io.nvmfoffload.softroce.bench.report;

import io.nvmfoffload.softroce.bench.report.BenchFigures.Chart;
import io.nvmfoffload.softroce.bench.report.BenchFigures.ChartKind;
import io.nvmfoffload.softroce.bench.report.BenchFigures.Figure;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws one chart of the report as a PNG with Java 2D (headless): a line per series over category
 * x values, or a group of bars per x value with the value written on each bar. Categories and
 * series keep the order in which the stage measured them. The JDK draws it, so the report needs
 * no plotting library; only fonts (fontconfig, installed by scripts/install-deps.sh).
 */
final class PngChart {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 520;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 110;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b)};

    private PngChart() {}

    static void write(Chart chart, List<Figure> figures, Path file) {
        List<Figure> own = figures.stream().filter(f -> chart.id().equals(f.chart())).toList();
        if (own.isEmpty()) {
            throw new IllegalArgumentException("chart " + chart.id() + " has no figures");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, chart, own);
        } finally {
            g.dispose();
        }
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + chart.id() + " to " + file, e);
        }
    }

    private static void draw(Graphics2D g, Chart chart, List<Figure> figures) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        List<String> xs = BenchFigures.xValues(figures);
        List<String> series = BenchFigures.series(figures);
        double max = figures.stream().mapToDouble(Figure::value).max().orElse(1);
        double step = niceStep(max <= 0 ? 1 : max);
        double top = Math.ceil(max * 1.08 / step) * step;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        centered(g, chart.title(), WIDTH / 2, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double v = 0; v <= top + step / 2; v += step) {
            int y = TOP + plotH - (int) Math.round(v / top * plotH);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = tick(v, step);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 5);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        centered(rotated, chart.yLabel(), -(TOP + plotH / 2), 22);
        rotated.dispose();
        centered(g, chart.xLabel(), LEFT + plotW / 2, TOP + plotH + 42);

        double slot = (double) plotW / xs.size();
        for (int i = 0; i < xs.size(); i++) {
            centered(g, xs.get(i), LEFT + (int) (slot * (i + 0.5)), TOP + plotH + 20);
        }
        if (chart.kind() == ChartKind.LINE) {
            lines(g, figures, xs, series, top, slot, plotH);
        } else {
            bars(g, figures, xs, series, top, slot, plotH);
        }
        legend(g, series, TOP + plotH + 62);
    }

    private static void lines(Graphics2D g, List<Figure> figures, List<String> xs, List<String> series, double top, double slot, int plotH) {
        g.setStroke(new BasicStroke(2.2f));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(PALETTE[s % PALETTE.length]);
            int lastX = -1;
            int lastY = -1;
            for (int i = 0; i < xs.size(); i++) {
                Figure f = BenchFigures.find(figures, series.get(s), xs.get(i));
                if (f == null) {
                    lastX = -1;
                    continue;
                }
                int x = LEFT + (int) (slot * (i + 0.5));
                int y = TOP + plotH - (int) Math.round(f.value() / top * plotH);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, x, y);
                }
                lastX = x;
                lastY = y;
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void bars(Graphics2D g, List<Figure> figures, List<String> xs, List<String> series, double top, double slot, int plotH) {
        double barW = slot * 0.8 / series.size();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < xs.size(); i++) {
            double groupLeft = LEFT + slot * i + slot * 0.1;
            for (int s = 0; s < series.size(); s++) {
                Figure f = BenchFigures.find(figures, series.get(s), xs.get(i));
                if (f == null) {
                    continue;
                }
                int h = (int) Math.round(f.value() / top * plotH);
                int x = (int) Math.round(groupLeft + barW * s);
                g.setColor(PALETTE[s % PALETTE.length]);
                g.fillRect(x, TOP + plotH - h, (int) Math.max(1, barW - 3), h);
                g.setColor(Color.BLACK);
                centered(g, number(f.value()), x + (int) (barW / 2), TOP + plotH - h - 4);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    }

    private static void legend(Graphics2D g, List<String> series, int y) {
        FontMetrics fm = g.getFontMetrics();
        int x = LEFT;
        for (int s = 0; s < series.size(); s++) {
            int w = 22 + fm.stringWidth(series.get(s)) + 24;
            if (x + w > WIDTH - RIGHT) {
                x = LEFT;
                y += 20;
            }
            g.setColor(PALETTE[s % PALETTE.length]);
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s), x + 20, y + 1);
            x += w;
        }
    }

    private static void centered(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    /** A 1, 2 or 5 times a power of ten that cuts {@code max} into about five intervals. */
    static double niceStep(double max) {
        double raw = max / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / power;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
    }

    /** A figure with three significant digits or more: 0.91, 13.4, 5,644. */
    static String number(double v) {
        double a = Math.abs(v);
        if (v == 0 || a >= 100) {
            return String.format("%,.0f", v);
        }
        return String.format(a >= 10 ? "%.1f" : "%.2f", v);
    }

    /** An axis label with as many decimals as the step needs: 0, 2, 4 or 0.0, 0.2, 0.4. */
    static String tick(double v, double step) {
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format("%,." + decimals + "f", v);
    }
}
