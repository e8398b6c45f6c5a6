package io.zero4j.trainer.run;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.toy.BaseModels;
import io.zero4j.trainer.toy.PretrainConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training command ({@code train}, {@code sft}) does around its first step, once for both:
 * find the model it starts from, check that a resume has steps left, and write its
 * {@code config.json} (a fresh run) or record what a resume changed ({@code resumes.jsonl}, one line
 * per resume, and the config rewritten), so the next resume starts from the settings in force.
 */
final class RunSetup {
    /** Keys changed on resume, one line per resume. */
    static final String RESUMES = "resumes.jsonl";

    private RunSetup() {
    }

    /** {@code model.path}, or the cached base of {@code model.pretrain}, pretrained first when not there yet. */
    static Path modelFolder(RunConfig config, Device device, PrintStream log) throws IOException {
        RunConfig.Model m = config.model();
        return m.path() != null ? Path.of(m.path())
                : BaseModels.ensure(PretrainConfigLoader.load(Path.of(m.pretrain()), List.of()), m.pretrain(), device, log);
    }

    /** The step a resume starts after, refused when {@code run.steps} is below it. */
    static int startStep(Checkpoints.Saved saved, RunConfig config, String source) {
        int step = saved == null ? 0 : saved.state().step();
        if (step > config.run().steps()) {
            throw new UserInputException(source + ": key 'run.steps': " + config.run().steps() + " is below the step of the"
                    + " newest checkpoint (" + step + "); raise it with --set run.steps=N");
        }
        return step;
    }

    /** The prompt and the completion the config allows fit the model's context. */
    static void checkContext(RunConfig config, CausalLM model, String source) {
        int context = model.config().maxPositionEmbeddings();
        RunConfig.Sampling s = config.sampling();
        if (s.maxPromptLength() + s.maxCompletionLength() > context) {
            throw new UserInputException(source + ": key 'sampling.max_completion_length': max_prompt_length ("
                    + s.maxPromptLength() + ") + max_completion_length (" + s.maxCompletionLength()
                    + ") exceeds the model's context of " + context);
        }
    }

    /**
     * Once every input is checked: a fresh run ({@code changes} null) writes its config; a resume
     * records its changes, if any.
     */
    static void commit(RunFolder folder, RunConfig config, Map<String, JsonNode[]> changes, int startStep, PrintStream log)
            throws IOException {
        if (changes == null) {
            writeConfig(folder, config);
        } else if (!changes.isEmpty()) {
            recordChanges(folder, config, changes, startStep, log);
        }
    }

    private static void recordChanges(RunFolder folder, RunConfig config, Map<String, JsonNode[]> changes, int step,
                                      PrintStream log) throws IOException {
        Map<String, Object> changed = new LinkedHashMap<>();
        changes.forEach((key, fromTo) -> {
            Map<String, JsonNode> change = new LinkedHashMap<>();
            change.put("from", fromTo[0]);
            change.put("to", fromTo[1]);
            changed.put(key, change);
        });
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("step", step);
        record.put("changed", changed);
        Files.writeString(folder.resolve(RESUMES), RunConfigLoader.MAPPER.writeValueAsString(record) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        writeConfig(folder, config);
        log.println("zero4j: resuming with " + changed.keySet() + " changed (recorded in " + folder.resolve(RESUMES) + ")");
    }

    private static void writeConfig(RunFolder folder, RunConfig config) throws IOException {
        Path target = folder.resolve(RunFolder.CONFIG);
        Path tmp = target.resolveSibling("." + RunFolder.CONFIG + ".tmp");
        ModelExporter.writeJson(tmp, config.toJson());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
