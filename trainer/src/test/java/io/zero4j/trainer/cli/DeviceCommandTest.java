package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.Devices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device a user names, end to end: {@code info --devices} reports the device a config resolves
 * to, and a GPU asked for where PyTorch sees none is one line and exit code 2 before anything is
 * loaded, pretrained or written. On a machine with a GPU the same cases check the other side: the
 * GPU is what is reported.
 */
class DeviceCommandTest {
    @TempDir
    static Path tmp;
    static Path config;
    static int gpus;

    @BeforeAll
    static void setUp() throws Exception {
        Path model = tmp.resolve("toy");
        assertEquals(0, MainTest.run("init", "--out", model.toString(), "--seed", "1").code());
        Path data = tmp.resolve("data.jsonl");
        Files.write(data, List.of("{\"question\":\"1+1\",\"answer\":\"2\"}", "{\"question\":\"2+2\",\"answer\":\"4\"}"));
        config = tmp.resolve("run.json");
        Files.writeString(config, "{\"model\":{\"path\":\"" + model + "\"},\"dataset\":{\"path\":\"" + data + "\",\"eval_size\":1},"
                + "\"sampling\":{\"num_generations\":2,\"max_completion_length\":4},"
                + "\"optim\":{\"prompts_per_step\":1,\"micro_batch_size\":2},"
                + "\"run\":{\"steps\":1,\"device\":\"cpu\",\"output_dir\":\"" + tmp.resolve("unused") + "\"}}");
        gpus = Devices.visibleGpus();
    }

    static JsonNode devices(String... extra) throws Exception {
        String[] args = Stream.concat(Stream.of("info", "--devices", "--json"), Stream.of(extra)).toArray(String[]::new);
        MainTest.Result r = MainTest.run(args);
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void infoReportsTheEngineAndTheDeviceTheConfigAskedFor() throws Exception {
        JsonNode engine = devices();
        assertEquals("PyTorch", engine.get("engine").asText());
        assertEquals(gpus, engine.get("gpus").size());
        assertEquals("cpu", engine.get("device").asText(), "no --device means the CPU");

        JsonNode cpu = devices("--config", config.toString());
        assertEquals("cpu", cpu.get("asked").asText());
        assertEquals("cpu", cpu.get("device").asText());
        assertTrue(cpu.get("asked_in").asText().endsWith("key 'run.device'"), cpu.toString());

        JsonNode auto = devices("--config", config.toString(), "--set", "run.device=auto");
        assertEquals(gpus > 0 ? "gpu:0" : "cpu", auto.get("device").asText());
        if (gpus > 0) {
            assertEquals("gpu:0", devices("--config", config.toString(), "--set", "run.device=gpu").get("device").asText());
        }
        MainTest.Result text = MainTest.run("info", "--devices", "--device", "cpu");
        assertTrue(text.out().contains("device        cpu"), text.out());
    }

    @Test
    void aGpuThatIsNotThereIsOneLineAndExitCode2() throws Exception {
        String missing = "gpu:" + gpus; // one past the last visible device: gpu:0 on a machine without a GPU
        MainTest.Result info = MainTest.run("info", "--devices", "--config", config.toString(), "--set", "run.device=" + missing);
        oneLine(info, config + ": key 'run.device': device '" + missing + "' asked for, but PyTorch sees");

        Path runDir = tmp.resolve("gpu-run");
        MainTest.Result train = MainTest.run("train", config.toString(), "--set", "run.device=" + missing, "--set",
                "run.output_dir=" + runDir);
        oneLine(train, "key 'run.device'");
        try (Stream<Path> left = Files.list(runDir)) {
            assertEquals(List.of(".lock"), left.map(p -> p.getFileName().toString()).toList(),
                    "nothing but the folder's lock is written before the device is found missing");
        }

        oneLine(MainTest.run("generate", "--model", tmp.resolve("toy").toString(), "--prompt", "x", "--device", missing),
                "--device: device '" + missing + "'");
        oneLine(MainTest.run("info", "--devices", "--set", "run.device=" + missing), "info: " + InfoCommand.USAGE); // --set needs --config
        oneLine(MainTest.run("info", "--devices", "--device", "tpu"), "--device: device 'tpu' is not known, expected "
                + Devices.CHOICES);
        oneLine(MainTest.run("train", config.toString(), "--set", "run.device=cuda", "--set", "run.output_dir=" + runDir),
                "key 'run.device': device 'cuda' is not known");
    }

    static void oneLine(MainTest.Result r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }
}
