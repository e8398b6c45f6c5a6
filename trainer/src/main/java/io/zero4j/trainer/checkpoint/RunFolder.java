package io.zero4j.trainer.checkpoint;

import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A run folder held by one training process: an OS lock on {@code RUN/.lock} (released when the
 * process ends, however it ends) keeps a second process out, and the lock file names the holder's
 * pid. A fresh run wants an empty folder, or {@code --overwrite} to clear it; a resumed run wants the
 * folder a run left.
 */
public final class RunFolder implements AutoCloseable {
    public static final String LOCK = ".lock";
    public static final String CONFIG = "config.json";
    /** Lock files this JVM holds. */
    private static final Set<Path> HELD = new HashSet<>();
    private final Path dir;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private RunFolder(Path dir, Path lockFile, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder for a fresh run: creates it, locks it, and refuses one that holds anything
     * but the lock file, unless {@code overwrite}, which deletes what is there. {@code command} is the
     * one whose {@code --resume} would continue what is there (null: none does).
     */
    public static RunFolder fresh(Path dir, boolean overwrite, String command) {
        RunFolder folder = lock(dir);
        try {
            List<Path> contents = folder.contents();
            if (!contents.isEmpty() && !overwrite) {
                throw new UserInputException(dir + ": the run folder is not empty (" + contents.get(0).getFileName()
                        + (contents.size() > 1 ? " and " + (contents.size() - 1) + " more" : "") + "); "
                        + (command == null ? "use another run.output_dir" : "continue its run with ./zero4j " + command
                        + " --resume " + dir) + ", or start over with --overwrite");
            }
            for (Path p : contents) {
                AtomicFolder.deleteTree(p);
            }
            return folder;
        } catch (IOException e) {
            folder.close();
            throw new UserInputException(dir + ": cannot clear the run folder: " + e.getMessage());
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /**
     * Takes the folder of an earlier run of {@code command} to continue it: it must exist and hold
     * the run's config.
     */
    public static RunFolder existing(Path dir, String command) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("--resume " + dir + ": no such run folder");
        }
        RunFolder folder = lock(dir);
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            folder.close();
            throw new UserInputException("--resume " + dir + ": no " + CONFIG + " (the run stopped before it began);"
                    + " start it again with ./zero4j " + command + " CONFIG --overwrite");
        }
        return folder;
    }

    private static RunFolder lock(Path dir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            Path lockFile = dir.resolve(LOCK).toAbsolutePath().normalize();
            synchronized (HELD) {
                if (HELD.contains(lockFile)) { // never open a second descriptor: closing it would drop our POSIX lock
                    throw new UserInputException(dir + ": in use by another training run in this process");
                }
            }
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new UserInputException(dir + ": in use by another training process" + holder
                        + "; wait for it to end, or use another run.output_dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            synchronized (HELD) {
                HELD.add(lockFile);
            }
            return new RunFolder(dir, lockFile, channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
            throw new UserInputException(dir + ": cannot use as a run folder: " + e.getMessage());
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        channel.read(b, 0);
        String pid = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
    }

    /** Everything in the folder but the lock file. */
    private List<Path> contents() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals(LOCK)).sorted().toList();
        }
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        } finally {
            synchronized (HELD) {
                HELD.remove(lockFile);
            }
        }
    }
}
