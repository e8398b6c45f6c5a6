package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.Architecture;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.tokenizer.ByteLevelTokenizerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training processes killed, stopped, starved of disk and doubled up, then resumed: the run ends
 * with the metrics and samples of a run never disturbed (to the bit), no row lost or
 * repeated, a whole {@code final/} and a report, and no temporary file left behind.
 *
 * <p>The kills are SIGKILLs of a child JVM at seeded random points (after a random number of
 * metrics rows plus a random delay), and while it writes a checkpoint or the final export.
 */
class FaultInjectionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int STEPS = 4;
    /**
     * A resumed run repeats the unbroken run to the bit: the children run libtorch on one thread with
     * MKL's reproducible mode, and given the same weights, moments and samples they compute the same
     * sums. (Until 2026-12-04 they differed by 1e-5..1.6e-3 and now and then drew another token, so
     * this test compared metrics within 2e-3 and only up to the first differing completion. The cause
     * was not float noise but DJL freeing scalars autograd still read, see {@code model.Constants};
     * since that fix every scenario matches exactly, quiet or beside two CPU hogs.)
     */
    @TempDir
    static Path tmp;
    static Path config;
    static Path reference;

    @BeforeAll
    static void setUp() throws Exception {
        // A small Qwen2-shaped model (0.3M parameters) with the toy tokenizer: steps and saves are quick,
        // and a checkpoint (weights and moments, ~4 MB) still takes long enough to be killed inside.
        Path model = tmp.resolve("model");
        ByteLevelTokenizerBuilder tokenizer = ModelPresets.toyTokenizer();
        tokenizer.writeTo(model);
        ModelConfig shape = ModelConfig.of(Architecture.QWEN2, 96, 256, 3, 4, 2, tokenizer.vocabSize(), true, 256);
        try (CausalLM random = RandomInit.create(shape, 2, Device.cpu(), DataType.FLOAT32)) {
            ModelExporter.export(random, null, model, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
        Path data = tmp.resolve("data.jsonl");
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            rows.add("{\"question\":\"" + i + "+" + i + "\",\"answer\":\"" + (2 * i) + "\"}");
        }
        Files.write(data, rows);
        config = tmp.resolve("run.json");
        // A reward the random model's completions vary in, so every step moves the weights: a stop
        // string at any letter, digit or space ends completions at random lengths, and the overlong
        // reward (-length / 8) prefers the short ones.
        StringBuilder stops = new StringBuilder();
        for (char ch : "abcdefghijklmnopqrstuvwxyz0123456789 ".toCharArray()) {
            stops.append(stops.length() == 0 ? "" : ",").append('"').append(ch).append('"');
        }
        Files.writeString(config, "{\"model\":{\"path\":\"" + model + "\"},\"dataset\":{\"path\":\"" + data + "\",\"eval_size\":1},"
                + "\"prompt\":{\"template\":\"Q: {problem} A: <think>\"},"
                + "\"rewards\":[{\"name\":\"overlong\",\"params\":{\"max_length\":\"8\",\"overlong_cache\":\"8\"}}],"
                + "\"sampling\":{\"num_generations\":4,\"max_prompt_length\":64,\"max_completion_length\":8,\"stop\":["
                + stops + "]},"
                + "\"optim\":{\"learning_rate\":1e-3,\"adam_epsilon\":1e-3,\"prompts_per_step\":2,\"micro_batch_size\":4,\"gradient_accumulation_steps\":1},"
                + "\"run\":{\"steps\":" + STEPS + ",\"save_every\":1,\"log_samples_every\":1,\"seed\":7,\"eval_every\":2,"
                + "\"eval_pass_k\":2,\"output_dir\":\"" + tmp.resolve("unused") + "\"}}");
        reference = tmp.resolve("reference");
        MainTest.Result r = ChildRuns.cli("train", config.toString(), "--set", "run.output_dir=" + reference);
        assertEquals(0, r.code(), r.err());
        for (JsonNode row : ChildRuns.rows(reference.resolve("metrics.jsonl")).subList(1, STEPS + 1)) {
            assertTrue(row.get("data").get("grad_norm").asDouble() > 0, "every step of the reference learns: " + row);
        }
    }

    /** Resumes in a child (or starts again when the child died before its run began) and checks the result. */
    static void finishAndCompare(Path runDir, String scenario) throws Exception {
        MainTest.Result r = Files.exists(runDir.resolve("config.json"))
                ? ChildRuns.cli("train", "--resume", runDir.toString())
                : ChildRuns.cli("train", config.toString(), "--set", "run.output_dir=" + runDir);
        assertEquals(0, r.code(), scenario + ": " + r.err());
        assertSameRun(runDir, scenario);
    }

    static void assertSameRun(Path runDir, String scenario) throws Exception {
        List<JsonNode> expected = ChildRuns.rows(reference.resolve("metrics.jsonl"));
        List<JsonNode> actual = ChildRuns.rows(runDir.resolve("metrics.jsonl"));
        assertEquals(ChildRuns.steps(expected), ChildRuns.steps(actual), scenario + ": every step once, in order");
        ChildRuns.assertSameSamples(ChildRuns.rows(reference.resolve("samples.jsonl")), ChildRuns.rows(runDir.resolve("samples.jsonl")),
                scenario);
        for (int i = 0; i < expected.size(); i++) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get(i).get("data").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("time/") || e.getKey().equals("tokens_per_second")) {
                    continue;
                }
                assertEquals(e.getValue(), actual.get(i).get("data").get(e.getKey()),
                        scenario + ": step " + expected.get(i).get("step") + " " + e.getKey() + ", to the bit");
            }
        }
        assertTrue(Files.isRegularFile(runDir.resolve("report.json")), scenario + ": the report is written");
        ModelLoader.check(runDir.resolve("final"));
        assertEquals(List.of(), ChildRuns.temporaries(runDir), scenario + ": no temporary left");
    }

    @Test
    void killedAtRandomPointsAndWhileWritingThenResumedIsTheSameRun() throws Exception {
        Random random = new Random(2026);
        int midWrite = 0;
        int scenarios = 0;
        for (int i = 0; i < 6; i++) {
            Path run = tmp.resolve("random-" + i);
            int afterRows = random.nextInt(STEPS + 2);
            int delayMs = random.nextInt(400);
            Process p = ChildRuns.child(run, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (p.isAlive() && ChildRuns.lines(run.resolve("metrics.jsonl")) < afterRows && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(delayMs);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            midWrite += ChildRuns.temporaries(run).isEmpty() ? 0 : 1;
            finishAndCompare(run, "SIGKILL after " + afterRows + " rows + " + delayMs + " ms");
            scenarios++;
        }
        for (String what : new String[] {"checkpoint", "checkpoint", "final", "final"}) {
            boolean landed = false;
            for (int attempt = 0; attempt < 3 && !landed; attempt++) {
                Path run = tmp.resolve(what + "-" + scenarios + "-" + attempt);
                Process p = ChildRuns.child(run, 0);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                int seen = 0;
                int wanted = what.equals("checkpoint") ? 1 + random.nextInt(STEPS - 1) : 1; // which checkpoint to hit
                boolean wasWriting = false;
                while (p.isAlive() && System.nanoTime() < deadline) {
                    boolean now = ChildRuns.writing(run, what.equals("final") ? "final" : "step");
                    if (now && !wasWriting && ++seen == wanted) {
                        p.destroyForcibly(); // SIGKILL, mid-write
                        break;
                    }
                    wasWriting = now;
                }
                p.waitFor(30, TimeUnit.SECONDS);
                landed = !ChildRuns.temporaries(run).isEmpty();
                midWrite += landed ? 1 : 0;
                finishAndCompare(run, "SIGKILL while writing " + what + " (attempt " + attempt + ")");
                scenarios++;
            }
            assertTrue(landed, "a kill landed while the " + what + " was being written");
        }
        System.out.println("fault suite: " + scenarios + " SIGKILLs, " + midWrite + " mid-write, every run resumed with"
                + " no step or sample lost, its metrics and samples the same as the reference's to the bit");
        assertTrue(scenarios >= 10);
    }

    @Test
    void sigtermStopsSaysWhatWasKeptAndResumes() throws Exception {
        Path run = tmp.resolve("sigterm");
        Process p = ChildRuns.child(run, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && ChildRuns.lines(run.resolve("metrics.jsonl")) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stopped promptly");
        String said = ChildRuns.log(run);
        assertTrue(said.contains("zero4j: stopped during step") && said.contains("kept step-")
                && said.contains("./zero4j train --resume " + run), said);
        finishAndCompare(run, "SIGTERM");
    }

    @Test
    void aFullDiskFailsTheCheckpointInOneLineAndLosesNothing() throws Exception {
        Path run = tmp.resolve("disk-full");
        Process p = ChildRuns.child(run, 1024); // files up to 1 MiB: logs and config fit, a checkpoint's tensors do not
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String[] said = ChildRuns.log(run).strip().split("\n");
        String last = said[said.length - 1];
        assertEquals(2, p.exitValue(), String.join("\n", said));
        assertTrue(last.startsWith("zero4j: ") && last.contains("cannot write the checkpoint") && last.contains("File too large")
                && last.contains("--resume"), last);
        assertEquals(List.of(), ChildRuns.temporaries(run), "the failed checkpoint's temporary folder is gone");
        finishAndCompare(run, "file-size limit");
    }

    @Test
    void aTornLastLineIsRepairedOnResume() throws Exception {
        Path run = tmp.resolve("torn");
        assertEquals(0, ChildRuns.cli("train", config.toString(), "--set", "run.output_dir=" + run, "--set", "run.steps=2").code());
        for (String log : new String[] {"metrics.jsonl", "samples.jsonl"}) { // a kill mid-append: no newline, half a line
            Files.writeString(run.resolve(log), "{\"step\": 3, \"data\": {\"rew", StandardOpenOption.APPEND);
        }
        MainTest.Result r = ChildRuns.cli("train", "--resume", run.toString(), "--set", "run.steps=" + STEPS);
        assertEquals(0, r.code(), r.err());
        assertSameRun(run, "torn last line");
        assertTrue(Files.readString(run.resolve("resumes.jsonl")).contains("\"run.steps\""), "the changed key is recorded");
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstTrains() throws Exception {
        Path run = tmp.resolve("two-writers");
        Process first = ChildRuns.child(run, 0, "--set", "run.steps=1000");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (first.isAlive() && ChildRuns.lines(run.resolve("metrics.jsonl")) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(first.isAlive(), ChildRuns.log(run));
            long before = ChildRuns.lines(run.resolve("metrics.jsonl"));
            for (String[] second : new String[][] {
                {"train", config.toString(), "--set", "run.output_dir=" + run, "--overwrite"},
                {"train", "--resume", run.toString()}}) {
                MainTest.Result r = MainTest.run(second);
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("in use by another training process")
                        && r.err().contains("pid " + first.pid()), r.err());
            }
            assertTrue(ChildRuns.lines(run.resolve("metrics.jsonl")) >= before, "the first writer's log is untouched");
            assertTrue(Files.exists(run.resolve("config.json")), "nothing was cleared");
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        MainTest.Result after = MainTest.run("train", config.toString(), "--set", "run.output_dir=" + run, "--set",
                "run.steps=1", "--overwrite");
        assertEquals(0, after.code(), "the lock goes with the process that held it: " + after.err());
    }

    @Test
    void aUsedFolderIsRefusedUnlessOverwrittenAndOverwritingStartsClean() throws Exception {
        Path run = tmp.resolve("reused");
        assertEquals(0, MainTest.run("train", config.toString(), "--set", "run.output_dir=" + run).code());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        MainTest.Result refused = MainTest.run("train", config.toString(), "--set", "run.output_dir=" + run, "--set",
                "optim.learning_rate=1e-2");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--resume") && refused.err().contains("--overwrite"), refused.err());
        assertEquals(metrics, Files.readAllLines(run.resolve("metrics.jsonl")), "the old run is untouched");
        MainTest.Result fresh = MainTest.run("train", config.toString(), "--set", "run.output_dir=" + run, "--set",
                "run.steps=2", "--overwrite");
        assertEquals(0, fresh.code(), fresh.err());
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of("step-000001", "step-000002"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no checkpoint of the old run survives to be resumed by mistake");
        }
        assertEquals(List.of(0, 1, 2), ChildRuns.steps(ChildRuns.rows(run.resolve("metrics.jsonl"))));
    }
}
