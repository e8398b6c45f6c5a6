package io.zero4j.model.chat;

/**
 * The value of a missing variable, key or attribute: falsy, printed as nothing, iterable as an
 * empty sequence, {@code is defined} false. Attributes and items of it are undefined too (lenient,
 * where Jinja2 would raise), but arithmetic and comparisons on it fail.
 */
final class Undefined {
    static final Undefined INSTANCE = new Undefined();

    private Undefined() {
    }

    @Override
    public String toString() {
        return "";
    }
}
