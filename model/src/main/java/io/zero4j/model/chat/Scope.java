package io.zero4j.model.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render. Each loop iteration and macro call gets a child
 * scope, so a {@code set} inside them is gone afterwards (the reason templates use namespace).
 */
final class Scope {
    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.variables.containsKey(name)) {
                return s.variables.get(name);
            }
        }
        return Undefined.INSTANCE;
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }

    Scope child() {
        return new Scope(this);
    }
}
