package io.zero4j.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.UserInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration a resumed run continues under: the one saved in its folder, with only the keys
 * in {@link #SAFE_TO_CHANGE} changed (by {@code --set}, or by a config file given again). Changing
 * anything else mid-run would make its second half another experiment (or read other data at the
 * same position), so it is refused, naming the key. {@code run.output_dir} always becomes the folder
 * being resumed.
 *
 * @param config  what the run continues with
 * @param changes each changed key with its old and new value, for the run's record
 */
public record ResumedConfig(RunConfig config, Map<String, JsonNode[]> changes) {
    /**
     * Keys that change how long a run goes, what it logs and where it samples, not what it learns
     * from or how (the Spark backend draws what the local one draws).
     */
    public static final List<String> SAFE_TO_CHANGE = List.of("run.steps", "run.eval_every", "run.save_every",
            "run.log_samples_every", "run.max_bad_steps", "run.eval_pass_k", "run.max_train_seconds", "run.device", "rollout.backend",
            "rollout.spark.master", "rollout.spark.executors", "rollout.spark.executor_cores",
            "rollout.spark.executor_memory", "rollout.spark.weights_dir");

    /**
     * @param savedFile  the run's {@code config.json}
     * @param configFile a config given with {@code --resume}, or null to start from the saved one
     */
    public static ResumedConfig resolve(Path savedFile, Path configFile, List<String> overrides, Path runDir) {
        ObjectNode savedTree = RunConfigLoader.readObject(savedFile, "the resolved run config this run was started with");
        savedTree.with("run").put("output_dir", runDir.toString());
        JsonNode teacher = savedTree.path("teacher");
        if (teacher.path("url").isNull() && "OPENAI_API_KEY".equals(teacher.path("api_key_env").asText(null))) {
            // saved before api_key_env's default became null (2026-12): with no teacher.url that key was never read
            ((ObjectNode) teacher).putNull("api_key_env");
        }
        RunConfig saved = RunConfigLoader.resolve(savedTree, List.of(), savedFile.toString());
        ObjectNode requestedTree = configFile == null ? savedTree.deepCopy()
                : RunConfigLoader.readObject(configFile, "an object of sections (model, dataset, sampling, ...)");
        String source = configFile == null ? savedFile.toString() : configFile.toString();
        List<String> all = new ArrayList<>(overrides);
        all.add("run.output_dir=" + runDir);
        RunConfig requested = RunConfigLoader.resolve(requestedTree, all, source);
        RunConfigChecks.files(requested, source);
        Map<String, JsonNode> before = leaves(saved.toJson(), "", new LinkedHashMap<>());
        Map<String, JsonNode> after = leaves(requested.toJson(), "", new LinkedHashMap<>());
        Map<String, JsonNode[]> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : after.entrySet()) {
            JsonNode old = before.get(e.getKey());
            if (old != null && old.equals(e.getValue())) {
                continue;
            }
            if (!SAFE_TO_CHANGE.contains(e.getKey())) {
                throw new UserInputException(source + ": key '" + e.getKey() + "': " + old + " in the run's " + savedFile
                        + ", " + e.getValue() + " now; a resumed run keeps its config, and only " + SAFE_TO_CHANGE
                        + " may change");
            }
            changes.put(e.getKey(), new JsonNode[] {old, e.getValue()});
        }
        return new ResumedConfig(requested, changes);
    }

    /** Leaf values by dotted key; lists are leaves. */
    private static Map<String, JsonNode> leaves(JsonNode node, String prefix, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                leaves(e.getValue(), prefix + e.getKey() + ".", out);
            } else {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
