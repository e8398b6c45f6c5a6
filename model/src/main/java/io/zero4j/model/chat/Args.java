package io.zero4j.model.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluated arguments of a filter, test, method or global, looked up by position or keyword. */
final class Args {
    static final Args NONE = new Args("", List.of(), Map.of());

    private final String callee;
    private final List<Object> positional;
    private final Map<String, Object> keyword;

    Args(String callee, List<Object> positional, Map<String, Object> keyword) {
        this.callee = callee;
        this.positional = positional;
        this.keyword = keyword;
    }

    Args named(String name) {
        return new Args(name, positional, keyword);
    }

    int size() {
        return positional.size();
    }

    List<Object> positional() {
        return positional;
    }

    Map<String, Object> keyword() {
        return keyword;
    }

    /** Fails unless there are at most {@code maxPositional} positional arguments and only the given keywords. */
    Args accept(int maxPositional, String... keywords) {
        if (positional.size() > maxPositional) {
            throw new TemplateException(callee + "() takes at most " + maxPositional + " positional argument"
                    + (maxPositional == 1 ? "" : "s") + " but got " + positional.size());
        }
        Set<String> allowed = Set.of(keywords);
        for (String k : keyword.keySet()) {
            if (!allowed.contains(k)) {
                throw new TemplateException(callee + "() got an unexpected keyword argument '" + k + "'");
            }
        }
        return this;
    }

    boolean has(int index, String name) {
        return index < positional.size() || keyword.containsKey(name);
    }

    Object get(int index, String name, Object fallback) {
        if (index < positional.size()) {
            return positional.get(index);
        }
        return keyword.containsKey(name) ? keyword.get(name) : fallback;
    }

    Object required(int index, String name) {
        if (!has(index, name)) {
            throw new TemplateException(callee + "() is missing its argument '" + name + "'");
        }
        return get(index, name, null);
    }

    /** A string argument; None (or absent with a null fallback) gives null. */
    String string(int index, String name, String fallback) {
        Object v = get(index, name, fallback);
        return v == null ? null : Values.str(v);
    }

    long integer(int index, String name, long fallback) {
        Object v = get(index, name, fallback);
        if (!Values.isIntegral(v)) {
            throw new TemplateException(callee + "() argument '" + name + "' must be an integer, not "
                    + Values.typeName(v));
        }
        return Values.toLong(v);
    }

    boolean bool(int index, String name, boolean fallback) {
        return Values.truthy(get(index, name, fallback));
    }

    String callee() {
        return callee;
    }
}
