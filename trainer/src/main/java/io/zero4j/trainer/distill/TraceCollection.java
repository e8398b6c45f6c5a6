package io.zero4j.trainer.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.data.Problem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Collects teacher traces: for each problem, {@code samples_per_problem} samples, each scored by the
 * run's rewards and kept when the rewards named in {@code distill.keep_rewards} all reach
 * {@code keep_min}. Every sample, kept or not, is a line of {@code collection.jsonl} with its
 * provenance (teacher, sampling settings and seed, rewards, time); a problem's lines are written
 * together and synced, in problem order whatever order the answers come in, so a killed collection
 * restarts after its last whole problem, losing and repeating none ({@link CollectionFile}). At the
 * end, {@code traces.jsonl} holds the kept lines: the dataset {@code sft} trains on.
 */
public final class TraceCollection {
    public static final String COLLECTION = "collection.jsonl";
    public static final String TRACES = "traces.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a collection did: problems done (by earlier runs too), samples and kept traces written now. */
    public record Summary(int problems, int resumedAfter, int samples, int kept, double seconds) {
    }

    private TraceCollection() {
    }

    /** The seed of problem {@code index}'s request, from the run seed, whoever the teacher is. */
    static long problemSeed(long runSeed, int index) {
        return RolloutEngine.mix(runSeed, index, 0);
    }

    public static Summary run(RunConfig config, Teacher teacher, List<Problem> problems, Path dir, PrintStream err)
            throws IOException {
        long start = System.nanoTime();
        int k = config.distill().samplesPerProblem();
        Path file = dir.resolve(COLLECTION);
        int done = CollectionFile.completedProblems(file, k);
        if (done > problems.size()) {
            throw new UserInputException("key 'distill.max_problems': " + file + " holds " + done + " problems already, more"
                    + " than the " + problems.size() + " asked for now; raise it (0: every problem), or start over with --overwrite");
        }
        if (done > 0) {
            err.println("zero4j: " + file + " holds " + done + " whole problems; collecting from problem " + done);
        }
        RewardSet rewards = config.rewardSet();
        List<String> keptRewards = config.keptRewards();
        int window = Math.max(config.teacher().concurrency(), 16);
        Deque<CompletableFuture<List<Teacher.Sample>>> inFlight = new ArrayDeque<>();
        int next = done;
        int samples = 0;
        int kept = 0;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int p = done; p < problems.size(); p++) {
                while (next < problems.size() && inFlight.size() < window) {
                    inFlight.add(teacher.sample(prompt(config, problems.get(next)), k, params(config, next)));
                    next++;
                }
                List<Teacher.Sample> answer = await(inFlight.removeFirst());
                StringBuilder lines = new StringBuilder();
                for (int s = 0; s < k; s++) {
                    Map<String, Object> line = line(config, teacher, rewards, keptRewards, problems.get(p), p, s, answer.get(s));
                    kept += Boolean.TRUE.equals(line.get("kept")) ? 1 : 0;
                    lines.append(JSON.writeValueAsString(line)).append('\n');
                }
                out.write(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
                out.force(false); // a problem's lines reach the disk together, before the next
                samples += k;
                if ((p + 1) % 50 == 0 || p + 1 == problems.size()) {
                    err.println("zero4j: distill: " + (p + 1) + "/" + problems.size() + " problems");
                }
            }
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
        CollectionFile.writeKept(file, dir.resolve(TRACES));
        return new Summary(problems.size(), done, samples, kept, (System.nanoTime() - start) / 1e9);
    }

    /** The future's value; a failure is rethrown as it was thrown (a one-line mistake stays one). */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    static String prompt(RunConfig config, Problem p) {
        return config.prompt().template().replace("{problem}", p.problem());
    }

    static SamplingParams params(RunConfig config, int problemIndex) {
        return config.sampling().params(problemSeed(config.run().seed(), problemIndex));
    }

    private static Map<String, Object> line(RunConfig config, Teacher teacher, RewardSet rewards, List<String> keptRewards,
                                            Problem problem, int index, int sampleIndex, Teacher.Sample sample) {
        RewardSet.Judgement j = rewards.judge(problem.sample(sample.completion(), sample.completionTokens()));
        boolean keep = keptRewards.stream()
                .allMatch(name -> j.scores().getOrDefault(name, Double.NEGATIVE_INFINITY) >= config.distill().keepMin());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("problem_index", index);
        line.put("sample_index", sampleIndex);
        line.put("problem", problem.problem());
        line.put("answer", problem.answer());
        line.put("prompt", prompt(config, problem));
        line.put("completion", sample.completion());
        line.put("finish_reason", sample.finishReason());
        if (sample.completionTokens() >= 0) {
            line.put("completion_tokens", sample.completionTokens());
        }
        line.put("rewards", j.scores());
        line.put("kept", keep);
        line.put("teacher", teacher.provenance());
        line.put("sampling", sampling(config, index));
        line.put("dataset", config.dataset().path());
        line.put("time", Instant.now().toString());
        return line;
    }

    private static Map<String, Object> sampling(RunConfig config, int index) {
        SamplingParams p = params(config, index);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("temperature", p.temperature());
        s.put("top_p", p.topP());
        s.put("top_k", p.topK());
        s.put("min_p", p.minP());
        s.put("max_tokens", p.maxNewTokens());
        s.put("stop", p.stopStrings());
        s.put("seed", p.seed());
        return s;
    }
}
