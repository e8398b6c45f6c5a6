package io.zero4j.trainer.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import io.zero4j.model.UserInputException;
import io.zero4j.model.lora.LoraAdapters;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.trainer.bench.BenchSuite;
import io.zero4j.trainer.bench.StepBench;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./zero4j bench}: what this machine does with a model shape, before a run is planned on it. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Engine rates, decode, prefill and one GRPO step (rollout / reward / update) for a model shape,",
            "each beside its bound from the same run. Preset shapes have random weights."})
final class BenchCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--model", paramLabel = "PRESET|DIR", description = "a preset shape or a Hugging Face model folder")
    private String model = ModelPresets.TOY;
    @Option(names = "--prompts", paramLabel = "P", description = "prompts per step")
    private int prompts = 2;
    @Option(names = "--generations", paramLabel = "G", description = "completions per prompt")
    private int generations = 4;
    @Option(names = "--prompt-length", paramLabel = "N", description = "prompt tokens")
    private int promptLength = 20;
    @Option(names = "--completion-length", paramLabel = "N", description = "completion tokens (every completion runs to it)")
    private int completionLength = 32;
    @Option(names = "--micro-batch", paramLabel = "N", description = "sequences per micro-batch (default: the whole batch)")
    private Integer microBatch;
    @Option(names = "--gradient-checkpointing", description = "recompute each layer in the backward pass (less memory)")
    private boolean checkpointing;
    @Option(names = "--lora-r", paramLabel = "R", description = "LoRA rank on all linear layers (0 = full fine-tuning)")
    private int loraR;
    @Option(names = "--steps", paramLabel = "N", description = "measured GRPO steps; medians")
    private int steps = 1;
    @Option(names = "--warmup-steps", paramLabel = "N", description = "untimed GRPO steps first")
    private int warmupSteps = 1;
    @Option(names = "--json", description = "one JSON object instead of the table")
    private boolean json;
    @Mixin
    private SharedOptions.DeviceOption device = new SharedOptions.DeviceOption();

    BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        for (int[] v : new int[][] {{prompts, 1}, {generations, 2}, {promptLength, 1}, {completionLength, 1}, {steps, 1},
            {warmupSteps, 0}}) {
            if (v[0] < v[1]) {
                throw new UserInputException("bench: --prompts, --prompt-length, --completion-length and --steps must be >= 1,"
                        + " --generations >= 2, --warmup-steps >= 0 (got " + v[0] + ")");
            }
        }
        int rows = prompts * generations;
        int micro = microBatch == null ? rows : microBatch;
        if (micro < 1 || loraR < 0) {
            throw new UserInputException("bench: --micro-batch must be >= 1 and --lora-r >= 0");
        }
        Device d = device.resolve();
        try (CausalLM lm = load(d)) {
            if (promptLength + completionLength > lm.config().maxPositionEmbeddings()) {
                throw new UserInputException("bench: --prompt-length + --completion-length exceeds the model's context of "
                        + lm.config().maxPositionEmbeddings());
            }
            BenchSuite suite = BenchSuite.run(lm, model, new StepBench.Shape(prompts, generations, promptLength,
                    completionLength, micro, checkpointing), warmupSteps, steps, err);
            if (json) {
                out.println(suite.json().toString());
            } else {
                suite.print(out);
            }
        }
        return 0;
    }

    private CausalLM load(Device d) {
        CausalLM base;
        if (ModelPresets.PRESETS.containsKey(model)) {
            base = RandomInit.create(ModelPresets.byName(model), 1, d, DataType.FLOAT32);
        } else if (Files.isDirectory(Path.of(model))) {
            base = ModelLoader.load(Path.of(model), d, DataType.FLOAT32);
        } else {
            throw new UserInputException("bench: --model '" + model + "' is neither a preset "
                    + new TreeSet<>(ModelPresets.PRESETS.keySet()) + " nor a model folder");
        }
        if (loraR == 0) {
            return base;
        }
        LoraConfig lora = new LoraConfig(loraR, 2.0 * loraR, 0, List.of(LoraConfig.ALL_LINEAR)); // alpha does not change the cost
        return base.withAdapters(LoraAdapters.create(lora, base.config(), 1, d));
    }
}
