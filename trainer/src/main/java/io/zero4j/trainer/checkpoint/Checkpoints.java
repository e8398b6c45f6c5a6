package io.zero4j.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.JsonErrors;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import io.zero4j.model.lora.PeftAdapterFolder;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.SafeTensorsFile;
import io.zero4j.model.safetensors.SafeTensorsWriter;
import io.zero4j.trainer.loop.TrainerState;
import io.zero4j.trainer.optim.AdamW;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resume checkpoints in {@code RUN/checkpoints/step-NNNNNN/}: the Hugging Face export of the
 * policy (for a LoRA run, its PEFT adapter folder naming the base model folder), {@code optimizer.safetensors}
 * (AdamW moments of what trains), {@code trainer_state.json} (step, data
 * position, optimizer steps, training seconds so far) and {@code zero4j.json} (the resolved run
 * config). Each is written to a hidden temporary folder, forced to disk and renamed into place, so a
 * crash, kill or full disk at any moment leaves either the complete new checkpoint or none; a stale
 * temporary folder is ignored and removed. What is read back is checked: a damaged state or an
 * optimizer file of another model is one line naming the file and the field.
 */
public final class Checkpoints {
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "trainer_state.json";
    public static final String RUN_CONFIG = "zero4j.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FOLDER = Pattern.compile("step-(\\d{6,9})");

    private Checkpoints() {
    }

    /** What a checkpoint records besides the weights and moments. */
    public record Saved(TrainerState state, double elapsedSeconds) {
    }

    public static Path dirFor(Path runDir, int step) {
        return runDir.resolve("checkpoints").resolve(String.format("step-%06d", step));
    }

    /**
     * Writes the policy's weights into the empty folder {@code dir} in float32, loadable by
     * {@code Policy.load}: a model folder, or for a LoRA policy the adapters on the base they name (as
     * PEFT saves them); the tokenizer comes from {@code baseDir}.
     */
    public static void writeWeights(CausalLM policy, Path baseDir, Path dir) throws IOException {
        if (policy.adapters() != null) {
            PeftAdapterFolder.write(policy.adapters(), baseDir.toAbsolutePath().normalize().toString(), dir, DType.F32);
            TextTokenizer.copyFiles(baseDir, dir);
        } else {
            ModelExporter.export(policy, baseDir, dir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
    }

    /**
     * Writes the checkpoint of {@code state}: the policy, the optimizer's moments, the state; the
     * tokenizer comes from {@code baseDir}, the model the run started from. A failed write (a full disk, say) removes
     * its temporary folder, leaves the earlier checkpoints as they were, and is one line.
     */
    public static Path save(Path runDir, CausalLM policy, Path baseDir, TrainerState state, AdamW optimizer,
                            JsonNode runConfig, double elapsedSeconds) {
        Path target = dirFor(runDir, state.step());
        Path tmp = AtomicFolder.temporaryFor(target);
        try {
            AtomicFolder.prepare(target);
            writeWeights(policy, baseDir, tmp);
            List<SafeTensorsWriter.Tensor> moments = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : optimizer.state().entrySet()) {
                NDArray a = e.getValue();
                moments.add(new SafeTensorsWriter.Tensor(e.getKey(), a.getShape().getShape(), a::toFloatArray));
            }
            SafeTensorsWriter.write(tmp.resolve(OPTIMIZER), moments, DType.F32, Map.of("format", "zero4j-adamw"));
            ObjectNode s = JSON.createObjectNode();
            s.put("step", state.step());
            s.put("cursor", state.cursor());
            s.put("optimizer_steps", state.optimizerSteps());
            s.put("elapsed_seconds", elapsedSeconds);
            ModelExporter.writeJson(tmp.resolve(STATE), s);
            ObjectNode z = JSON.createObjectNode();
            z.put("step", state.step());
            z.set("config", runConfig);
            ModelExporter.writeJson(tmp.resolve(RUN_CONFIG), z);
            AtomicFolder.publish(tmp, target); // a re-save of the same step replaces it whole
            return target;
        } catch (IOException | UncheckedIOException e) {
            AtomicFolder.deleteQuietly(tmp);
            throw new UserInputException(target + ": cannot write the checkpoint: " + AtomicFolder.reason(e));
        }
    }

    /**
     * Deletes what a killed writer left in a run folder: hidden {@code .NAME.tmp} files and folders
     * beside the logs and plots, and in {@code checkpoints/}.
     */
    public static void removeStaleTemporaries(Path runDir) throws IOException {
        for (Path dir : new Path[] {runDir, runDir.resolve("checkpoints")}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".tmp")).toList()) {
                    AtomicFolder.deleteTree(p);
                }
            }
        }
    }

    /** The newest complete checkpoint of a run, if any. */
    public static Optional<Path> latest(Path runDir) throws IOException {
        Path dir = runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> FOLDER.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p.resolve(STATE)))
                    .max(Comparator.comparingLong(Checkpoints::folderStep));
        }
    }

    private static long folderStep(Path checkpoint) {
        Matcher m = FOLDER.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The checkpoint's state, checked: whole numbers, step >= 1 and the one its folder is named for. */
    public static Saved readState(Path checkpoint) {
        Path file = checkpoint.resolve(STATE);
        JsonNode s;
        try {
            s = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read the trainer state: " + JsonErrors.describe(e));
        }
        if (s == null || !s.isObject()) {
            throw new UserInputException(file + ": expected an object with step, cursor and optimizer_steps");
        }
        int step = count(s, "step", 1, file);
        if (step != folderStep(checkpoint)) {
            throw new UserInputException(file + ": field 'step': " + step + " is not the step of its folder "
                    + checkpoint.getFileName());
        }
        JsonNode elapsed = s.get("elapsed_seconds");
        double seconds = elapsed != null && elapsed.isNumber() && elapsed.asDouble() >= 0 ? elapsed.asDouble() : 0;
        return new Saved(new TrainerState(step, count(s, "cursor", 0, file), count(s, "optimizer_steps", 0, file)),
                seconds);
    }

    private static int count(JsonNode s, String field, int min, Path file) {
        JsonNode v = s.get(field);
        if (v == null || !v.isInt() || v.asInt() < min) {
            throw new UserInputException(file + ": field '" + field + "': expected a whole number >= " + min + ", got "
                    + (v == null ? "nothing" : v.toString()));
        }
        return v.asInt();
    }

    /** Restores the optimizer's moments from a checkpoint; a missing or foreign tensor is one line naming it. */
    public static void restoreOptimizer(Path checkpoint, AdamW optimizer, int optimizerSteps) {
        Path file = checkpoint.resolve(OPTIMIZER);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": missing; the checkpoint is incomplete");
        }
        Map<String, float[]> moments = new java.util.LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            for (String name : f.tensors().keySet()) {
                FloatBuffer b = f.readFloats(name);
                float[] v = new float[b.remaining()];
                b.get(v);
                moments.put(name, v);
            }
        }
        try {
            optimizer.restore(moments, optimizerSteps);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(file + ": " + e.getMessage() + " (an optimizer file of another model?)");
        }
    }
}
