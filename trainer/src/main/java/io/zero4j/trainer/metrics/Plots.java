package io.zero4j.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.rewards.Choices;
import io.zero4j.rewards.RewardKind;
import static io.zero4j.trainer.metrics.MetricNames.*;
import java.awt.Color;
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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a run's main curves, drawn with XChart from {@code metrics.jsonl}: the step on the
 * x axis, values with ticks and labels, each training curve raw (thin, faded) with a smoothed line
 * over it (named in the legend), and the held-out evaluations as points. Each file is written to a temporary name and renamed, so
 * a viewer never sees half an image.
 */
public final class Plots {
    /** One chart: its file, title, y-axis title, training curves and held-out points. */
    record Chart(String file, String title, String yTitle, List<String> training, List<String> heldOut) {
    }

    static final List<Chart> CHARTS = List.of(
            new Chart("reward.png", "Reward per step", "total reward", List.of(REWARD), List.of()),
            new Chart("accuracy.png", "Accuracy and format", "share of completions",
                    List.of(rewardMean(Choices.name(RewardKind.ACCURACY)), rewardMean(Choices.name(RewardKind.FORMAT)), THINK_SHARE),
                    List.of(EVAL + GREEDY_PASS_AT_1, EVAL + EVAL_THINK_SHARE)),
            new Chart("length.png", "Completion length", "tokens", List.of(MEAN_LENGTH), List.of(EVAL + EVAL_MEAN_LENGTH)),
            new Chart("entropy_kl.png", "Entropy and KL to the reference", "nats per token", List.of(ENTROPY, KL), List.of()));

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
    private static final Color[] HELD_OUT = {new Color(0xff7f0e), new Color(0x9467bd)};
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 450;

    private Plots() {
    }

    public static void write(Path metricsFile, Path outDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<double[]>> series = read(metricsFile);
        for (Chart chart : CHARTS) {
            BufferedImage image = BitmapEncoder.getBufferedImage(draw(chart, series));
            Path tmp = outDir.resolve("." + chart.file() + ".tmp");
            ImageIO.write(image, "png", tmp.toFile());
            Files.move(tmp, outDir.resolve(chart.file()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static XYChart draw(Chart chart, Map<String, List<double[]>> series) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(chart.title()).xAxisTitle("step")
                .yAxisTitle(chart.yTitle()).build();
        XYStyler style = c.getStyler();
        style.setPlotGridLinesVisible(true);
        style.setLegendPosition(Styler.LegendPosition.OutsideE);
        style.setLegendLayout(Styler.LegendLayout.Vertical);
        style.setChartBackgroundColor(Color.WHITE);
        style.setMarkerSize(7);
        int drawn = 0;
        for (int i = 0; i < chart.training().size(); i++) {
            List<double[]> points = series.getOrDefault(chart.training().get(i), List.of());
            if (!points.isEmpty()) {
                Color color = COLORS[i % COLORS.length];
                line(c, chart.training().get(i) + " (raw)", points, fade(color), 1f).setShowInLegend(false);
                line(c, chart.training().get(i), smoothed(points), color, 2.5f);
                drawn++;
            }
        }
        for (int i = 0; i < chart.heldOut().size(); i++) {
            List<double[]> points = series.getOrDefault(chart.heldOut().get(i), List.of());
            if (!points.isEmpty()) {
                XYSeries s = c.addSeries(chart.heldOut().get(i) + " (held-out)", xs(points), ys(points));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND)
                        .setMarkerColor(HELD_OUT[i % HELD_OUT.length]);
                drawn++;
            }
        }
        if (drawn == 0) {
            c.setTitle(chart.title() + " (no data yet)");
            line(c, "no data yet", List.of(new double[] {0, 0}), Color.LIGHT_GRAY, 1f);
        }
        return c;
    }

    private static XYSeries line(XYChart c, String name, List<double[]> points, Color color, float width) {
        XYSeries s = c.addSeries(name, xs(points), ys(points));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE).setLineColor(color)
                .setLineWidth(width);
        return s;
    }

    /** A centred moving average over about a twentieth of the run (at least one point each side). */
    static List<double[]> smoothed(List<double[]> points) {
        int half = Math.max(1, points.size() / 40);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - half); j <= Math.min(points.size() - 1, i + half); j++) {
                sum += points.get(j)[1];
                n++;
            }
            out.add(new double[] {points.get(i)[0], sum / n});
        }
        return out;
    }

    private static Color fade(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 90);
    }

    private static double[] xs(List<double[]> points) {
        return points.stream().mapToDouble(p -> p[0]).toArray();
    }

    private static double[] ys(List<double[]> points) {
        return points.stream().mapToDouble(p -> p[1]).toArray();
    }

    /** Each metric's finite values by step, from a log a run may still be appending to. */
    static Map<String, List<double[]>> read(Path file) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (JsonNode row : new StepLines(file).read()) {
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
