package io.zero4j.model.chat;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An immutable Python tuple: a list that prints as {@code (a, b)} and never equals a list. */
final class Tuple extends AbstractList<Object> {
    private final List<Object> items;

    Tuple(List<?> items) {
        this.items = new ArrayList<>(items);
    }

    static Tuple of(Object... items) {
        return new Tuple(Arrays.asList(items));
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
