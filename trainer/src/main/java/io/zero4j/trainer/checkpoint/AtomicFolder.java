package io.zero4j.trainer.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder written whole or not at all: it is filled under a hidden temporary sibling
 * ({@code .NAME.tmp}) and renamed into place, replacing any older version, so a kill mid-write never
 * leaves a half-written folder under the real name. A temporary left by a killed writer is cleared
 * by the next {@link #prepare}. One writer per folder at a time.
 */
public final class AtomicFolder {
    private AtomicFolder() {
    }

    /** The hidden sibling {@code target} is written under. */
    public static Path temporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    /** A fresh, empty temporary folder for {@code target} (a stale one from a killed writer is deleted). */
    public static Path prepare(Path target) throws IOException {
        Path tmp = temporaryFor(target);
        deleteTree(tmp);
        Files.createDirectories(tmp);
        return tmp;
    }

    /** Renames the filled temporary onto {@code target}, replacing what was there. */
    public static void publish(Path tmp, Path target) throws IOException {
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a temporary folder after a failed write; what cannot be deleted now the next {@link #prepare} clears. */
    public static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // cleared by the next prepare
        }
    }

    /** The operating system's reason for a failed write ("No space left on device"). */
    public static String reason(Exception e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return String.valueOf(cause.getMessage());
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
