package io.zero4j.model.chat;

/**
 * A chat template that cannot be compiled or rendered: a syntax error, an unknown filter or test, a
 * type error while rendering, an exhausted render budget, or a call of the template's own
 * {@code raise_exception(msg)}. The message names the template line when one is known
 * ({@code "line 3: expected 'endif' ..."}); {@link #reason()} is the message without it.
 */
public final class TemplateException extends RuntimeException {
    private final int line;
    private final String reason;
    private final boolean raisedByTemplate;

    private TemplateException(int line, String reason, boolean raisedByTemplate, Throwable cause) {
        super(line > 0 ? "line " + line + ": " + reason : reason, cause);
        this.line = line;
        this.reason = reason;
        this.raisedByTemplate = raisedByTemplate;
    }

    /** A failure whose line is attached later, by the node being evaluated when it is thrown. */
    TemplateException(String reason) {
        this(0, reason, false, null);
    }

    static TemplateException at(int line, String reason) {
        return new TemplateException(line, reason, false, null);
    }

    static TemplateException raised(String message) {
        return new TemplateException(0, message, true, null);
    }

    static TemplateException internal(int line, RuntimeException cause) {
        return new TemplateException(line, "internal error: " + cause, false, cause);
    }

    /** This exception with {@code line} attached, unless it already names one. */
    TemplateException withLine(int line) {
        return this.line > 0 || line <= 0 ? this : new TemplateException(line, reason, raisedByTemplate, this);
    }

    /** The template line (1-based), or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The message without the line prefix; for {@code raise_exception} it is the template's own text. */
    public String reason() {
        return reason;
    }

    /** Whether the template itself called {@code raise_exception} (for example on roles that do not alternate). */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}
