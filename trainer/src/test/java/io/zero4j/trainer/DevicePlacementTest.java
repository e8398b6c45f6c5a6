package io.zero4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.model.testing.RepoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where tensors may be placed, checked over every module's main sources. This machine has no GPU,
 * so a tensor put on the CPU by mistake computes correctly here and fails (or crawls) only on a
 * GPU; this test is what catches it before a GPU user does. The rules:
 * <ul>
 *   <li>a device is named only in {@code Devices} (which turns what the user wrote into one) and in
 *       the device report, which lists the GPUs; everything else takes the device it was given or the
 *       one of a model's manager;</li>
 *   <li>a root manager ({@code NDManager.newBaseManager}) is made only where weights are made or
 *       loaded, always with a device argument: without one, DJL picks the engine's default device,
 *       which is GPU 0 whatever the config says;</li>
 *   <li>nothing moves tensors between devices ({@code toDevice}) or asks the engine for its default.</li>
 * </ul>
 */
class DevicePlacementTest {
    /** File name -> why it may do what the rules otherwise forbid. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "Device.cpu(", Set.of("Devices.java"),
            "Device.gpu(", Set.of("Devices.java", "DeviceReport.java"),
            "NDManager.newBaseManager(", Set.of("RandomInit.java", "ModelLoader.java", "LoraAdapters.java",
                    "PeftAdapterFolder.java", "GrpoLoss.java",
                    "EngineBoundsBenchmark.java"),
            "NDManager.newBaseManager()", Set.of(),
            ".toDevice(", Set.of(),
            ".defaultDevice()", Set.of());

    @Test
    void tensorsLiveOnTheDeviceTheyWereGiven() throws IOException {
        Path root = RepoData.file("README.md").getParent().getParent();
        List<Path> sources = new ArrayList<>();
        for (String module : List.of("model", "rollout", "rewards", "trainer", "benchmarks")) {
            try (Stream<Path> s = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertTrue(sources.size() > 50, "found the sources: " + sources.size());
        List<String> violations = new ArrayList<>();
        for (Path file : sources) {
            String code = withoutComments(Files.readString(file));
            for (Map.Entry<String, Set<String>> rule : ALLOWED.entrySet()) {
                if (code.contains(rule.getKey()) && !rule.getValue().contains(file.getFileName().toString())) {
                    violations.add(root.relativize(file) + " uses " + rule.getKey());
                }
            }
        }
        assertEquals(List.of(), violations, "tensors must be placed on the device a config or a model gave");
    }

    @Test
    void theCheckSeesWhatItForbids() {
        String code = withoutComments("class A { /* Device.cpu() */ // NDManager.newBaseManager()\n"
                + " NDManager m = NDManager.newBaseManager(); }");
        assertTrue(code.contains("NDManager.newBaseManager()"));
        assertTrue(!code.contains("Device.cpu("), "comments are not code");
    }

    /** The source with comments blanked, so documentation may name what code must not do. */
    static String withoutComments(String source) {
        Matcher m = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL).matcher(source);
        return m.replaceAll("");
    }
}
