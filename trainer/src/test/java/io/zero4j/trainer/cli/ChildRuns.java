package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The child JVMs of {@link FaultInjectionTest}, and how their run folders are read and compared. */
final class ChildRuns {
    private ChildRuns() {
    }

    /**
     * A child JVM running the CLI; {@code limitKb} > 0 caps the size of any file it writes. Every run
     * whose metrics are compared runs in a child like this, with libtorch on one thread and MKL in
     * its reproducible mode: with two threads on a busy machine the float sums differ in the last bits
     * from process to process (MKL adapts its threads to the load), Adam magnifies that to ~1e-4
     * within a few steps, and the comparison would measure libtorch's scheduling instead of whether
     * a resumed run repeats the same work.
     */
    static Process start(Path log, int limitKb, String... mainArgs) throws IOException {
        List<String> command = new ArrayList<>();
        if (limitKb > 0) {
            command.addAll(List.of("bash", "-c", "ulimit -f " + limitKb + "; exec \"$@\"", "bash"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "io.zero4j.trainer.cli.Main"));
        command.addAll(List.of(mainArgs));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("MKL_NUM_THREADS", "1");
        pb.environment().put("MKL_CBWR", "COMPATIBLE");
        pb.environment().put("MKL_DYNAMIC", "FALSE");
        pb.environment().put("OMP_DYNAMIC", "FALSE");
        return pb.start();
    }

    /** A training child on {@code runDir} with the suite's config; its output goes to {@code RUN.log}. */
    static Process child(Path runDir, int limitKb, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", FaultInjectionTest.config.toString(), "--set", "run.output_dir=" + runDir));
        args.addAll(List.of(extra));
        return start(FaultInjectionTest.tmp.resolve(runDir.getFileName() + ".log"), limitKb, args.toArray(String[]::new));
    }

    /** The CLI in a child JVM, to its end. */
    static MainTest.Result cli(String... args) throws Exception {
        Path log = Files.createTempFile(FaultInjectionTest.tmp, "cli", ".log");
        Process p = start(log, 0, args);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child finished: " + String.join(" ", args));
        String said = Files.readString(log);
        return new MainTest.Result(p.exitValue(), said, said);
    }

    static String log(Path runDir) throws IOException {
        return Files.readString(FaultInjectionTest.tmp.resolve(runDir.getFileName() + ".log"));
    }

    static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0; // being rewritten
        }
    }

    /** Temporary files and folders anywhere in the run folder: {@code .NAME.tmp}. */
    static List<Path> temporaries(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(runDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    static boolean writing(Path runDir, String what) {
        Path dir = what.equals("final") ? runDir : runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(what.equals("final") ? ".final" : ".step-")
                    && p.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            return false;
        }
    }


    static List<JsonNode> rows(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(FaultInjectionTest.JSON.readTree(line));
        }
        return out;
    }

    static List<Integer> steps(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("step").asInt()).toList();
    }


    /**
     * None lost, repeated or changed: every sample line of the unbroken run is there, in order, the
     * same to the token id (the text hides which invalid bytes were drawn) and the reward.
     */
    static void assertSameSamples(List<JsonNode> expected, List<JsonNode> actual, String scenario) {
        assertEquals(expected.size(), actual.size(), scenario + ": as many samples, none lost or repeated");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), scenario + ": sample " + i);
        }
    }
}
