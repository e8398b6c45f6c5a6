package io.zero4j.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the project's shared data folder ({@code ../shared} beside the checkout). A test that needs
 * it fails, with the places it looked, rather than skipping.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path file(String relative) {
        List<Path> tried = new ArrayList<>();
        String prop = System.getProperty("zero4j.shared");
        if (prop != null) {
            tried.add(Path.of(prop));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            tried.add(dir.resolve("shared"));
            tried.add(dir.resolveSibling("shared"));
        }
        for (Path root : tried) {
            Path p = root.resolve(relative).normalize();
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError("shared test data '" + relative + "' not found; looked under " + tried
                + " (the project expects ../shared beside the checkout, or -Dzero4j.shared=DIR)");
    }
}
