package io.zero4j.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * PNG line charts of the main curves, drawn from {@code metrics.jsonl} with Java2D (headless):
 * reward, accuracy, completion length, entropy and KL. Each file is written to a temporary name and
 * renamed, so a viewer never sees half an image.
 */
public final class Plots {
    /** File name, then the metric keys drawn in it. */
    public static final Map<String, List<String>> CHARTS = new LinkedHashMap<>();

    static {
        CHARTS.put("reward.png", List.of("reward"));
        CHARTS.put("accuracy.png", List.of("rewards/accuracy/mean", "rewards/format/mean", "completions/think_share"));
        CHARTS.put("length.png", List.of("completions/mean_length"));
        CHARTS.put("entropy_kl.png", List.of("entropy", "kl"));
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
    private static final int W = 640;
    private static final int H = 360;
    private static final int PAD = 50;

    private Plots() {
    }

    public static void write(Path metricsFile, Path outDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<double[]>> series = read(metricsFile);
        for (Map.Entry<String, List<String>> chart : CHARTS.entrySet()) {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            draw(g, chart.getValue(), series);
            g.dispose();
            Path target = outDir.resolve(chart.getKey());
            Path tmp = outDir.resolve("." + chart.getKey() + ".tmp");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void draw(Graphics2D g, List<String> keys, Map<String, List<double[]>> series) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (String k : keys) {
            for (double[] p : series.getOrDefault(k, List.of())) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(PAD, PAD / 2, W - PAD - 20, H - PAD - PAD / 2);
        if (minX == Double.POSITIVE_INFINITY) {
            g.drawString("no data yet", W / 2 - 30, H / 2);
            return;
        }
        if (maxY - minY < 1e-9) {
            maxY += 0.5;
            minY -= 0.5;
        }
        if (maxX - minX < 1e-9) {
            maxX += 1;
        }
        g.drawString(fmt(maxY), 4, PAD / 2 + 10);
        g.drawString(fmt(minY), 4, H - PAD);
        g.drawString("step " + (long) minX, PAD, H - PAD / 2 + 10);
        g.drawString("step " + (long) maxX, W - 90, H - PAD / 2 + 10);
        int legend = 0;
        for (int i = 0; i < keys.size(); i++) {
            List<double[]> pts = series.getOrDefault(keys.get(i), List.of());
            if (pts.isEmpty()) {
                continue;
            }
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (double[] p : pts) {
                int x = PAD + (int) ((p[0] - minX) / (maxX - minX) * (W - PAD - 20));
                int y = H - PAD - (int) ((p[1] - minY) / (maxY - minY) * (H - PAD - PAD / 2));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                } else {
                    g.fillOval(x - 2, y - 2, 4, 4);
                }
                px = x;
                py = y;
            }
            g.drawString(keys.get(i), PAD + 10 + 200 * legend++, PAD / 2 - 6 + 20);
        }
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : String.format("%.3f", v);
    }

    private static Map<String, List<double[]>> read(Path file) throws IOException {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row = json.readTree(line);
            double step = row.path("step").asDouble();
            row.path("data").fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {step, e.getValue().asDouble()});
                }
            });
        }
        return out;
    }
}
