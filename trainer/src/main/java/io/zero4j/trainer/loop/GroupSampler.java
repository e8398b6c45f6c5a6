package io.zero4j.trainer.loop;

import io.zero4j.model.UserInputException;
import io.zero4j.rollout.NonFiniteLogitsException;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemStream;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.GroupTask;
import io.zero4j.trainer.rollouts.RolloutBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongFunction;

/**
 * The first half of a GRPO step: draw problems, have a {@link RolloutBackend} sample and score G
 * completions of each, and keep the groups that carry signal. Without dynamic sampling every group
 * is kept after one round; with it (DAPO) groups whose rewards all agree are dropped and more
 * problems are drawn until the batch is full or {@code max_sampling_rounds} is reached.
 *
 * <p>A step's batch can also be {@link #start}ed ahead and {@link #finish}ed later (one round, no
 * dynamic sampling): the problems are drawn at once, on the caller's thread, so the data cursor
 * always says which problems the started batches hold.
 */
public final class GroupSampler {
    /** How a step samples: {@code params} gives the sampling settings for a seed. */
    public record Settings(String template, int maxPromptLength, int generations, int promptsPerStep,
                           LongFunction<SamplingParams> params, long seed, boolean dynamic, int maxRounds) {
    }

    /**
     * The kept groups and what it took to get them: {@code rolloutNanos} is the wall time from
     * submission to the last group (rewards scored on the way included, {@code rewardNanos} of it
     * summed over wherever they ran), {@code waitNanos} the part of it the learner spent waiting.
     */
    public record Collected(List<ScoredGroup> kept, int sampledGroups, int agreeingGroups, long generatedTokens,
                            long rolloutNanos, long rewardNanos, long waitNanos, int rewardErrors, int rewardTimeouts) {
    }

    /** A batch on its way: its problems are drawn, its groups are being sampled. */
    public static final class Pending {
        private final int step;
        private final List<Problem> drawn;
        private final CompletableFuture<RolloutBackend.Sampled> groups;
        private final long submittedNanos;
        private volatile long doneNanos;

        private Pending(int step, List<Problem> drawn, CompletableFuture<RolloutBackend.Sampled> groups, long submittedNanos) {
            this.step = step;
            this.drawn = drawn;
            this.submittedNanos = submittedNanos;
            this.groups = groups.whenComplete((r, e) -> doneNanos = System.nanoTime());
        }
    }

    private final Settings settings;
    private final Policy policy;
    private final RolloutBackend backend;
    private final ProblemStream problems;

    public GroupSampler(Settings settings, Policy policy, RolloutBackend backend, ProblemStream problems) {
        this.settings = settings;
        this.policy = policy;
        this.backend = backend;
        this.problems = problems;
    }

    public ProblemStream problems() {
        return problems;
    }

    public RolloutBackend backend() {
        return backend;
    }

    /** The groups of step {@code step} (1-based), sampled from policy version {@code version}. */
    public Collected collect(int step, int version) {
        List<Collected> rounds = new ArrayList<>();
        int kept = 0;
        int maxRounds = settings.dynamic() ? settings.maxRounds() : 1;
        for (int round = 0; round < maxRounds && kept < settings.promptsPerStep(); round++) {
            Collected c = finish(submit(step, round, version, settings.promptsPerStep() - kept));
            rounds.add(c);
            kept += c.kept().size();
        }
        return merge(rounds);
    }

    /** Draws step {@code step}'s problems now and starts sampling them from {@code version}; one round. */
    public Pending start(int step, int version) {
        if (settings.dynamic()) {
            throw new IllegalStateException("dynamic sampling decides its rounds as groups come back: it cannot start ahead");
        }
        return submit(step, 0, version, settings.promptsPerStep());
    }

    private Pending submit(int step, int round, int version, int count) {
        List<Problem> drawn = problems.next(count);
        List<GroupTask> tasks = new ArrayList<>();
        for (Problem p : drawn) {
            tasks.add(new GroupTask(tasks.size(), p, policy.prompt(settings.template(), p.problem(), settings.maxPromptLength())));
        }
        SamplingParams params = settings.params().apply(settings.seed() * 1_000_003L + (step - 1) * 101L + round);
        long submitted = System.nanoTime(); // before submit: the local backend samples inside it
        return new Pending(step, drawn, backend.submit(tasks, settings.generations(), params, version), submitted);
    }

    /** Waits for a started batch and keeps its groups with signal. */
    public Collected finish(Pending pending) {
        long t0 = System.nanoTime();
        RolloutBackend.Sampled sampled;
        try {
            sampled = pending.groups.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof NonFiniteLogitsException) {
                throw new UserInputException("step " + pending.step + ": " + cause.getMessage()
                        + " (lower optim.learning_rate, or resume from an earlier checkpoint)");
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
        long waited = System.nanoTime() - t0;
        List<ScoredGroup> groups = sampled.groups();
        if (groups.size() != pending.drawn.size()) {
            throw new IllegalStateException("step " + pending.step + ": " + groups.size() + " groups came back for "
                    + pending.drawn.size() + " problems");
        }
        long tokens = 0;
        int agreeing = 0;
        int errors = 0;
        int timeouts = 0;
        for (ScoredGroup g : groups) {
            tokens += g.completions().stream().mapToLong(c -> c.length()).sum();
            agreeing += g.rewardsAgree() ? 1 : 0;
            errors += g.rewardErrors();
            timeouts += g.rewardTimeouts();
        }
        List<ScoredGroup> kept = settings.dynamic() ? groups.stream().filter(s -> !s.rewardsAgree()).toList() : groups;
        return new Collected(kept, groups.size(), agreeing, tokens, pending.doneNanos - pending.submittedNanos,
                sampled.rewardNanos(), waited, errors, timeouts);
    }

    private static Collected merge(List<Collected> rounds) {
        List<ScoredGroup> kept = new ArrayList<>();
        int sampled = 0;
        int agreeing = 0;
        long tokens = 0;
        long rollout = 0;
        long reward = 0;
        long wait = 0;
        int errors = 0;
        int timeouts = 0;
        for (Collected c : rounds) {
            kept.addAll(c.kept());
            sampled += c.sampledGroups();
            agreeing += c.agreeingGroups();
            tokens += c.generatedTokens();
            rollout += c.rolloutNanos();
            reward += c.rewardNanos();
            wait += c.waitNanos();
            errors += c.rewardErrors();
            timeouts += c.rewardTimeouts();
        }
        return new Collected(kept, sampled, agreeing, tokens, rollout, reward, wait, errors, timeouts);
    }
}
