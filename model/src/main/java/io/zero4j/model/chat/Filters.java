package io.zero4j.model.chat;

import java.util.HashMap;
import java.util.Map;

/** The filters a template may apply with {@code value | name(args)}, looked up by name. */
final class Filters {
    /** One filter: the value left of the pipe and the arguments in parentheses. */
    @FunctionalInterface
    interface Filter {
        Object apply(Object value, Args args);
    }

    private static final Map<String, Filter> FILTERS = new HashMap<>();

    static {
        TextFilters.register(FILTERS);
        CollectionFilters.register(FILTERS);
    }

    private Filters() {
    }

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    static Object apply(String name, Object value, Args args) {
        Filter filter = FILTERS.get(name);
        if (filter == null) {
            throw new TemplateException("unknown filter '" + name + "'");
        }
        return filter.apply(value, args.named(name));
    }
}
