package io.zero4j.trainer.loop;

import io.zero4j.model.CausalLM;
import io.zero4j.trainer.rollouts.RolloutBackend;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.data.ProblemStream;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.LearningRateSchedule;
import io.zero4j.trainer.policy.Policy;

/** Builds a {@link GrpoLoop} from a run config: each part gets the settings it needs. */
final class GrpoParts {
    private GrpoParts() {
    }

    static GrpoLoop build(RunConfig config, Policy policy, CausalLM reference, RolloutBackend backend, ProblemStream problems,
                          LearningSignal signal) {
        RunConfig.Sampling s = config.sampling();
        RunConfig.Optim o = config.optim();
        RunConfig.Algorithm a = config.algorithm();
        GrpoSettings settings = config.grpoSettings();
        GroupSampler sampler = new GroupSampler(new GroupSampler.Settings(config.prompt().template(), s.maxPromptLength(),
                s.numGenerations(), o.promptsPerStep(), s::params, config.run().seed(), a.dynamicSampling(),
                a.maxSamplingRounds()), policy, backend, problems);
        AdamW optimizer = new AdamW(policy.model().trainableParameters(), policy.model().manager(), o.adamBeta1(), o.adamBeta2(),
                o.adamEpsilon(), o.weightDecay());
        int batch = o.promptsPerStep() * s.numGenerations();
        int accumulation = o.effectiveAccumulation(batch);
        int stepsPerBatch = GrpoUpdate.optimizerSteps(batch, o.microBatchSize(), accumulation, a.numIterations());
        LearningRateSchedule schedule = new LearningRateSchedule(o.learningRate(), o.warmupSteps(),
                config.run().steps() * stepsPerBatch, o.lrScheduler());
        GrpoUpdate update = new GrpoUpdate(policy.model(), reference, optimizer, settings, s.temperature(),
                new GrpoUpdate.Batching(o.microBatchSize(), accumulation, o.maxGradNorm(), o.gradientCheckpointing()),
                config.rollout().correction());
        return new GrpoLoop(sampler, signal != null ? signal : new GroupAdvantages(settings.scaleRewards()), update, optimizer, schedule, a,
                stepsPerBatch, config.rollout().maxOffPolicySteps());
    }
}
