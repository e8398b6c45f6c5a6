package io.zero4j.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files shipped in the repository's {@code data/} folder (datasets and a real tokenizer, with their
 * licenses in {@code data/README.md}). Tests run with a module folder as their working directory,
 * so the repository root is found by walking up to the folder holding {@code data/README.md}. A
 * test that needs a file and does not find it fails, naming where it looked.
 */
public final class RepoData {
    private RepoData() {
    }

    public static Path file(String relative) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("data/README.md"))) {
                Path p = dir.resolve("data").resolve(relative);
                if (!Files.exists(p)) {
                    throw new AssertionError(p + " is missing from the repository's data folder");
                }
                return p;
            }
        }
        throw new AssertionError("no data/README.md in " + start + " or any folder above it");
    }
}
