package io.zero4j.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.metrics.MetricNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code final/README.md}, the model card Hugging Face shows: metadata (base model, library, tags),
 * then the method, the data (for SFT on distill traces, the teachers and sampling settings the
 * traces record), the rewards, the key settings and the held-out evaluation before and after.
 */
final class ModelCard {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelCard() {
    }

    /** @param method what trained it ({@code grpo}, {@code on_policy_distill}, {@code sft}) */
    static String of(RunConfig c, String method, Map<String, Double> before, Map<String, Double> after, int steps) {
        String base = c.model().path() != null ? c.model().path() : "zero4j toy base of " + c.model().pretrain();
        String hubId = c.model().path() != null ? hubId(Path.of(c.model().path())) : null;
        StringBuilder s = new StringBuilder();
        s.append("---\nlibrary_name: transformers\n").append(hubId == null ? "" : "base_model: " + quoted(hubId) + "\n")
                .append("tags:\n- zero4j\n- ").append(method.replace('_', '-')).append("\n---\n\n");
        s.append("# ").append(Path.of(c.run().outputDir()).getFileName()).append("\n\n");
        s.append("Trained by [zero4j](https://github.com/zero4j) from `").append(base).append("` with **").append(method)
                .append("** for ").append(steps).append(" steps.\n\n## Data\n\n- training data: `").append(c.dataset().path())
                .append("`\n");
        if (c.dataset().evalPath() != null) {
            s.append("- held-out evaluation: `").append(c.dataset().evalPath()).append("`\n");
        }
        if (method.equals("sft")) {
            s.append(traceProvenance(Path.of(c.dataset().path())));
        }
        if (method.equals("on_policy_distill")) {
            s.append("- teacher: `").append(c.teacher().model() != null ? c.teacher().model() : c.teacher().url()).append("`\n");
        }
        s.append("\n## Rewards\n\n");
        c.rewards().forEach(r -> s.append("- ").append(r.name().name().toLowerCase(Locale.ROOT)).append(" (weight ")
                .append(r.weight()).append(r.params().isEmpty() ? "" : ", " + r.params()).append(")\n"));
        RunConfig.Sampling p = c.sampling();
        s.append("\n## Settings\n\n- learning rate ").append(c.optim().learningRate()).append(", ")
                .append(c.optim().lrScheduler().name().toLowerCase(Locale.ROOT)).append(" schedule, warm-up ")
                .append(c.optim().warmupSteps()).append("\n- sampling: temperature ").append(p.temperature())
                .append(", max completion ").append(p.maxCompletionLength()).append(" tokens, stop ").append(p.stop())
                .append("\n- prompt template: `").append(c.prompt().template().replace("`", "'")).append("`")
                .append(c.prompt().useChatTemplate() ? ", as the user's message of the model's chat template\n" : "\n");
        s.append("\n## Evaluation (held out)\n\n");
        if (before.isEmpty() && after.isEmpty()) {
            return s.append("Not evaluated (no `dataset.eval_path` or `run.eval_every` 0).\n").toString();
        }
        s.append("| metric | before | after |\n| --- | --- | --- |\n");
        new TreeMap<>(after).forEach((k, v) -> s.append("| ").append(k.substring(MetricNames.EVAL.length())).append(" | ")
                .append(format(before.get(k))).append(" | ").append(format(v)).append(" |\n"));
        return s.toString();
    }

    /**
     * The Hub id of a model folder in Hugging Face's cache ({@code .../models--ORG--NAME/snapshots/REV},
     * as {@code huggingface-cli download} and {@code from_pretrained} leave it), or null: the Hub takes
     * only such an id as {@code base_model}, and a local folder says nothing reliable of its origin.
     */
    static String hubId(Path folder) {
        Path p = folder.toAbsolutePath().normalize();
        for (int i = 0; i + 2 < p.getNameCount(); i++) {
            String[] parts = p.getName(i).toString().split("--", 3);
            if (parts.length == 3 && parts[0].equals("models") && p.getName(i + 1).toString().equals("snapshots")) {
                return parts[1] + "/" + parts[2];
            }
        }
        return null;
    }

    /** The teachers and sampling settings (without the per-problem seed) the first trace of each teacher records. */
    private static String traceProvenance(Path traces) {
        Map<String, String> teachers = new TreeMap<>();
        try (Stream<String> lines = Files.lines(traces)) {
            lines.limit(100_000).forEach(l -> {
                try {
                    JsonNode n = JSON.readTree(l);
                    if (n != null && n.has("teacher")) {
                        JsonNode sampling = n.path("sampling").deepCopy();
                        if (sampling instanceof ObjectNode o) {
                            o.remove("seed"); // each problem's own, derived from run.seed
                        }
                        teachers.putIfAbsent(n.get("teacher").toString(), sampling.toString());
                    }
                } catch (IOException notATrace) {
                    // a pair without provenance
                }
            });
        } catch (IOException e) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        teachers.forEach((t, sampling) -> s.append("- traces from teacher `").append(t).append("`, sampled with `")
                .append(sampling).append("`\n"));
        return s.toString();
    }

    private static String format(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "'") + "\"";
    }
}
