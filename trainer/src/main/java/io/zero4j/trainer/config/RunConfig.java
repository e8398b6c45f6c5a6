package io.zero4j.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.rewards.RewardFunction;
import io.zero4j.rewards.RewardKind;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.grpo.BehaviorCorrection;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.grpo.GrpoSettings.ImportanceSamplingLevel;
import io.zero4j.trainer.grpo.GrpoSettings.LossType;
import io.zero4j.trainer.grpo.GrpoSettings.ScaleRewards;
import io.zero4j.trainer.optim.LearningRateSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run, as configured. Field names follow TRL's GRPOConfig where it has one. Every field
 * has a default ({@code defaults.json} beside this class); {@link RunConfigLoader} reads the user's
 * JSON or YAML over them, applies {@code --set} overrides, rejects unknown keys and checks values.
 * Every variant is an enum, bound by its lower-case name ({@link EnumNames}).
 */
public record RunConfig(Model model, Dataset dataset, Prompt prompt, List<Reward> rewards, Sampling sampling,
                        Algorithm algorithm, Optim optim, Run run, Rollout rollout, Teacher teacher, Distill distill, Sft sft,
                        Comparison comparison) {

    /**
     * A Hugging Face model folder ({@code path}), or a pretraining config ({@code pretrain}) whose
     * cached base model is used, made first when it is not cached yet. Weights load as float32
     * whatever their dtype on disk (training keeps float32 weights and moments). {@code lora} with
     * {@code r > 0} trains low-rank adapters on the frozen base instead of every weight.
     */
    public record Model(String path, String pretrain, LoraConfig lora) {
    }

    /** JSONL rows; the held-out split is the first {@code eval_size} rows after shuffling, unless {@code eval_path}. */
    public record Dataset(String path, String problemField, String answerField, String evalPath, int evalSize,
                          long shuffleSeed) {
    }

    /**
     * {@code {problem}} is replaced by the row's problem text; with {@code use_chat_template} the
     * template is first rendered as the user's message by the model's own chat template, generation
     * prompt added ({@link ChatPrompt}), for runs from instruct models.
     */
    public record Prompt(String template, boolean thinkPrefilled, boolean useChatTemplate) {
    }

    /** A reward function by name; {@code weight} defaults to 1 and {@code params} to none. */
    public record Reward(RewardKind name, Double weight, Map<String, String> params) {
        public Reward {
            weight = weight == null ? 1.0 : weight;
            params = params == null ? Map.of() : params;
        }
    }

    public record Sampling(int numGenerations, double temperature, double topP, int topK, double minP,
                           int maxPromptLength, int maxCompletionLength, List<String> stop) {
        /** These settings for the rollout engine, with a seed (log-probabilities at the sampling temperature). */
        public SamplingParams params(long seed) {
            return new SamplingParams(temperature, topK, topP, minP, maxCompletionLength, stop, seed, Double.NaN);
        }
    }

    /**
     * {@code epsilon_high} null means equal to {@code epsilon}. {@code loss_type} null means
     * {@code dapo} with token ratios and {@code grpo} (each sequence once) with sequence ratios, the
     * only aggregation GSPO defines.
     */
    public record Algorithm(double epsilon, Double epsilonHigh, double beta, LossType lossType, ScaleRewards scaleRewards,
                            int numIterations, ImportanceSamplingLevel importanceSamplingLevel,
                            boolean maskTruncatedCompletions, boolean dynamicSampling, int maxSamplingRounds, Kind kind) {
        /**
         * What the update pushes by: {@code grpo}, the group-relative advantage of the rule rewards;
         * {@code on_policy_distill}, each sampled token's teacher log-ratio {@code log pi_T - log pi_S}
         * (the per-token reverse KL, GKD's on-policy distillation), the teacher being {@code teacher}.
         */
        public enum Kind { GRPO, ON_POLICY_DISTILL }

        public double effectiveEpsilonHigh() {
            return epsilonHigh == null ? epsilon : epsilonHigh;
        }

        public LossType effectiveLossType() {
            return lossType != null ? lossType
                    : importanceSamplingLevel == ImportanceSamplingLevel.SEQUENCE ? LossType.GRPO : LossType.DAPO;
        }
    }

    /**
     * The generation batch (prompts_per_step x num_generations sequences) is cut into micro-batches
     * of {@code micro_batch_size}; {@code gradient_accumulation_steps} micro-batches make one
     * optimizer step (null: all of them, one step per generation batch and iteration). With
     * {@code gradient_checkpointing} (transformers' name) the update keeps only each decoder layer's
     * input and recomputes the layer in the backward pass: less memory, about one more forward pass.
     */
    public record Optim(double learningRate, double adamBeta1, double adamBeta2, double adamEpsilon, double weightDecay,
                        int warmupSteps, LearningRateSchedule.Shape lrScheduler, double maxGradNorm, int promptsPerStep, int microBatchSize,
                        Integer gradientAccumulationSteps, boolean gradientCheckpointing) {
        public int microBatches(int generationBatch) {
            return (generationBatch + microBatchSize - 1) / microBatchSize;
        }

        public int effectiveAccumulation(int generationBatch) {
            return gradientAccumulationSteps == null ? microBatches(generationBatch) : gradientAccumulationSteps;
        }
    }

    /**
     * How long a run goes and what it keeps: {@code steps}, or fewer when {@code max_train_seconds}
     * (0: no limit) of step wall time (sampling, scoring, the update; not the held-out evaluations)
     * are spent first, the step that crosses it being the last (evaluated and exported as a last one is).
     */
    public record Run(int steps, long seed, int evalEvery, int saveEvery, int logSamplesEvery, String outputDir,
                      String device, int maxBadSteps, int evalPassK, double maxTrainSeconds) {
    }

    /**
     * Where completions are sampled: {@code local} (this process, the learner's own model) or
     * {@code spark} (executors of a Spark cluster, each with its own copy of the published weights;
     * needs the zero4j-spark module). With {@code max_off_policy_steps: 1} the next batch is sampled
     * while the learner updates (spark only). {@code correction} weighs each token by sampler versus
     * learner ({@link BehaviorCorrection}).
     */
    public record Rollout(Backend backend, int maxOffPolicySteps, BehaviorCorrection correction, Spark spark) {
        public enum Backend { LOCAL, SPARK }
    }

    /**
     * The Spark backend: {@code master} is a Spark master URL ({@code local[N]}, {@code local-cluster[W,C,MB]},
     * {@code spark://host:port}); {@code executors} of {@code executor_cores} cores and
     * {@code executor_memory} each are asked for (a local master has one executor, a local-cluster the
     * workers its URL names); published weights go to {@code weights_dir}, a folder every node reads
     * (null: {@code policy-versions} in the run folder).
     */
    public record Spark(String master, int executors, int executorCores, String executorMemory, String weightsDir) {
    }

    /**
     * The teacher of distillation: a local model folder ({@code model}) sampled by zero4j's engine,
     * or any OpenAI-compatible endpoint ({@code url}, e.g. {@code http://host:8000/v1}) asked for
     * {@code served_model}, with the key in the environment variable {@code api_key_env} (null, the
     * default: no key is sent; a named variable that is not set is an error, not a request without
     * it). At most {@code requests_per_second} requests start per second (0: no limit) and
     * {@code concurrency} run at once; each is retried up to {@code max_retries} times, with
     * exponential backoff, on a 429, a 5xx, an error object in a 200, a timeout
     * ({@code timeout_seconds}) or a lost connection.
     */
    public record Teacher(String model, String url, String servedModel, String apiKeyEnv, double requestsPerSecond,
                          int concurrency, int maxRetries, double timeoutSeconds) {
    }

    /**
     * {@code ./zero4j distill}: {@code samples_per_problem} teacher samples per problem of
     * {@code dataset.path} (the first {@code max_problems}; 0: all), each kept as a trace when every
     * reward of {@link RunConfig#keptRewards()} scores at least {@code keep_min} (correct and well
     * formed, as R1's rejection sampling kept them).
     */
    public record Distill(int samplesPerProblem, List<String> keepRewards, double keepMin, int maxProblems) {
    }

    /**
     * {@code ./zero4j sft}: supervised fine-tuning on {@code dataset.path}'s pairs, {@code prompt_field}
     * and {@code completion_field} of each JSONL row (a distill trace's {@code prompt} and
     * {@code completion}; rows marked not kept are left out when {@code only_kept}); each of
     * {@code run.steps} optimizer steps trains on {@code batch_size} pairs, in
     * {@code optim.micro_batch_size} micro-batches, pairs of similar length grouped within windows of
     * {@code bucket_window}.
     */
    public record Sft(String promptField, String completionField, boolean onlyKept, int batchSize, int bucketWindow) {
    }

    /**
     * What {@code ./zero4j distill} does after collecting: each arm named (a run config; null: left
     * out) trains the same student (this config's {@code model}, in place of the arm's) for each
     * step-time budget of {@code train_seconds} (a run each): {@code grpo} on the rule rewards,
     * {@code sft} on the traces just collected, {@code on_policy_distill} against this config's
     * teacher; one table compares them.
     */
    public record Comparison(List<Double> trainSeconds, String grpo, String sft, String onPolicyDistill) {
        public boolean enabled() {
            return grpo != null || sft != null || onPolicyDistill != null;
        }
    }

    /** The loss's settings. */
    public GrpoSettings grpoSettings() {
        Algorithm a = algorithm;
        return new GrpoSettings(a.epsilon(), a.effectiveEpsilonHigh(), a.beta(), a.effectiveLossType(), a.scaleRewards(),
                a.importanceSamplingLevel(), sampling.maxCompletionLength());
    }

    /**
     * The rewards a distilled trace must score {@code distill.keep_min} on: {@code distill.keep_rewards},
     * or when it is empty every configured reward but {@code overlong} (a penalty, never above 0).
     */
    public List<String> keptRewards() {
        if (!distill.keepRewards().isEmpty()) {
            return distill.keepRewards();
        }
        return rewards.stream().filter(r -> r.name() != RewardKind.OVERLONG).map(r -> rewardFunction(r).name()).toList();
    }

    /** The configured rewards, with weights; checked when the config was loaded, so it does not fail. */
    public RewardSet rewardSet() {
        List<RewardSet.Weighted> functions = new ArrayList<>();
        for (Reward r : rewards) {
            functions.add(new RewardSet.Weighted(rewardFunction(r), r.weight()));
        }
        return new RewardSet(functions, RewardSet.DEFAULT_TIMEOUT_MILLIS);
    }

    /**
     * One reward function; {@code format} learns from {@code prompt.think_prefilled} whether the
     * prompt opened the think tag, {@code overlong} takes {@code sampling.max_completion_length} as
     * its limit unless its params say otherwise. Throws {@link IllegalArgumentException} for an
     * unknown name or parameter.
     */
    RewardFunction rewardFunction(Reward r) {
        Map<String, String> params = new LinkedHashMap<>(r.params());
        if (r.name() == RewardKind.FORMAT) {
            params.putIfAbsent("think_prefilled", String.valueOf(prompt.thinkPrefilled()));
        }
        if (r.name() == RewardKind.OVERLONG) {
            params.putIfAbsent("max_length", String.valueOf(sampling.maxCompletionLength()));
        }
        return r.name().create(params);
    }

    /** The resolved configuration as a tree, for {@code config.json} in the run folder. */
    public JsonNode toJson() {
        return RunConfigLoader.MAPPER.valueToTree(this);
    }
}
