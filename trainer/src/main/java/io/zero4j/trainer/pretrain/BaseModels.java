package io.zero4j.trainer.pretrain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.ModelExporter;
import io.zero4j.trainer.config.RunConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cache of pretrained base models: {@code cache_dir/toy-base-HASH}, where HASH is taken over the
 * resolved config, so a changed config makes a new model and an unchanged one is made once. A model
 * is built in a temporary sibling folder and renamed into place only when complete
 * ({@code pretrain.json}, written last, marks it), so a killed pretraining never leaves a folder
 * that looks finished.
 */
public final class BaseModels {
    public static final String SUMMARY_FILE = "pretrain.json";

    private BaseModels() {
    }

    public static Path folderFor(PretrainConfig config) {
        return Path.of(config.cacheDir()).resolve("toy-base-" + hash(config));
    }

    public static boolean isComplete(Path folder) {
        return Files.isRegularFile(folder.resolve(SUMMARY_FILE));
    }

    /** The cached model folder, pretrained first when it is not there yet. */
    public static Path ensure(PretrainConfig config, PrintStream log) throws IOException {
        Path folder = folderFor(config);
        if (isComplete(folder)) {
            log.println("zero4j: base model cached in " + folder);
            return folder;
        }
        return build(config, folder, log);
    }

    /** Pretrains into {@code folder} (replacing what is there), probes the result, then publishes it. */
    public static Path build(PretrainConfig config, Path folder, PrintStream log) throws IOException {
        Path parent = folder.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeStaleTemporaries(parent, folder.getFileName() + ".tmp-");
        Path work = Files.createTempDirectory(parent, folder.getFileName() + ".tmp-");
        try {
            log.println("zero4j: pretraining the base model into " + folder + " (" + config.train().steps() + " steps)");
            Pretrainer.Summary summary = Pretrainer.run(config, work, p -> progress(log, p));
            Map<String, Double> probe = BaseProbe.run(work, config);
            ObjectNode record = RunConfigLoader.MAPPER.createObjectNode();
            record.set("config", RunConfigLoader.tree(config));
            record.set("summary", RunConfigLoader.tree(summary));
            record.set("probe", RunConfigLoader.tree(probe));
            ModelExporter.writeJson(work.resolve(SUMMARY_FILE), record);
            log.printf("zero4j: base model: %,d parameters, vocabulary %d, loss %.3f, %.0f s; held-out greedy accuracy %.2f,"
                            + " %.0f%% of sampled answers reason inside <think>%n", summary.parameters(), summary.vocabSize(),
                    summary.finalLoss(), summary.seconds(), probe.get("greedy/pass@1"), 100 * probe.get("sampled/think_share"));
            deleteTree(folder);
            try {
                Files.move(work, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(work, folder);
            }
            return folder;
        } finally {
            deleteTree(work);
        }
    }

    private static void progress(PrintStream log, Pretrainer.Progress p) {
        if (p.step() == p.steps() || p.step() % Math.max(1, p.steps() / 10) == 0) {
            log.printf("zero4j: pretrain step %d/%d  loss %.3f  %.0fs%n", p.step(), p.steps(), p.loss(), p.seconds());
        }
    }

    static String hash(PretrainConfig config) {
        try {
            byte[] json = RunConfigLoader.tree(config).toString().getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Temporary folders a killed pretraining left behind (one pretraining per cache folder at a time). */
    private static void removeStaleTemporaries(Path parent, String prefix) throws IOException {
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
