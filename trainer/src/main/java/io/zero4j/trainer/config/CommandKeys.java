package io.zero4j.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.zero4j.model.UserInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What each command reads of the one run-config schema. A config given to a command must name what
 * the command needs (a model to train), and must not set, away from its default, a key the command
 * does not read: that key would be accepted and ignored (a teacher in a GRPO run, an optimizer in a
 * trace collection), so it is one line naming the key and the command that does read it.
 */
public final class CommandKeys {
    private static final JsonNode DEFAULTS = RunConfigLoader.layered("defaults.json", JsonNodeFactory.instance.objectNode(),
            List.of(), RunConfig.class, "defaults.json").toJson();
    /**
     * Read by {@code train} only: {@code sft} has its own batches (shuffled by {@code run.seed}), no
     * rollouts, no policy-gradient loss, and no activation checkpointing.
     */
    private static final List<String> TRAIN_ONLY = List.of("algorithm", "rollout", "sampling.num_generations",
            "optim.prompts_per_step", "optim.gradient_accumulation_steps", "optim.gradient_checkpointing",
            "run.log_samples_every", "dataset.shuffle_seed");
    /** Read by the training commands, not by a trace collection. */
    private static final List<String> TRAINING = List.of("optim", "algorithm", "rollout", "sampling.num_generations",
            "run.steps", "run.eval_every", "run.save_every", "run.log_samples_every", "run.max_bad_steps", "run.eval_pass_k",
            "run.max_train_seconds", "dataset.eval_path", "dataset.eval_size", "dataset.shuffle_seed");

    private CommandKeys() {
    }

    /** Refuses {@code config} for {@code command} ({@code train}, {@code sft} or {@code distill}) as the class says. */
    public static void check(RunConfig config, String command, String source) {
        boolean needsModel = !command.equals("distill") || config.comparison().enabled();
        if (needsModel && config.model().path() == null && config.model().pretrain() == null) {
            throw new UserInputException(source + ": key 'model.path': a Hugging Face model folder is required (or"
                    + " model.pretrain, a pretraining config)" + (command.equals("distill") ? ": the student the comparison trains" : ""));
        }
        JsonNode tree = config.toJson();
        for (String key : unread(config, command)) {
            if (!RunConfigLoader.at(tree, key).equals(RunConfigLoader.at(DEFAULTS, key))) {
                throw new UserInputException(source + ": key '" + key + "': not read by ./zero4j " + command + " (" + readBy(key)
                        + "); leave it out");
            }
        }
    }

    /**
     * On a resume, the saved config was judged when the run began: only the keys changed now are
     * checked, against what {@code command} reads.
     */
    public static void checkChanges(RunConfig config, String command, Collection<String> changed, String source) {
        for (String key : changed) {
            for (String unread : unread(config, command)) {
                if (key.equals(unread) || key.startsWith(unread + ".")) {
                    throw new UserInputException(source + ": key '" + key + "': not read by ./zero4j " + command + " ("
                            + readBy(unread) + "); leave it as the run has it");
                }
            }
        }
    }

    private static List<String> unread(RunConfig config, String command) {
        List<String> keys = new ArrayList<>();
        switch (command) {
            case "train" -> {
                keys.addAll(List.of("distill", "sft", "comparison"));
                if (config.algorithm().kind() != RunConfig.Algorithm.Kind.ON_POLICY_DISTILL) {
                    keys.add("teacher");
                }
            }
            case "sft" -> {
                keys.addAll(List.of("teacher", "distill", "comparison"));
                keys.addAll(TRAIN_ONLY);
            }
            case "distill" -> {
                keys.add("sft");
                keys.addAll(TRAINING);
                keys.add(config.comparison().enabled() ? "model.lora" : "model"); // an arm's student keeps the arm's LoRA
            }
            default -> throw new IllegalArgumentException(command);
        }
        return keys;
    }

    private static String readBy(String key) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        return switch (section) {
            case "teacher" -> "distill reads it, and train with algorithm.kind on_policy_distill";
            case "distill", "comparison" -> "distill reads it";
            case "sft" -> "sft reads it";
            case "model" -> key.equals("model.lora") ? "a comparison's arms set their own LoRA"
                    : "distill reads it only as the student of a comparison";
            default -> TRAIN_ONLY.contains(key) || TRAIN_ONLY.contains(section) ? "train reads it" : "train and sft read it";
        };
    }
}
