package io.zero4j.trainer.toy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.trainer.checkpoint.AtomicFolder;
import io.zero4j.trainer.config.RunConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The cache of pretrained base models: {@code cache_dir/toy-base-HASH}, where HASH is taken over the
 * resolved config and the folder's format, so a changed config makes a new model and an unchanged
 * one is made once. A model is built as an {@link AtomicFolder} ({@code pretrain.json} written
 * last), so a killed pretraining never leaves a folder that looks finished. {@code source} names the config file in errors. The
 * device is not part of the hash: a base made on a GPU serves a CPU run and the other way round.
 */
public final class BaseModels {
    public static final String SUMMARY_FILE = "pretrain.json";
    /**
     * What a base folder holds beyond what its config decides, part of the hash: raised when the
     * builder writes something new, so a cached base from before is not taken for a current one
     * (2: the tokenizer carries a chat template).
     */
    private static final String FORMAT = "toy-base folder format 2\n";

    private BaseModels() {
    }

    public static Path folderFor(PretrainConfig config) {
        return Path.of(config.cacheDir()).resolve("toy-base-" + hash(config));
    }

    public static boolean isComplete(Path folder) {
        return Files.isRegularFile(folder.resolve(SUMMARY_FILE));
    }

    /** The cached model folder, pretrained first when it is not there yet. */
    public static Path ensure(PretrainConfig config, String source, Device device, PrintStream log) throws IOException {
        Path folder = folderFor(config);
        if (isComplete(folder)) {
            log.println("zero4j: base model cached in " + folder);
            return folder;
        }
        return build(config, source, folder, device, log);
    }

    /** Pretrains into {@code folder} (replacing what is there), probes the result, then publishes it. */
    public static Path build(PretrainConfig config, String source, Path folder, Device device, PrintStream log)
            throws IOException {
        Path work = AtomicFolder.prepare(folder); // clears what a killed pretraining left
        try {
            return pretrainAndProbe(config, source, work, folder, device, log);
        } catch (IOException | RuntimeException e) {
            AtomicFolder.deleteTree(work);
            throw e;
        }
    }

    private static Path pretrainAndProbe(PretrainConfig config, String source, Path work, Path folder, Device device,
                                         PrintStream log) throws IOException {
        log.println("zero4j: pretraining the base model into " + folder + " (" + config.train().steps() + " steps on "
                + Devices.describe(device) + ")");
        Pretrainer.Summary summary = Pretrainer.run(config, source, work, device, p -> progress(log, p));
        Map<String, Double> probe = BaseProbe.run(work, config, device);
        ObjectNode record = RunConfigLoader.MAPPER.createObjectNode();
        record.set("config", RunConfigLoader.tree(config));
        record.set("summary", RunConfigLoader.tree(summary));
        record.set("probe", RunConfigLoader.tree(probe));
        ModelExporter.writeJson(work.resolve(SUMMARY_FILE), record);
        log.printf("zero4j: base model: %,d parameters, vocabulary %d, loss %.3f, %.0f s; held-out greedy accuracy %.2f,"
                        + " %.0f%% of sampled answers open a worked solution%n", summary.parameters(), summary.vocabSize(),
                summary.finalLoss(), summary.seconds(), probe.get("greedy/pass@1"), 100 * probe.get("sampled/opens_reasoning"));
        AtomicFolder.publish(work, folder);
        return folder;
    }

    private static void progress(PrintStream log, Pretrainer.Progress p) {
        if (p.step() == p.steps() || p.step() % Math.max(1, p.steps() / 10) == 0) {
            log.printf("zero4j: pretrain step %d/%d  loss %.3f  %.0fs%n", p.step(), p.steps(), p.loss(), p.seconds());
        }
    }

    static String hash(PretrainConfig config) {
        try {
            byte[] json = (FORMAT + RunConfigLoader.tree(config)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
