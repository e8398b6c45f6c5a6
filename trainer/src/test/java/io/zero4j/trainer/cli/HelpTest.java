package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command answers {@code --help} with its usage on standard output; no command, or a bad option, is one line and exit 2. */
class HelpTest {
    static final List<String> COMMANDS = List.of("init", "train", "pretrain", "eval", "export", "info", "generate",
            "gpu-check", "score");

    @Test
    void everyCommandHasHelp() {
        for (String command : COMMANDS) {
            MainTest.Result r = MainTest.run(command, "--help");
            assertEquals(0, r.code(), command + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: zero4j " + command), command + ": " + r.out());
            assertTrue(r.out().contains("--help"), command + " lists its options: " + r.out());
        }
        MainTest.Result all = MainTest.run("help");
        assertEquals(0, all.code());
        for (String command : COMMANDS) {
            assertTrue(all.out().contains(command), "help lists " + command + ": " + all.out());
        }
        assertTrue(MainTest.run("help", "train").out().contains("--resume"), "help COMMAND is that command's help");
    }

    @Test
    void noCommandOrABadOptionIsExitCode2() {
        MainTest.Result none = MainTest.run();
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("Usage: zero4j"), none.err());
        for (String[] bad : new String[][] {{"train", "--frobnicate"}, {"eval", "--model"}, {"generate", "--model", "x",
            "--prompt", "p", "--max-new-tokens", "many"}, {"launch"}}) {
            MainTest.Result r = MainTest.run(bad);
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("zero4j: ") && r.err().contains("--help"), r.err());
        }
    }
}
