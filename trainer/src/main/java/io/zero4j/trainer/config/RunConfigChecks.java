package io.zero4j.trainer.config;

import io.zero4j.model.Devices;
import io.zero4j.model.UserInputException;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.rewards.Choices;
import io.zero4j.rewards.RewardKind;
import io.zero4j.trainer.grpo.BehaviorCorrection;
import io.zero4j.trainer.grpo.GrpoSettings.ImportanceSamplingLevel;
import io.zero4j.trainer.grpo.GrpoSettings.LossType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks of a bound {@link RunConfig}, one line per problem naming the key and what is allowed: the
 * values ({@link #check}, whenever a config is bound) and the files it names ({@link #files}, when a
 * config file is loaded and when a run is resumed).
 */
final class RunConfigChecks {
    private RunConfigChecks() {
    }

    static void check(RunConfig c, String source) {
        Check k = new Check(source);
        k.require(c.model().path() == null || c.model().pretrain() == null, "model.pretrain",
                "set model.path or model.pretrain, not both");
        k.require(c.model().lora() != null, "model.lora", "expected an object {r, alpha, dropout, target_modules}");
        LoraConfig.Problem lora = c.model().lora().problem();
        if (lora != null) {
            k.require(false, "model.lora." + lora.field(), lora.expected());
        }
        k.require(!(c.optim().gradientCheckpointing() && c.model().lora().enabled() && c.model().lora().dropout() > 0),
                "optim.gradient_checkpointing", "recomputes layers in the backward pass, so it needs model.lora.dropout 0"
                + " (the recomputed dropout would differ)");
        k.require(c.dataset().path() != null, "dataset.path", "the JSONL file of problems is required");
        k.require(c.dataset().evalSize() >= 0, "dataset.eval_size", "must be >= 0");
        k.require(c.prompt().template().contains("{problem}"), "prompt.template", "must contain {problem}");
        k.require(!c.rewards().isEmpty(), "rewards", "at least one reward is required");
        for (int i = 0; i < c.rewards().size(); i++) {
            RunConfig.Reward r = c.rewards().get(i);
            k.require(r.name() != null, "rewards[" + i + "].name", "a reward name is required, one of "
                    + Choices.allowed(RewardKind.class));
            try {
                c.rewardFunction(r);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(source + ": key 'rewards[" + i + "].params': " + e.getMessage());
            }
        }
        sampling(c.sampling(), k);
        algorithm(c.algorithm(), k);
        optim(c.optim(), c.sampling(), k);
        run(c.run(), source, k);
        rollout(c.rollout(), c.algorithm(), k);
        teacher(c.teacher(), k);
        if (c.algorithm().kind() == RunConfig.Algorithm.Kind.ON_POLICY_DISTILL) {
            k.require(c.teacher().model() != null || c.teacher().url() != null, "teacher",
                    "algorithm.kind on_policy_distill needs teacher.model (a folder) or teacher.url");
            k.require(c.sampling().temperature() == 1.0, "sampling.temperature",
                    "on_policy_distill samples at 1, so the reverse KL is taken against the student's own distribution");
            String whole = "on_policy_distill samples from the student's whole distribution (top_p 1, top_k 0, min_p 0): a"
                    + " truncated one biases the reverse-KL estimate";
            k.require(c.sampling().topP() == 1.0, "sampling.top_p", whole);
            k.require(c.sampling().topK() == 0, "sampling.top_k", whole);
            k.require(c.sampling().minP() == 0.0, "sampling.min_p", whole);
            k.require(!c.algorithm().dynamicSampling(), "algorithm.dynamic_sampling", "on_policy_distill learns from every"
                    + " group: dropping those whose rule rewards are all equal would drop teacher signal");
            k.require(c.rollout().maxOffPolicySteps() == 0, "rollout.max_off_policy_steps", "on_policy_distill needs the"
                    + " student's own current samples: 0");
        }
        distill(c.distill(), c.rewards(), k);
        k.require(c.sft().batchSize() >= 1, "sft.batch_size", "must be >= 1");
        k.require(c.sft().bucketWindow() >= 1, "sft.bucket_window", "must be >= 1");
        List<Double> budgets = c.comparison().trainSeconds();
        k.require(!c.comparison().enabled() || !budgets.isEmpty() && budgets.stream().allMatch(b -> b != null && b > 0)
                && budgets.stream().distinct().count() == budgets.size(), "comparison.train_seconds",
                "the step-time budgets each arm is trained for: distinct seconds > 0, e.g. [10, 20, 60]");
        k.require(c.comparison().enabled() || budgets.isEmpty(), "comparison.train_seconds", "budgets for arms, and no arm is"
                + " named: set comparison.grpo, comparison.sft or comparison.on_policy_distill (run configs)");
    }

    private static void teacher(RunConfig.Teacher t, Check k) {
        k.require(t.model() == null || t.url() == null, "teacher.url", "set teacher.model (a folder) or teacher.url, not both");
        k.require(t.url() == null || t.url().startsWith("http://") || t.url().startsWith("https://"), "teacher.url",
                "an http:// or https:// base URL such as http://127.0.0.1:8000/v1");
        k.require(t.url() == null || t.servedModel() != null, "teacher.served_model", "the model id the endpoint serves");
        k.require(t.requestsPerSecond() >= 0, "teacher.requests_per_second", "must be >= 0 (0: no limit)");
        k.require(t.concurrency() >= 1, "teacher.concurrency", "must be >= 1");
        k.require(t.maxRetries() >= 0, "teacher.max_retries", "must be >= 0");
        k.require(t.timeoutSeconds() > 0, "teacher.timeout_seconds", "must be > 0");
    }

    private static void distill(RunConfig.Distill d, List<RunConfig.Reward> rewards, Check k) {
        k.require(d.samplesPerProblem() >= 1 && d.samplesPerProblem() <= 64, "distill.samples_per_problem", "1..64");
        k.require(d.maxProblems() >= 0, "distill.max_problems", "must be >= 0 (0: all)");
        List<String> configured = rewards.stream().filter(r -> r.name() != null).map(r -> Choices.name(r.name())).toList();
        for (String name : d.keepRewards()) { // exactly as the scores are named, or a trace would be judged by nothing
            k.require(configured.contains(name), "distill.keep_rewards", "names of configured rewards " + configured
                    + ", got '" + name + "'");
        }
    }

    private static void rollout(RunConfig.Rollout r, RunConfig.Algorithm a, Check k) {
        k.require(r.maxOffPolicySteps() == 0 || r.maxOffPolicySteps() == 1, "rollout.max_off_policy_steps",
                "must be 0 (on-policy) or 1 (the next batch is sampled during the update), got " + r.maxOffPolicySteps());
        k.require(r.maxOffPolicySteps() == 0 || r.backend() == RunConfig.Rollout.Backend.SPARK, "rollout.max_off_policy_steps",
                "1 needs rollout.backend spark: the local backend samples with the weights the update is changing");
        k.require(r.maxOffPolicySteps() == 0 || !a.dynamicSampling(), "rollout.max_off_policy_steps",
                "1 cannot be combined with algorithm.dynamic_sampling, whose rounds depend on the groups that came back");
        BehaviorCorrection c = r.correction();
        k.require(c.level() != null, "rollout.correction.level", "one of " + Choices.allowed(BehaviorCorrection.Level.class));
        k.require(c.cap() >= 1, "rollout.correction.cap", "must be >= 1 (weights above it are truncated to it), got " + c.cap());
        k.require(c.maskHigh() == 0 || c.maskLow() >= 0 && c.maskLow() <= 1 && c.maskHigh() >= 1,
                "rollout.correction.mask_high", "the band [mask_low, mask_high] must hold 1 (mask_high 0 = no masking), got ["
                        + c.maskLow() + ", " + c.maskHigh() + "]");
        k.require(c.oldLogp() != null, "rollout.correction.old_logp", "one of "
                + Choices.allowed(BehaviorCorrection.OldLogProbs.class));
        k.require(!c.behaviorAsOld() || c.level() == BehaviorCorrection.Level.NONE && !c.masks(),
                "rollout.correction.old_logp", "behavior takes the ratio against the sampler, so there is no weight left"
                        + " to truncate or mask: set rollout.correction.level none and mask_high 0");
        RunConfig.Spark s = r.spark();
        k.require(s.master() != null && !s.master().isBlank(), "rollout.spark.master",
                "a Spark master URL: local[N], local-cluster[W,C,MB] or spark://host:port");
        k.require(s.executors() >= 1, "rollout.spark.executors", "must be >= 1");
        k.require(s.executorCores() >= 1, "rollout.spark.executor_cores", "must be >= 1");
        k.require(s.executorMemory() != null && s.executorMemory().matches("\\d+[kmgtKMGT]?"), "rollout.spark.executor_memory",
                "a JVM size such as 2g, got " + s.executorMemory());
    }

    /** The files and folders the config names: present, and of the right kind. */
    static void files(RunConfig c, String source) {
        Check k = new Check(source);
        if (c.model().pretrain() != null) {
            k.file(c.model().pretrain(), "model.pretrain", "a pretraining config file");
        }
        if (c.model().path() != null) {
            k.require(Files.isDirectory(Path.of(c.model().path())), "model.path",
                    "'" + c.model().path() + "' is not a folder");
        }
        if (c.teacher().model() != null) {
            k.require(Files.isDirectory(Path.of(c.teacher().model())), "teacher.model",
                    "'" + c.teacher().model() + "' is not a folder (the teacher's Hugging Face model folder)");
        }
        k.file(c.dataset().path(), "dataset.path", "a JSONL file of problems");
        if (c.dataset().evalPath() != null) {
            k.file(c.dataset().evalPath(), "dataset.eval_path", "a JSONL file of problems");
        }
        String out = c.run().outputDir();
        k.require(!Files.exists(Path.of(out)) || Files.isDirectory(Path.of(out)), "run.output_dir",
                "'" + out + "' is a file, expected a folder");
    }

    private static void sampling(RunConfig.Sampling s, Check k) {
        k.require(s.numGenerations() >= 2, "sampling.num_generations", "must be >= 2 (advantages compare a group), got "
                + s.numGenerations());
        k.require(s.temperature() > 0, "sampling.temperature", "must be > 0 for RL sampling, got " + s.temperature());
        k.require(s.topP() > 0 && s.topP() <= 1, "sampling.top_p", "must be in (0, 1], got " + s.topP());
        k.require(s.topK() >= 0, "sampling.top_k", "must be >= 0 (0 = off), got " + s.topK());
        k.require(s.minP() >= 0 && s.minP() < 1, "sampling.min_p", "must be in [0, 1), got " + s.minP());
        k.require(s.maxPromptLength() >= 1, "sampling.max_prompt_length", "must be >= 1");
        k.require(s.maxCompletionLength() >= 1, "sampling.max_completion_length", "must be >= 1");
    }

    private static void algorithm(RunConfig.Algorithm a, Check k) {
        k.require(a.epsilon() >= 0, "algorithm.epsilon", "must be >= 0, got " + a.epsilon());
        k.require(a.effectiveEpsilonHigh() >= 0, "algorithm.epsilon_high", "must be >= 0, got " + a.epsilonHigh());
        k.require(a.beta() >= 0, "algorithm.beta", "must be >= 0, got " + a.beta());
        k.require(a.importanceSamplingLevel() != ImportanceSamplingLevel.SEQUENCE || a.effectiveLossType() == LossType.GRPO,
                "algorithm.loss_type", "'" + Choices.name(a.effectiveLossType()) + "' weights each sequence by its length,"
                        + " which GSPO (importance_sampling_level: sequence) does not; use grpo, or leave loss_type unset");
        k.require(a.numIterations() >= 1, "algorithm.num_iterations", "must be >= 1");
        k.require(a.maxSamplingRounds() >= 1, "algorithm.max_sampling_rounds", "must be >= 1");
    }

    private static void optim(RunConfig.Optim o, RunConfig.Sampling s, Check k) {
        k.require(o.learningRate() > 0, "optim.learning_rate", "must be > 0");
        k.require(o.adamEpsilon() > 0, "optim.adam_epsilon", "must be > 0 (0 divides zero moments by zero), got "
                + o.adamEpsilon());
        k.require(o.maxGradNorm() >= 0, "optim.max_grad_norm", "must be >= 0 (0 = no clipping), got " + o.maxGradNorm());
        k.require(o.adamBeta1() >= 0 && o.adamBeta1() < 1, "optim.adam_beta1", "must be in [0, 1)");
        k.require(o.adamBeta2() >= 0 && o.adamBeta2() < 1, "optim.adam_beta2", "must be in [0, 1)");
        k.require(o.weightDecay() >= 0, "optim.weight_decay", "must be >= 0");
        k.require(o.warmupSteps() >= 0, "optim.warmup_steps", "must be >= 0");
        k.require(o.promptsPerStep() >= 1, "optim.prompts_per_step", "must be >= 1");
        k.require(o.microBatchSize() >= 1, "optim.micro_batch_size", "must be >= 1");
        int batch = o.promptsPerStep() * s.numGenerations();
        if (o.gradientAccumulationSteps() != null) {
            k.require(o.gradientAccumulationSteps() >= 1, "optim.gradient_accumulation_steps", "must be >= 1 (or null)");
            k.require(o.microBatches(batch) % o.gradientAccumulationSteps() == 0, "optim.gradient_accumulation_steps",
                    "must divide the " + o.microBatches(batch) + " micro-batches of a generation batch ("
                            + batch + " sequences / micro_batch_size " + o.microBatchSize() + ")");
        }
    }

    private static void run(RunConfig.Run r, String source, Check k) {
        k.require(r.steps() >= 1, "run.steps", "must be >= 1");
        k.require(r.maxBadSteps() >= 1, "run.max_bad_steps", "must be >= 1");
        k.require(r.maxTrainSeconds() >= 0, "run.max_train_seconds", "must be >= 0 (0: no limit)");
        k.require(r.evalEvery() >= 0 && r.saveEvery() >= 0 && r.logSamplesEvery() >= 0, "run.eval_every",
                "eval_every, save_every and log_samples_every must be >= 0 (0 = off)");
        Devices.spell(r.device(), source + ": key 'run.device'"); // spelling only: whether the GPU is there is checked at start
        k.require(!r.outputDir().isBlank(), "run.output_dir", "a folder is required (an empty path is the current folder)");
    }

    /** Checks that fail with one line naming the key. */
    private record Check(String source) {
        void require(boolean ok, String key, String what) {
            if (!ok) {
                throw new UserInputException(source + ": key '" + key + "': " + what);
            }
        }

        void file(String path, String key, String what) {
            Path p = Path.of(path);
            require(!Files.isDirectory(p), key, "'" + path + "' is a folder, expected " + what);
            require(Files.isRegularFile(p), key, "'" + path + "' does not exist");
        }
    }
}
