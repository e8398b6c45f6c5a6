package io.zero4j.trainer.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The charts hold what a reader needs: the training curve raw and smoothed, and the held-out points where they were taken. */
class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void accuracyChartDrawsTrainingCurvesAndHeldOutPoints() throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add("{\"step\":0,\"data\":{\"eval/greedy_pass@1\":0.1,\"eval/think_share\":0.0,\"eval/mean_length\":5}}");
        for (int step = 1; step <= 10; step++) {
            String eval = step % 5 == 0 ? ",\"eval/greedy_pass@1\":" + step / 10.0 + ",\"eval/mean_length\":" + (5 + step) : "";
            rows.add("{\"step\":" + step + ",\"data\":{\"reward\":" + step + ",\"rewards/accuracy/mean\":" + step / 10.0
                    + ",\"completions/mean_length\":" + (4 + step) + ",\"entropy\":null" + eval + "}}");
        }
        Files.write(dir.resolve("metrics.jsonl"), rows);
        Plots.write(dir.resolve("metrics.jsonl"), dir);
        for (Plots.Chart chart : Plots.CHARTS) {
            BufferedImage image = ImageIO.read(dir.resolve(chart.file()).toFile());
            assertEquals(450, image.getHeight(), chart.file());
        }
        Map<String, List<double[]>> series = Plots.read(dir.resolve("metrics.jsonl"));
        XYChart accuracy = Plots.draw(Plots.CHARTS.get(1), series);
        XYSeries heldOut = accuracy.getSeriesMap().get("eval/greedy_pass@1 (held-out)");
        assertArrayEquals(new double[] {0, 5, 10}, heldOut.getXData(), "evaluated at steps 0, 5 and 10");
        assertArrayEquals(new double[] {0.1, 0.5, 1.0}, heldOut.getYData());
        XYSeries smoothed = accuracy.getSeriesMap().get("rewards/accuracy/mean");
        XYSeries raw = accuracy.getSeriesMap().get("rewards/accuracy/mean (raw)");
        assertEquals(10, raw.getXData().length);
        assertEquals(0.15, smoothed.getYData()[0], 1e-12, "the first point averages itself and its neighbour");
        assertTrue(smoothed.isShowInLegend() && !raw.isShowInLegend());
        assertEquals("step", accuracy.getXAxisTitle());
        XYChart entropy = Plots.draw(Plots.CHARTS.get(3), series);
        assertTrue(entropy.getTitle().endsWith("(no data yet)"), "null values are not drawn: " + entropy.getTitle());
    }
}
