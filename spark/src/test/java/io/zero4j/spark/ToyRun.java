package io.zero4j.spark;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Architecture;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import io.zero4j.model.safetensors.DType;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemSet;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.LocalRolloutBackend;
import io.zero4j.trainer.rollouts.RolloutBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A tiny GRPO run for the Spark tests: a random 2-layer model saved as a model folder, a dozen
 * arithmetic problems, and a length-shaped reward that differs within groups, so every step changes
 * the weights and each published version differs from the last.
 */
final class ToyRun {
    final Path dir;
    final Path base;
    final Path data;

    private ToyRun(Path dir) {
        this.dir = dir;
        this.base = dir.resolve("base");
        this.data = dir.resolve("problems.jsonl");
    }

    static ToyRun create(Path dir) throws IOException {
        ToyRun run = new ToyRun(dir);
        ModelPresets.toyTokenizer().writeTo(run.base);
        int vocab;
        try (var tok = io.zero4j.model.tokenizer.TextTokenizer.load(run.base)) {
            vocab = tok.vocabSize();
        }
        ModelConfig c = ModelConfig.of(Architecture.QWEN2, 32, 64, 2, 4, 2, vocab, true, 64);
        try (CausalLM m = RandomInit.create(c, 11, Devices.host(), DataType.FLOAT32)) {
            m.parameters().forEach((name, p) -> {
                if (!name.endsWith("norm.weight") && !name.endsWith(".bias")) {
                    p.muli(5); // a non-uniform start: lengths vary within a group
                }
            });
            ModelExporter.export(m, run.base, run.base, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            rows.append("{\"question\":\"").append(i).append('+').append(i + 1).append("\",\"answer\":\"")
                    .append(2 * i + 1).append("\"}\n");
        }
        Files.writeString(run.data, rows);
        return run;
    }

    RunConfig config(String... overrides) {
        ObjectNode user;
        try {
            user = (ObjectNode) RunConfigLoader.MAPPER.readTree("{\"model\":{\"path\":\"" + base + "\"},"
                    + "\"dataset\":{\"path\":\"" + data + "\",\"eval_size\":0},"
                    + "\"prompt\":{\"template\":\"Q: {problem} A:\",\"think_prefilled\":false},"
                    + "\"rewards\":[{\"name\":\"overlong\",\"params\":{\"max_length\":\"8\",\"overlong_cache\":\"6\"}}],"
                    + "\"sampling\":{\"num_generations\":4,\"max_prompt_length\":16,\"max_completion_length\":8,\"stop\":[]},"
                    + "\"optim\":{\"learning_rate\":0.02,\"prompts_per_step\":4,\"micro_batch_size\":16},"
                    + "\"run\":{\"steps\":3,\"seed\":5,\"output_dir\":\"" + dir.resolve("run") + "\"}}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return RunConfigLoader.resolve(user, List.of(overrides), "test");
    }

    /** The learner a run of {@code config} starts from: the base, with fresh adapters when it asks for LoRA. */
    Policy learner(RunConfig config) {
        return Policy.load(base, base, Devices.host(), config.model().lora(), config.run().seed());
    }

    List<Problem> problems(RunConfig config) {
        return ProblemSet.read(Path.of(config.dataset().path()), "question", "answer", Set.of());
    }

    /** The steps' metrics and batches, sampled through {@code backend} (the local one when null). */
    List<GrpoLoop.Step> train(RunConfig config, Policy policy, RolloutBackend backend) {
        RolloutBackend b = backend != null ? backend : new LocalRolloutBackend(policy.engine(), config.rewardSet());
        GrpoLoop loop = GrpoLoop.of(config, policy, null, b, problems(config));
        List<GrpoLoop.Step> steps = new ArrayList<>();
        for (int s = 0; s < config.run().steps(); s++) {
            steps.add(loop.step(s + 1 < config.run().steps()));
        }
        return steps;
    }

    /** A Spark backend for {@code config} on {@code master}, rewards from {@code rewards} (null: the config's). */
    SparkRolloutBackend spark(RunConfig config, String master, RewardSource rewards) {
        RunConfig.Spark s = new RunConfig.Spark(master, 2, 1, "512m", null);
        return new SparkRolloutBackend(SparkSettings.conf(s), dir.resolve("versions-" + System.nanoTime()), base,
                rewards != null ? rewards : new RewardSource.OfConfig(config.toJson().toString()), 2);
    }
}
