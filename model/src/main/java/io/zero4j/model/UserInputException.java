package io.zero4j.model;

/**
 * A mistake in what the user gave us (a config field, a missing or corrupt file, an unknown
 * architecture). Its message is one line naming the file and the field; the CLI prints it and
 * exits with code 2, never a stack trace.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
