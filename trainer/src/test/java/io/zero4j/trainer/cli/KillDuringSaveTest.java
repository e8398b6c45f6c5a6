package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelLoader;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.loop.GrpoTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL while it writes a checkpoint leaves the previous
 * checkpoint whole and loadable, and a resumed run carries on from it.
 */
class KillDuringSaveTest {
    @TempDir
    Path tmp;

    @Test
    void sigkillWhileSavingLeavesThePreviousCheckpointWhole() throws Exception {
        Path model = tmp.resolve("toy");
        assertEquals(0, MainTest.run("init", "--out", model.toString()).code());
        Path data = tmp.resolve("data.jsonl");
        Files.write(data, List.of("{\"question\":\"1+1\",\"answer\":\"2\"}", "{\"question\":\"2+2\",\"answer\":\"4\"}"));
        Path config = tmp.resolve("run.json");
        Path run = tmp.resolve("run");
        Files.writeString(config, "{\"model\":{\"path\":\"" + model + "\"},\"dataset\":{\"path\":\"" + data + "\",\"eval_size\":0},"
                + "\"sampling\":{\"num_generations\":2,\"max_prompt_length\":400,\"max_completion_length\":4},"
                + "\"optim\":{\"prompts_per_step\":1,\"micro_batch_size\":2},"
                + "\"run\":{\"steps\":1000,\"save_every\":1,\"log_samples_every\":0,\"output_dir\":\"" + run + "\"}}");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "io.zero4j.trainer.cli.Main", "train", config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path checkpoints = run.resolve("checkpoints");
        boolean killedDuringSave = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Checkpoints.latest(run).isPresent() && hasTemporary(checkpoints)) {
                child.destroyForcibly(); // SIGKILL, mid-save
                killedDuringSave = true;
                break;
            }
            Thread.sleep(1);
        }
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(killedDuringSave, "the child never reached a save: " + Files.readString(tmp.resolve("child.log")));
        Optional<Path> latest = Checkpoints.latest(run);
        assertTrue(latest.isPresent());
        GrpoTrainer.State state = Checkpoints.readState(latest.get()).state();
        assertTrue(state.step() >= 1);
        try (CausalLM loaded = ModelLoader.load(latest.get(), Device.cpu(), DataType.FLOAT32)) {
            assertTrue(loaded.parameters().size() > 0);
        }
        MainTest.Result resumed = MainTest.run("train", "--resume", run.toString(),
                "--set", "run.steps=" + (state.step() + 1));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(Files.exists(Checkpoints.dirFor(run, state.step() + 1)));
    }

    private static boolean hasTemporary(Path checkpoints) throws Exception {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }
}
