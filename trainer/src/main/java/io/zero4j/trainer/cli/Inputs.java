package io.zero4j.trainer.cli;

import io.zero4j.model.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of option values that picocli's types cannot express, each failing as one line naming the option. */
final class Inputs {
    private Inputs() {
    }

    static Path existingFolder(String command, String option, Path p) {
        if (!Files.isDirectory(p)) {
            throw new UserInputException(command + ": " + option + " " + p + ": no such folder");
        }
        return p;
    }

    static int atLeast(String command, String option, int value, int min) {
        if (value < min) {
            throw new UserInputException(command + ": " + option + " " + value + ": expected an integer >= " + min);
        }
        return value;
    }

    static double atLeast(String command, String option, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new UserInputException(command + ": " + option + " " + value + ": expected a number >= " + min);
        }
        return value;
    }
}
