package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.trainer.checkpoint.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input a user (or a damaged disk) can hand the CLI ends with exit code 2 and one line
 * that names the file and the field: run configs, datasets, run folders and checkpoints, model
 * folders, and the eval / score / generate commands' own inputs. Each row is a case that printed a
 * stack trace, exited 0, or said something unclear before.
 */
class BadInputTableTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;
    static Path done;

    @BeforeAll
    static void setUp() throws Exception {
        model = tmp.resolve("toy");
        assertEquals(0, MainTest.run("init", "--out", model.toString(), "--seed", "1").code());
        data = tmp.resolve("data.jsonl");
        Files.write(data, List.of("{\"question\":\"1+1\",\"answer\":\"2\"}", "{\"question\":\"2+2\",\"answer\":\"4\"}",
                "{\"question\":\"3+3\",\"answer\":\"6\"}", "{\"question\":\"4+4\",\"answer\":\"8\"}"));
        done = tmp.resolve("done");
        MainTest.Result r = MainTest.run("train", write("base.json", c -> { }).toString(), "--set", "run.output_dir=" + done);
        assertEquals(0, r.code(), r.err());
    }

    /** The base run config, changed by {@code edit}, written to {@code name}. */
    static Path write(String name, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree("{\"model\":{\"path\":\"" + model + "\"},\"dataset\":{\"path\":\"" + data
                + "\",\"eval_size\":0},\"prompt\":{\"template\":\"Q: {problem} A: <think>\"},"
                + "\"sampling\":{\"num_generations\":2,\"max_prompt_length\":64,\"max_completion_length\":6},"
                + "\"optim\":{\"learning_rate\":1e-4,\"prompts_per_step\":2,\"micro_batch_size\":4},"
                + "\"run\":{\"steps\":2,\"save_every\":1,\"log_samples_every\":1,\"eval_every\":0,\"output_dir\":\""
                + tmp.resolve("out-" + name) + "\"}}");
        edit.accept(c);
        Path p = tmp.resolve(name);
        Files.writeString(p, JSON.writeValueAsString(c));
        return p;
    }

    static Path text(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    /** A copy of the finished run's folder, to damage. */
    static Path copyOfDone(String name) throws Exception {
        return DamagedFiles.copyTree(done, tmp.resolve(name));
    }

    /** A copy of the toy model folder, to damage. */
    static Path copyOfModel(String name) throws Exception {
        return DamagedFiles.copyTree(model, tmp.resolve(name));
    }

    record Case(String what, String[] args, String... mustSay) {
    }

    static Case c(String what, String[] args, String... mustSay) {
        return new Case(what, args, mustSay);
    }

    static String[] train(Path config, String... more) {
        List<String> a = new ArrayList<>(List.of("train", config.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static String[] args(String... a) {
        return a;
    }

    @Test
    void configsAndDatasets() throws Exception {
        Path latin1 = tmp.resolve("latin1.jsonl");
        Files.write(latin1, "{\"question\":\"ok\",\"answer\":\"1\"}\n{\"question\":\"caf\u00e9\",\"answer\":\"1\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Path noAnswers = text("no-answers.jsonl", "{\"question\":\"1+1\"}\n{\"question\":\"2+2\"}\n");
        Path surrogate = text("surrogate.jsonl", "{\"question\":\"bad \\ud800 text\",\"answer\":\"1\"}\n");
        Path badEval = text("bad-eval.jsonl", "{\"question\":\"a\",\"answer\":\"1\"}\n{\"question\":\"b\",\"answer\":\"1\"}\n[1]\n");
        Path aFile = text("a-file", "not a folder");
        Files.createDirectories(tmp.resolve("a-folder"));
        List<Case> cases = List.of(
            c("a section set to null", train(write("null-model.json", t -> t.putNull("model"))), "null-model.json", "key 'model'"),
            c("sampling null", train(write("null-sampling.json", t -> t.putNull("sampling"))), "key 'sampling'"),
            c("a comparison in a train config", train(write("compare.json", t -> t.putObject("comparison")
                    .put("sft", "configs/comparison/sft.json").putArray("train_seconds").add(5))), "key 'comparison'",
                    "not read by ./zero4j train", "distill reads it"),
            c("a comparison without time", train(write("compare-0.json", t -> t.putObject("comparison")
                    .put("sft", "configs/comparison/sft.json"))), "key 'comparison.train_seconds'", "> 0"),
            c("rewards null", train(write("null-rewards.json", t -> t.putNull("rewards"))), "key 'rewards'"),
            c("a key set to null", train(write("null-temp.json", t -> t.with("sampling").putNull("temperature"))),
                    "key 'sampling.temperature'", "null"),
            c("output_dir null", train(write("null-out.json", t -> t.with("run").putNull("output_dir"))), "key 'run.output_dir'"),
            c("output_dir a file", train(write("file-out.json", t -> t.with("run").put("output_dir", aFile.toString()))),
                    "key 'run.output_dir'", "is a file"),
            c("output_dir empty", train(write("empty-out.json", t -> t.with("run").put("output_dir", ""))), "key 'run.output_dir'"),
            c("steps 1.5", train(write("steps-frac.json", t -> t.with("run").put("steps", 1.5))), "key 'run.steps'", "integer"),
            c("steps 1e12", train(write("steps-huge.json", t -> t.with("run").put("steps", 1e12))), "key 'run.steps'"),
            c("steps past int", train(write("steps-long.json", t -> t.with("run").put("steps", 10_000_000_000_000L))),
                    "key 'run.steps'", "out of range"),
            c("a number as text", train(write("lr-text.json", t -> t.with("optim").put("learning_rate", "1e-4"))),
                    "key 'optim.learning_rate'", "number"),
            c("an infinite number", train(text("beta-inf.json", "{\"model\":{\"path\":\"" + model + "\"},\"dataset\":{\"path\":\""
                    + data + "\"},\"algorithm\":{\"beta\":1e999}}")), "key 'algorithm.beta'", "finite"),
            c("trailing garbage", train(text("trailing.json", "{\"model\":{\"path\":\"" + model + "\"}} extra")),
                    "trailing.json", "cannot parse", "line 1"),
            c("an unknown reward parameter", train(write("reward-param.json", t -> t.set("rewards",
                    JSON.createArrayNode().add(JSON.createObjectNode().put("name", "accuracy")
                            .set("params", JSON.createObjectNode().put("extractor", "boxed")))))),
                    "key 'rewards[0].params'", "'extractor'"),
            c("a misspelt reward", train(write("reward-name.json", t -> t.set("rewards",
                    JSON.createArrayNode().add(JSON.createObjectNode().put("name", "acuracy"))))), "key 'rewards[0].name'", "acuracy"),
            c("max_grad_norm -1", train(write("clip.json", t -> t.with("optim").put("max_grad_norm", -1))), "optim.max_grad_norm"),
            c("adam_epsilon 0 (NaN moments)", train(write("eps.json", t -> t.with("optim").put("adam_epsilon", 0))),
                    "optim.adam_epsilon"),
            c("model.dtype is gone", train(write("dtype.json", t -> t.with("model").put("dtype", "int8"))),
                    "unknown key 'model.dtype'"),
            c("overlong keys are gone", train(write("overlong.json", t -> t.with("algorithm").put("overlong_max_length", 10))),
                    "unknown key 'algorithm.overlong_max_length'"),
            c("GSPO with dapo", train(write("gspo.json", t -> t.with("algorithm").put("importance_sampling_level", "sequence")
                    .put("loss_type", "dapo"))), "key 'algorithm.loss_type'", "GSPO"),
            c("a folder as the dataset", train(write("data-folder.json", t -> t.with("dataset")
                    .put("path", tmp.resolve("a-folder").toString()))), "key 'dataset.path'", "is a folder"),
            c("a folder as the config", train(tmp.resolve("a-folder")), "a-folder", "is a folder"),
            c("a dataset that is not UTF-8", train(write("latin1.json", t -> t.with("dataset").put("path", latin1.toString()))),
                    "latin1.jsonl:2", "not UTF-8"),
            c("rows without an answer", train(write("no-answers.json", t -> t.with("dataset").put("path", noAnswers.toString()))),
                    "no-answers.jsonl:1", "field 'answer'", "accuracy"),
            c("countdown rows without numbers", train(write("countdown.json", t -> t.set("rewards", JSON.createArrayNode()
                    .add(JSON.createObjectNode().put("name", "countdown"))))), "data.jsonl:1", "numbers", "countdown"),
            c("a lone surrogate in a problem", train(write("surrogate.json", t -> t.with("dataset")
                    .put("path", surrogate.toString()))), "surrogate.jsonl:1", "surrogate"),
            c("a bad line in eval_path", train(write("bad-eval.json", t -> t.with("dataset").put("eval_path", badEval.toString())
                    .put("eval_size", 5))), "bad-eval.jsonl:3", "not a JSON object"));
        check(cases);
    }

    @Test
    void runFoldersAndCheckpoints() throws Exception {
        String step2 = "checkpoints/step-000002/";
        Path words = copyOfDone("state-words");
        Files.writeString(words.resolve(step2 + Checkpoints.STATE), "{\"step\":\"nineteen\",\"cursor\":4,\"optimizer_steps\":2}");
        Path negative = copyOfDone("state-negative");
        Files.writeString(negative.resolve(step2 + Checkpoints.STATE), "{\"step\":-5,\"cursor\":4,\"optimizer_steps\":2}");
        Path tooFar = copyOfDone("state-999");
        Files.writeString(tooFar.resolve(step2 + Checkpoints.STATE), "{\"step\":999,\"cursor\":4,\"optimizer_steps\":2}");
        Path missingMoment = copyOfDone("optimizer-missing");
        DamagedFiles.rewriteOptimizer(missingMoment.resolve(step2 + Checkpoints.OPTIMIZER), true);
        Path foreign = copyOfDone("optimizer-foreign");
        DamagedFiles.rewriteOptimizer(foreign.resolve(step2 + Checkpoints.OPTIMIZER), false);
        Path tornMiddle = copyOfDone("torn-middle");
        List<String> lines = new ArrayList<>(Files.readAllLines(tornMiddle.resolve("metrics.jsonl")));
        lines.set(0, lines.get(0).substring(0, 20));
        Files.write(tornMiddle.resolve("metrics.jsonl"), lines);
        Path badConfig = copyOfDone("bad-config");
        Files.writeString(badConfig.resolve("config.json"), "{\"model\": ");
        Path empty = tmp.resolve("never-started");
        Files.createDirectories(empty);
        Path changed = write("changed-lr.json", t -> t.with("optim").put("learning_rate", 1e-3));
        List<Case> cases = List.of(
            c("a fresh run into a used folder", args("train", write("reuse.json", t -> { }).toString(), "--set",
                    "run.output_dir=" + done), done.toString(), "is not empty", "train --resume", "--overwrite"),
            c("--resume with --overwrite", args("train", "--resume", done.toString(), "--overwrite"), "--resume", "--overwrite"),
            c("sft --resume with --overwrite", args("sft", "--resume", done.toString(), "--overwrite"), "sft", "--resume",
                    "--overwrite"),
            c("sft without a config", args("sft"), "sft", "give a CONFIG"),
            c("resume changing the learning rate", args("train", changed.toString(), "--resume", done.toString()),
                    "changed-lr.json", "key 'optim.learning_rate'", "keeps its config"),
            c("resume changing a key by --set", args("train", "--resume", done.toString(), "--set", "algorithm.beta=0.1"),
                    "key 'algorithm.beta'", "keeps its config"),
            c("resume below the checkpoint", args("train", "--resume", done.toString(), "--set", "run.steps=1"),
                    "key 'run.steps'", "below"),
            c("state step as words", args("train", "--resume", words.toString(), "--set", "run.steps=3"), "trainer_state.json",
                    "field 'step'"),
            c("state step -5", args("train", "--resume", negative.toString(), "--set", "run.steps=3"), "trainer_state.json",
                    "field 'step'"),
            c("state step 999", args("train", "--resume", tooFar.toString(), "--set", "run.steps=3"), "trainer_state.json",
                    "step-000002"),
            c("optimizer missing a tensor", args("train", "--resume", missingMoment.toString(), "--set", "run.steps=3"),
                    "optimizer.safetensors", "missing"),
            c("optimizer of another model", args("train", "--resume", foreign.toString(), "--set", "run.steps=3"),
                    "optimizer.safetensors", "another model"),
            c("a damaged line mid-log", args("train", "--resume", tornMiddle.toString(), "--set", "run.steps=3"),
                    "metrics.jsonl:1", "damaged"),
            c("a damaged saved config", args("train", "--resume", badConfig.toString()), "config.json", "cannot parse"),
            c("resume of a run that never started", args("train", "--resume", empty.toString()), "never-started",
                    "config.json"),
            c("resume of no folder", args("train", "--resume", tmp.resolve("nowhere").toString()), "nowhere",
                    "no such run folder"));
        check(cases);
    }

    @Test
    void modelFoldersAndCommands() throws Exception {
        Path noConfig = copyOfModel("no-config");
        Files.delete(noConfig.resolve("config.json"));
        Path garbageConfig = copyOfModel("garbage-config");
        Files.writeString(garbageConfig.resolve("config.json"), "{\"hidden_size\": 64,");
        Path wrongShape = copyOfModel("wrong-shape");
        DamagedFiles.editConfig(wrongShape, c -> c.put("intermediate_size", 100));
        Path missingTensor = copyOfModel("missing-tensor");
        DamagedFiles.editConfig(missingTensor, c -> c.put("tie_word_embeddings", false));
        Path wrongDtype = copyOfModel("wrong-dtype");
        byte[] w = Files.readAllBytes(wrongDtype.resolve("model.safetensors"));
        String head = new String(w, 0, 4096, StandardCharsets.ISO_8859_1);
        int at = head.indexOf("\"F32\"");
        w[at + 1] = 'I'; // F32 -> I32: same width, not a float
        Files.write(wrongDtype.resolve("model.safetensors"), w);
        Path smallVocab = copyOfModel("small-vocab");
        DamagedFiles.shrinkVocab(smallVocab);
        Path brokenTokenizer = copyOfModel("broken-tokenizer");
        Files.writeString(brokenTokenizer.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": 7}}");
        Path badTokenizerConfig = copyOfModel("bad-tokenizer-config");
        Files.writeString(badTokenizerConfig.resolve("tokenizer_config.json"), "{\"eos_token\": ");
        Path noTokenizer = copyOfModel("no-tokenizer");
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        Path truncated = copyOfModel("truncated");
        byte[] t = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(t, t.length / 3));
        Path score = text("score.jsonl", "{\"completion\":\"<answer>\\ud800</answer>\",\"answer\":\"1\"}\n");
        Path scoreLatin = tmp.resolve("score-latin1.jsonl");
        Files.write(scoreLatin, "{\"completion\":\"a\",\"answer\":\"1\"}\n{\"completion\":\"\u00e9\",\"answer\":\"1\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        List<Case> cases = new ArrayList<>();
        for (Object[] info : new Object[][] {{noConfig, "no config.json"}, {garbageConfig, "config.json"},
            {wrongShape, "has shape"}, {missingTensor, "'lm_head.weight' is missing"}, {wrongDtype, "dtype I32"},
            {smallVocab, "vocab_size"}, {brokenTokenizer, "tokenizer.json"}, {badTokenizerConfig, "tokenizer_config.json"},
            {noTokenizer, "no tokenizer.json"}, {truncated, "model.safetensors"}}) {
            cases.add(c("info on " + ((Path) info[0]).getFileName(), args("info", "--model", info[0].toString()),
                    ((Path) info[0]).getFileName().toString(), (String) info[1]));
        }
        cases.add(c("eval --output into a missing folder", args("eval", "--model", model.toString(), "--dataset", data.toString(),
                "--output", tmp.resolve("missing/report.json").toString()), "--output", "does not exist"));
        cases.add(c("eval past the context", args("eval", "--model", model.toString(), "--dataset", data.toString(),
                "--max-prompt-length", "2000", "--max-new-tokens", "100"), "context"));
        cases.add(c("eval top-p 0", args("eval", "--model", model.toString(), "--dataset", data.toString(), "--top-p", "0"),
                "top_p"));
        cases.add(c("score on a lone surrogate", args("score", "--reward", "accuracy", "--input", score.toString()),
                "score.jsonl:1", "surrogate"));
        cases.add(c("score on invalid UTF-8", args("score", "--reward", "accuracy", "--input", scoreLatin.toString()),
                "score-latin1.jsonl:2", "not UTF-8"));
        cases.add(c("score with a misspelt reward and a bad weight", args("score", "--reward", "acuracy=x", "--input",
                score.toString()), "unknown reward 'acuracy'"));
        cases.add(c("score with a parameter no reward takes", args("score", "--reward", "accuracy", "--params",
                "format_mode=strict", "--input", score.toString()), "format_mode"));
        Path nan = copyOfModel("nan-weights");
        DamagedFiles.nanWeights(nan);
        cases.add(c("generate on NaN weights", args("generate", "--model", nan.toString(), "--prompt", "hi"),
                "model.safetensors", "NaN"));
        check(cases);
    }

    static void check(List<Case> cases) {
        List<String> failures = new ArrayList<>();
        for (Case k : cases) {
            MainTest.Result r = MainTest.run(k.args());
            String err = r.err().strip();
            boolean ok = r.code() == 2 && err.lines().count() == 1 && err.startsWith("zero4j: ");
            for (String s : k.mustSay()) {
                ok &= err.contains(s);
            }
            System.out.println("  " + k.what() + " -> " + err);
            if (!ok) {
                failures.add(k.what() + ": exit " + r.code() + ", said: " + err);
            }
        }
        System.out.println("bad inputs: " + (cases.size() - failures.size()) + " / " + cases.size() + " one line, exit 2");
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases:\n" + String.join("\n", failures));
    }
}
