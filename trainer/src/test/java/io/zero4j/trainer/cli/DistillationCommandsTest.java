package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Architecture;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.tokenizer.ByteLevelTokenizerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distillation commands on tiny models: {@code distill} from a local teacher, {@code sft} on its
 * traces (resumed to the bit, and with LoRA), and {@code train} with {@code algorithm.kind: on_policy_distill},
 * whose reverse KL to the teacher falls.
 */
class DistillationCommandsTest {
    @TempDir
    static Path tmp;
    static Path teacher;
    static Path student;
    static Path problems;

    /** The toy tokenizer with random weights of {@code seed}, the final norm scaled by {@code scale} (logits times it). */
    private static Path folder(String name, int seed, int hidden, float scale) throws Exception {
        return folder(name, seed, hidden, scale, ModelPresets.toyTokenizer(), 256);
    }

    /** As above, with another tokenizer (the toy's vocabulary size kept) or another context. */
    private static Path folder(String name, int seed, int hidden, float scale, ByteLevelTokenizerBuilder tokenizer, int context)
            throws Exception {
        Path dir = tmp.resolve(name);
        tokenizer.writeTo(dir);
        int vocab = ModelPresets.toyTokenizer().vocabSize();
        ModelConfig shape = ModelConfig.of(Architecture.QWEN2, hidden, 2 * hidden, 2, 4, 2, vocab, true, context);
        try (CausalLM random = RandomInit.create(shape, seed, Device.cpu(), DataType.FLOAT32)) {
            random.parameters().forEach((n, p) -> {
                if (n.equals("model.norm.weight")) {
                    p.muli(scale);
                }
            });
            ModelExporter.export(random, null, dir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
        return dir;
    }

    @BeforeAll
    static void setUp() throws Exception {
        // the teacher is the student's own distribution at temperature 1/8: a target the student can reach
        teacher = folder("teacher", 2, 32, 8f);
        student = folder("student", 2, 32, 1f);
        problems = tmp.resolve("problems.jsonl");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            rows.add("{\"question\":\"" + i + " plus " + i + "\",\"answer\":\"" + (2 * i) + "\"}");
        }
        Files.write(problems, rows);
    }

    /** The settings both a collection and a training run read. */
    private static String shared(String name) {
        return "{\"dataset\":{\"path\":\"" + problems + "\"},\"prompt\":{\"template\":\"Q: {problem} A:\"},"
                + "\"rewards\":[{\"name\":\"overlong\",\"params\":{\"max_length\":\"10\",\"overlong_cache\":\"6\"}}],"
                + "\"sampling\":{\"max_prompt_length\":32,\"max_completion_length\":10,\"stop\":[\"a\",\" \"]},"
                + "\"run\":{\"seed\":3,\"output_dir\":\"" + tmp.resolve(name + "-run") + "\"}}";
    }

    /**
     * Writes {@code shared(name)} with each overlay's keys put in, section by section; an overlay is
     * an object's members, as {@code ,"key":value,...} (empty: none).
     */
    private static Path write(String name, String... overlays) throws Exception {
        ObjectNode tree = (ObjectNode) FaultInjectionTest.JSON.readTree(shared(name));
        for (String overlay : overlays) {
            if (!overlay.isEmpty()) {
                merge(tree, (ObjectNode) FaultInjectionTest.JSON.readTree("{" + overlay.substring(1) + "}"));
            }
        }
        Path file = tmp.resolve(name + ".json");
        Files.writeString(file, tree.toString());
        return file;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(e -> {
            if (e.getValue().isObject() && into.get(e.getKey()) instanceof ObjectNode section) {
                merge(section, (ObjectNode) e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    private static final String SFT = ",\"dataset\":{\"eval_size\":4},\"optim\":{\"learning_rate\":3e-3,\"micro_batch_size\":8},"
            + "\"run\":{\"steps\":12,\"save_every\":6,\"eval_every\":0}";

    /** An SFT config of the student: 12 steps, checkpoints every 6, no evaluation. */
    private static Path sftConfig(String name, String extra) throws Exception {
        return write(name, ",\"model\":{\"path\":\"" + student + "\"}", SFT, extra);
    }

    /** A train config of the student: as {@link #sftConfig}, with 4 prompts of 4 samples a step. */
    private static Path config(String name, String extra) throws Exception {
        return write(name, ",\"model\":{\"path\":\"" + student + "\"}", SFT, ",\"sampling\":{\"num_generations\":4},"
                + "\"optim\":{\"prompts_per_step\":4},\"run\":{\"log_samples_every\":0}", extra);
    }

    /** A collection config (distill) from the teacher: two samples a problem, kept when not overlong. */
    private static Path collection(String name, String extra) throws Exception {
        return write(name, ",\"teacher\":{\"model\":\"" + teacher + "\"},\"distill\":{\"samples_per_problem\":2,"
                + "\"keep_rewards\":[\"overlong\"],\"keep_min\":-0.5}", extra);
    }

    @Test
    void sftOnDistilledTracesLearnsThemAndResumesToTheBit() throws Exception {
        MainTest.Result d = MainTest.run("distill", collection("collect", "").toString());
        assertEquals(0, d.code(), d.err());
        Path traces = tmp.resolve("collect-run/traces.jsonl");
        List<JsonNode> kept = ChildRuns.rows(traces);
        assertTrue(!kept.isEmpty() && kept.size() < 48, kept.size() + " of 48 kept");
        String sft = ",\"sft\":{\"batch_size\":8,\"bucket_window\":16}";
        Path cfg = sftConfig("sft", sft); // the traces are the data
        Files.writeString(cfg, Files.readString(cfg).replace(problems.toString(), traces.toString()));
        MainTest.Result r = MainTest.run("sft", cfg.toString());
        assertEquals(0, r.code(), r.err());
        List<JsonNode> rows = ChildRuns.rows(tmp.resolve("sft-run/metrics.jsonl"));
        double first = rows.get(0).get("data").get("loss").asDouble();
        double last = rows.get(rows.size() - 1).get("data").get("loss").asDouble();
        assertTrue(last < 0.75 * first, "the traces' NLL falls by a quarter in 12 steps: " + first + " -> " + last);
        String card = Files.readString(tmp.resolve("sft-run/final/README.md"));
        assertTrue(card.startsWith("---\nlibrary_name: transformers\ntags:\n"), "a local base is no Hub id: " + card);
        assertTrue(card.contains("from `" + student + "` with **sft**"), card);
        assertTrue(card.contains("with **sft**") && card.contains("traces from teacher `{\"kind\":\"local\",\"model\":\"" + teacher)
                && card.contains("overlong"), card);

        Path half = tmp.resolve("sft-half.json");
        Files.writeString(half, Files.readString(cfg).replace("sft-run", "sft-half-run").replace("\"steps\":12", "\"steps\":6"));
        assertEquals(0, MainTest.run("sft", half.toString()).code());
        MainTest.Result resumed = MainTest.run("sft", "--resume", tmp.resolve("sft-half-run").toString(), "--set", "run.steps=12");
        assertEquals(0, resumed.code(), resumed.err());
        List<JsonNode> again = ChildRuns.rows(tmp.resolve("sft-half-run/metrics.jsonl"));
        assertEquals(rows.size(), again.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).get("data").get("loss"), again.get(i).get("data").get("loss"), "step " + (i + 1));
        }

        // LoRA leaves the tied embedding and the norms alone, which bound this student's logits near uniform
        // (its final norm is 1); a student whose norm allows sharp logits shows what the adapters learn
        Path sharp = folder("student-sharp", 5, 32, 8f);
        Path lora = tmp.resolve("sft-lora-run");
        Path loraCfg = tmp.resolve("sft-lora.json");
        Files.writeString(loraCfg, Files.readString(cfg).replace("{\"path\":\"" + student + "\"}", "{\"path\":\"" + sharp
                + "\",\"lora\":{\"r\":8,\"alpha\":16,\"target_modules\":\"all-linear\"}}"));
        MainTest.Result adapted = MainTest.run("sft", loraCfg.toString(), "--set", "run.output_dir=" + lora, "--set",
                "optim.learning_rate=1e-2");
        assertEquals(0, adapted.code(), adapted.err());
        List<JsonNode> loraRows = ChildRuns.rows(lora.resolve("metrics.jsonl"));
        double loraFirst = loraRows.get(0).get("data").get("loss").asDouble();
        double loraLast = loraRows.get(loraRows.size() - 1).get("data").get("loss").asDouble();
        assertTrue(loraLast < 0.75 * loraFirst, "LoRA SFT lowers the traces' NLL by a quarter too: " + loraFirst + " -> " + loraLast);
        assertTrue(Files.isRegularFile(lora.resolve("checkpoints/step-000006/adapter_config.json")), "checkpoints are PEFT adapters");
        assertTrue(Files.isRegularFile(lora.resolve("final/model.safetensors")), "final/ is the merged model");
    }

    @Test
    void aLocalTeacherIsPromptedThroughItsChatTemplateWhenAsked() throws Exception {
        Path chatTeacher = tmp.resolve("teacher-chat");
        Files.createDirectories(chatTeacher);
        try (var files = Files.list(teacher)) {
            for (Path f : files.toList()) {
                Files.copy(f, chatTeacher.resolve(f.getFileName()));
            }
        }
        Files.writeString(chatTeacher.resolve("chat_template.jinja"),
                "{% for m in messages %}[{{ m.role }}: {{ m.content }}]{% endfor %}{% if add_generation_prompt %}>{% endif %}");
        Path cfg = collection("chat", "");
        Files.writeString(cfg, Files.readString(cfg).replace(teacher.toString(), chatTeacher.toString())
                .replace("\"samples_per_problem\":2", "\"samples_per_problem\":1,\"max_problems\":3")
                .replace("\"prompt\":{\"template\":\"Q: {problem} A:\"}",
                        "\"prompt\":{\"template\":\"Q: {problem} A:\",\"use_chat_template\":true}"));
        MainTest.Result r = MainTest.run("distill", cfg.toString());
        assertEquals(0, r.code(), r.err());
        List<JsonNode> lines = ChildRuns.rows(tmp.resolve("chat-run/collection.jsonl"));
        assertEquals(3, lines.size());
        assertEquals("[user: Q: 0 plus 0 A:]>", lines.get(0).get("prompt").asText());
        MainTest.Result fewer = MainTest.run("distill", cfg.toString(), "--set", "distill.max_problems=2");
        assertEquals(2, fewer.code(), fewer.err());
        assertTrue(fewer.err().contains("key 'distill.max_problems'") && fewer.err().contains("holds 3 problems already"),
                fewer.err());
        MainTest.Result more = MainTest.run("distill", cfg.toString(), "--set", "distill.max_problems=4");
        assertEquals(0, more.code(), more.err());
        assertEquals(4, ChildRuns.rows(tmp.resolve("chat-run/collection.jsonl")).size(), "a fourth problem, after the three");
    }

    /** An arm of the comparison: evaluated before and after, with more steps than its time allows. */
    private static Path arm(Path cfg) throws Exception {
        Files.writeString(cfg, Files.readString(cfg).replace("\"eval_size\":4", "\"eval_path\":\"" + problems + "\",\"eval_size\":4")
                .replace("\"eval_every\":0", "\"eval_every\":1000").replace("\"steps\":12", "\"steps\":1000"));
        return cfg;
    }

    @Test
    void distillEndsWithTheThreeWaysComparedAtEqualTrainingTime() throws Exception {
        String arms = ",\"comparison\":{\"train_seconds\":[1,2],\"grpo\":\"" + arm(config("arm-grpo", "")) + "\",\"sft\":\""
                + arm(sftConfig("arm-sft", ",\"sft\":{\"batch_size\":8}")) + "\",\"on_policy_distill\":\""
                + arm(config("arm-opd", ",\"algorithm\":{\"kind\":\"on_policy_distill\"}")) + "\"}";
        Path cfg = collection("compare", ",\"model\":{\"path\":\"" + student + "\"}" + arms); // the student of every arm
        MainTest.Result r = MainTest.run("distill", cfg.toString());
        assertEquals(0, r.code(), r.err());
        Path run = tmp.resolve("compare-run");
        JsonNode table = FaultInjectionTest.JSON.readTree(run.resolve("comparison.json").toFile());
        assertEquals(6, table.get("arms").size(), "three methods, two budgets");
        for (JsonNode a : table.get("arms")) {
            String method = a.get("method").asText();
            double budget = a.get("time_budget_seconds").asDouble();
            List<JsonNode> rows = ChildRuns.rows(Path.of(a.get("run_dir").asText()).resolve("metrics.jsonl"));
            double spent = 0;
            for (JsonNode row : rows.subList(1, rows.size() - 1)) { // the evaluation row 0, then every step but the last
                spent += row.get("data").get("time/step_s").asDouble();
            }
            assertTrue(spent < budget, method + ": the budget was spent only at the last step (" + spent + " s before it)");
            assertEquals(a.get("steps").asInt(), rows.size() - 1, method + ": the table's steps are the run's");
            assertTrue(a.get("train_seconds").asDouble() >= budget && a.get("steps").asInt() < 1000, method + ": " + a);
            assertTrue(a.get("after").has("eval/greedy_pass@1"), method + " evaluated at its last step");
            assertTrue(r.out().contains("| " + (int) budget + " s | ") && r.out().contains(" | " + a.get("steps").asInt() + " | "),
                    r.out());
        }
        assertTrue(r.out().contains("| 2 s | SFT on the teacher's traces |")
                && r.out().contains("| - | the student's base, untrained | 0 | 0 |"), r.out());
        MainTest.Result again = MainTest.run("distill", cfg.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("sft-2s is done already"), again.err());
        assertEquals(table.get("table"), FaultInjectionTest.JSON.readTree(run.resolve("comparison.json").toFile()).get("table"),
                "finished arms are read back, not run again");
    }

    /** The on-policy distillation run's per-step reverse KL and gradient norm. */
    private static List<double[]> onPolicyRun(String name, Path teacherDir) throws Exception {
        Path cfg = config(name, ",\"algorithm\":{\"kind\":\"on_policy_distill\"},\"teacher\":{\"model\":\"" + teacherDir + "\"}");
        MainTest.Result r = MainTest.run("train", cfg.toString(), "--set", "run.steps=6");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isDirectory(tmp.resolve(name + "-run/final")));
        List<double[]> out = new ArrayList<>();
        for (JsonNode row : ChildRuns.rows(tmp.resolve(name + "-run/metrics.jsonl"))) {
            out.add(new double[] {row.get("data").get("distill/reverse_kl").asDouble(), row.get("data").get("grad_norm").asDouble()});
        }
        return out;
    }

    @Test
    void onPolicyDistillationLearnsFromTheTeacherLogRatioAlone() throws Exception {
        // the student as its own teacher: the log-ratio is 0 on every token, so the first step has no gradient,
        // whatever the rewards say (Adam then turns float noise into steps of the learning rate: it stays near)
        List<double[]> self = onPolicyRun("opd-self", student);
        assertEquals(0, self.get(0)[0], 1e-6, "reverse KL to itself, step 1");
        assertEquals(0, self.get(0)[1], 1e-5, "no gradient");
        self.forEach(step -> assertEquals(0, step[0], 1e-2, "near itself"));
        for (double[] step : onPolicyRun("opd", teacher)) {
            assertTrue(step[0] > 0.01 && Double.isFinite(step[0]), "a sharper teacher is away: " + step[0]);
            assertTrue(step[1] > 1e-3, "and pulls: " + step[1]);
        }
    }

    @Test
    void aTeacherThatCannotScoreTheStudentsTokensIsRefusedBeforeTheFirstStep() throws Exception {
        Path otherTokenizer = folder("teacher-bytes", 2, 32, 8f, new ByteLevelTokenizerBuilder(), 256); // bytes, no merges
        Path shortContext = folder("teacher-short", 2, 32, 8f, ModelPresets.toyTokenizer(), 24); // < 32 + 10
        for (Path teacherDir : List.of(otherTokenizer, shortContext)) {
            Path cfg = config("opd-unfit", ",\"algorithm\":{\"kind\":\"on_policy_distill\"},\"teacher\":{\"model\":\"" + teacherDir
                    + "\"}");
            MainTest.Result r = MainTest.run("train", cfg.toString(), "--overwrite");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("key 'teacher.model': " + teacherDir) && !r.err().contains("Exception"), r.err());
            assertTrue(r.err().contains(teacherDir == otherTokenizer ? "tokenizes text differently" : "has a context of 24"), r.err());
            assertTrue(!Files.exists(tmp.resolve("opd-unfit-run/metrics.jsonl")), "refused before the first step");
        }
    }
}
