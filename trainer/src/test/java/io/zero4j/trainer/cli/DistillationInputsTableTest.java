package io.zero4j.trainer.cli;

import static io.zero4j.trainer.cli.BadInputTableTest.args;
import static io.zero4j.trainer.cli.BadInputTableTest.c;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BadInputTableTest}'s rule for the distillation commands and for keys a command does not
 * read: each case ends with exit code 2 and one line naming the file and the key.
 */
class DistillationInputsTableTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        model = tmp.resolve("toy");
        assertEquals(0, MainTest.run("init", "--out", model.toString(), "--seed", "1").code());
        data = tmp.resolve("data.jsonl");
        Files.write(data, List.of("{\"question\":\"1+1\",\"answer\":\"2\"}", "{\"question\":\"2+2\",\"answer\":\"4\"}"));
    }

    /**
     * A config file of {@code sections} (an object's members; {@code dataset} the problems unless
     * they name it), its output in a folder of its own.
     */
    private static String config(String name, String sections) throws Exception {
        Path p = tmp.resolve(name);
        String dataset = sections.contains("\"dataset\"") ? "" : "\"dataset\":{\"path\":\"" + data + "\"},";
        Files.writeString(p, "{" + dataset + "\"run\":{\"output_dir\":\"" + tmp.resolve("out-" + name) + "\"}," + sections + "}");
        return p.toString();
    }

    private static String student() {
        return "\"model\":{\"path\":\"" + model + "\"}";
    }

    private static String teacher(String folder) {
        return "\"teacher\":{\"model\":\"" + folder + "\"}";
    }

    /** On-policy distillation of the toy by itself, with more {@code algorithm} members and more sections. */
    private static String onPolicy(String algorithm, String sections) {
        return student() + "," + teacher(model.toString()) + ",\"algorithm\":{\"kind\":\"on_policy_distill\"" + algorithm + "}"
                + sections;
    }

    @Test
    void keysACommandDoesNotReadAndUnfitTeachers() throws Exception {
        BadInputTableTest.check(List.of(
            c("a teacher in a GRPO run", args("train", config("grpo-teacher.json", student() + "," + teacher(model.toString()))),
                    "grpo-teacher.json", "key 'teacher'", "not read by ./zero4j train", "on_policy_distill"),
            c("gradient checkpointing in sft", args("sft", config("sft-checkpointing.json", student()
                    + ",\"optim\":{\"gradient_checkpointing\":true}")), "key 'optim.gradient_checkpointing'", "not read by ./zero4j sft"),
            c("a shuffle seed in sft", args("sft", config("sft-shuffle.json", student() + ",\"dataset\":{\"path\":\"" + data
                    + "\",\"shuffle_seed\":3}")), "key 'dataset.shuffle_seed'", "not read by ./zero4j sft"),
            c("a model in a collection without a comparison", args("distill", config("collect-model.json", student() + ","
                    + teacher(model.toString()))), "collect-model.json", "key 'model'", "not read by ./zero4j distill"),
            c("an optimizer in a collection", args("distill", config("collect-optim.json", teacher(model.toString())
                    + ",\"optim\":{\"learning_rate\":0.1}")), "key 'optim'", "not read by ./zero4j distill"),
            c("keep_rewards spelled otherwise", args("distill", config("collect-case.json", teacher(model.toString())
                    + ",\"distill\":{\"keep_rewards\":[\"Accuracy\"]}")), "key 'distill.keep_rewards'", "got 'Accuracy'"),
            c("a teacher folder that is not there", args("distill", config("collect-nowhere.json", teacher(tmp.resolve("nowhere")
                    .toString()))), "collect-nowhere.json", "key 'teacher.model'", "is not a folder"),
            c("a key variable that is not set", args("distill", config("collect-key.json", "\"teacher\":{\"url\":"
                    + "\"http://127.0.0.1:9/v1\",\"served_model\":\"m\",\"api_key_env\":\"ZERO4J_NO_SUCH_KEY\"}")),
                    "collect-key.json", "key 'teacher.api_key_env'", "ZERO4J_NO_SUCH_KEY is not set"),
            c("on-policy distillation from a top-p distribution", args("train", config("opd-top-p.json", onPolicy("",
                    ",\"sampling\":{\"top_p\":0.9}"))), "key 'sampling.top_p'", "whole distribution"),
            c("on-policy distillation from a top-k distribution", args("train", config("opd-top-k.json", onPolicy("",
                    ",\"sampling\":{\"top_k\":20}"))), "key 'sampling.top_k'", "whole distribution"),
            c("on-policy distillation with dynamic sampling", args("train", config("opd-dynamic.json", onPolicy(
                    ",\"dynamic_sampling\":true", ""))), "key 'algorithm.dynamic_sampling'")));
    }
}
