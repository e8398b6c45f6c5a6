package io.zero4j.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A training run, as configured. Field names follow TRL's GRPOConfig where it has one. Every field
 * has a default ({@code defaults.json} beside this class); {@link RunConfigLoader} reads the user's
 * JSON or YAML over them, applies {@code --set} overrides, rejects unknown keys and checks values.
 */
public record RunConfig(Model model, Dataset dataset, Prompt prompt, List<Reward> rewards, Sampling sampling,
                        Algorithm algorithm, Optim optim, Run run) {

    /**
     * A Hugging Face model folder ({@code path}), or a pretraining config ({@code pretrain}) whose
     * cached base model is used, made first when it is not cached yet.
     */
    public record Model(String path, String pretrain, String dtype) {
    }

    /** JSONL rows; the held-out split is the first {@code eval_size} rows after shuffling, unless {@code eval_path}. */
    public record Dataset(String path, String problemField, String answerField, String evalPath, int evalSize,
                          long shuffleSeed) {
    }

    /** {@code {problem}} is replaced by the row's problem text. */
    public record Prompt(String template, boolean thinkPrefilled) {
    }

    public record Reward(String name, double weight, Map<String, String> params) {
    }

    public record Sampling(int numGenerations, double temperature, double topP, int topK, double minP,
                           int maxPromptLength, int maxCompletionLength, List<String> stop) {
    }

    /** {@code epsilon_high} null means equal to {@code epsilon}. */
    public record Algorithm(double epsilon, Double epsilonHigh, double beta, String lossType, String scaleRewards,
                            int numIterations, String importanceSamplingLevel, boolean maskTruncatedCompletions,
                            boolean dynamicSampling, int maxSamplingRounds, int overlongMaxLength, int overlongCache) {
        public double effectiveEpsilonHigh() {
            return epsilonHigh == null ? epsilon : epsilonHigh;
        }
    }

    /**
     * The generation batch (prompts_per_step x num_generations sequences) is cut into micro-batches
     * of {@code micro_batch_size}; {@code gradient_accumulation_steps} micro-batches make one
     * optimizer step (null: all of them, one step per generation batch and iteration).
     */
    public record Optim(double learningRate, double adamBeta1, double adamBeta2, double adamEpsilon, double weightDecay,
                        int warmupSteps, String lrScheduler, double maxGradNorm, int promptsPerStep, int microBatchSize,
                        Integer gradientAccumulationSteps) {
        public int microBatches(int generationBatch) {
            return (generationBatch + microBatchSize - 1) / microBatchSize;
        }

        public int effectiveAccumulation(int generationBatch) {
            return gradientAccumulationSteps == null ? microBatches(generationBatch) : gradientAccumulationSteps;
        }
    }

    public record Run(int steps, long seed, int evalEvery, int saveEvery, int logSamplesEvery, String outputDir,
                      String device, int maxBadSteps, int evalPassK) {
    }

    /** The resolved configuration as a tree, for {@code config.json} in the run folder. */
    public JsonNode toJson() {
        return RunConfigLoader.MAPPER.valueToTree(this);
    }
}
