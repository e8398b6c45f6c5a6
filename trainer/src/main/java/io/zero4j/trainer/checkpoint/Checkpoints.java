package io.zero4j.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.SafeTensorsFile;
import io.zero4j.model.safetensors.SafeTensorsWriter;
import io.zero4j.trainer.loop.GrpoTrainer;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resume checkpoints in {@code RUN/checkpoints/step-NNNNNN/}: the Hugging Face export of the
 * policy, {@code optimizer.safetensors} (AdamW moments), {@code trainer_state.json} (step, data
 * position, optimizer steps) and {@code zero4j.json} (the resolved run config). Each is written to
 * a hidden temporary folder, forced to disk and renamed into place, so a crash or kill at any moment
 * leaves either the complete new checkpoint or none; a stale temporary folder is ignored and removed.
 */
public final class Checkpoints {
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "trainer_state.json";
    public static final String RUN_CONFIG = "zero4j.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    public static Path dirFor(Path runDir, int step) {
        return runDir.resolve("checkpoints").resolve(String.format("step-%06d", step));
    }

    public static Path save(Path runDir, CausalLM policy, Path tokenizerDir, GrpoTrainer trainer, JsonNode runConfig)
            throws IOException {
        GrpoTrainer.State state = trainer.state();
        Path target = dirFor(runDir, state.step());
        Path tmp = AtomicFolder.prepare(target);
        ModelExporter.export(policy, tokenizerDir, tmp, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        List<SafeTensorsWriter.Tensor> moments = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : trainer.optimizer().state().entrySet()) {
            NDArray a = e.getValue();
            moments.add(new SafeTensorsWriter.Tensor(e.getKey(), a.getShape().getShape(), a::toFloatArray));
        }
        SafeTensorsWriter.write(tmp.resolve(OPTIMIZER), moments, DType.F32, Map.of("format", "zero4j-adamw"));
        ObjectNode s = JSON.createObjectNode();
        s.put("step", state.step());
        s.put("cursor", state.cursor());
        s.put("optimizer_steps", state.optimizerSteps());
        ModelExporter.writeJson(tmp.resolve(STATE), s);
        ObjectNode z = JSON.createObjectNode();
        z.put("step", state.step());
        z.set("config", runConfig);
        ModelExporter.writeJson(tmp.resolve(RUN_CONFIG), z);
        AtomicFolder.publish(tmp, target); // a re-save of the same step replaces it whole
        return target;
    }

    /** Deletes temporary folders a killed save left behind. */
    public static void removeStaleTemporaries(Path runDir) throws IOException {
        Path dir = runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".tmp")).toList()) {
                AtomicFolder.deleteTree(p);
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
            return s.filter(p -> p.getFileName().toString().startsWith("step-") && Files.isRegularFile(p.resolve(STATE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    public static GrpoTrainer.State readState(Path checkpoint) {
        try {
            JsonNode s = JSON.readTree(checkpoint.resolve(STATE).toFile());
            return new GrpoTrainer.State(s.get("step").asInt(), s.get("cursor").asInt(), s.get("optimizer_steps").asInt());
        } catch (IOException | NullPointerException e) {
            throw new UserInputException(checkpoint.resolve(STATE) + ": unreadable trainer state");
        }
    }

    public static Map<String, float[]> readOptimizer(Path checkpoint) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(checkpoint.resolve(OPTIMIZER))) {
            for (String name : f.tensors().keySet()) {
                FloatBuffer b = f.readFloats(name);
                float[] v = new float[b.remaining()];
                b.get(v);
                out.put(name, v);
            }
        }
        return out;
    }
}
