package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Filters on sequences and mappings: length, first, join, map, selectattr, sort, dictsort, unique, sum... */
final class CollectionFilters {
    private CollectionFilters() {
    }

    static void register(Map<String, Filters.Filter> filters) {
        filters.put("length", (v, a) -> (long) Values.length(none(v, a)));
        filters.put("count", filters.get("length"));
        filters.put("list", (v, a) -> new ArrayList<>(Values.iterate(none(v, a))));
        filters.put("first", (v, a) -> {
            List<?> items = Values.iterate(none(v, a));
            return items.isEmpty() ? Undefined.INSTANCE : items.get(0);
        });
        filters.put("last", (v, a) -> {
            List<?> items = Values.iterate(none(v, a));
            return items.isEmpty() ? Undefined.INSTANCE : items.get(items.size() - 1);
        });
        filters.put("reverse", (v, a) -> {
            List<Object> reversed = Operators.reversed(Values.iterate(none(v, a)));
            return v instanceof String ? String.join("", reversed.stream().map(String.class::cast).toList()) : reversed;
        });
        filters.put("join", (v, a) -> {
            a.accept(2, "d", "attribute");
            Function<Object, Object> key = attribute(a.get(1, "attribute", null));
            return Values.iterate(v).stream().map(x -> Values.str(key.apply(x)))
                    .collect(Collectors.joining(a.string(0, "d", "")));
        });
        filters.put("items", (v, a) -> {
            if (v instanceof Undefined) {
                return List.of();
            }
            if (!(none(v, a) instanceof Map<?, ?> m)) {
                throw new TemplateException("items() needs a mapping, not " + Values.typeName(v));
            }
            return m.entrySet().stream().map(e -> (Object) Tuple.of(e.getKey(), e.getValue())).toList();
        });
        filters.put("dictsort", CollectionFilters::dictsort);
        filters.put("select", (v, a) -> select(v, a, 0, true));
        filters.put("reject", (v, a) -> select(v, a, 0, false));
        filters.put("selectattr", (v, a) -> select(v, a, 1, true));
        filters.put("rejectattr", (v, a) -> select(v, a, 1, false));
        filters.put("map", CollectionFilters::map);
        filters.put("sort", (v, a) -> {
            a.accept(3, "reverse", "case_sensitive", "attribute");
            Comparator<Object> order = order(a.get(2, "attribute", null), a.bool(1, "case_sensitive", false));
            List<Object> sorted = new ArrayList<>(Values.iterate(v));
            sorted.sort(a.bool(0, "reverse", false) ? order.reversed() : order);
            return sorted;
        });
        filters.put("unique", (v, a) -> {
            a.accept(2, "case_sensitive", "attribute");
            Function<Object, Object> key = sortKey(a.get(1, "attribute", null), a.bool(0, "case_sensitive", false));
            List<Object> seen = new ArrayList<>();
            List<Object> unique = new ArrayList<>();
            for (Object item : Values.iterate(v)) {
                Object k = key.apply(item);
                if (seen.stream().noneMatch(s -> Values.equal(s, k))) {
                    seen.add(k);
                    unique.add(item);
                }
            }
            return unique;
        });
        filters.put("min", (v, a) -> extreme(v, a, false));
        filters.put("max", (v, a) -> extreme(v, a, true));
        filters.put("sum", (v, a) -> {
            a.accept(2, "attribute", "start");
            Function<Object, Object> key = attribute(a.get(0, "attribute", null));
            Object total = a.get(1, "start", 0L);
            for (Object item : Values.iterate(v)) {
                total = Operators.binary("+", total, key.apply(item));
            }
            return total;
        });
    }

    private static Object none(Object v, Args a) {
        a.accept(0);
        return v;
    }

    /** {@code attribute='a.b.0'} as Jinja2's attribute getter; null gives the item itself. */
    static Function<Object, Object> attribute(Object path) {
        if (path == null) {
            return x -> x;
        }
        String[] parts = Values.str(path).split("\\.");
        return x -> {
            Object value = x;
            for (String p : parts) {
                value = Attributes.item(value, p.matches("\\d+") ? (Object) Long.parseLong(p) : p);
            }
            return value;
        };
    }

    private static Function<Object, Object> sortKey(Object path, boolean caseSensitive) {
        Function<Object, Object> get = attribute(path);
        return x -> {
            Object v = get.apply(x);
            return !caseSensitive && v instanceof String s ? Strings.lower(s) : v;
        };
    }

    private static Comparator<Object> order(Object path, boolean caseSensitive) {
        Function<Object, Object> key = sortKey(path, caseSensitive);
        return (x, y) -> Values.compare(key.apply(x), key.apply(y), "<");
    }

    private static Object dictsort(Object v, Args a) {
        a.accept(3, "case_sensitive", "by", "reverse");
        if (!(v instanceof Map<?, ?> m)) {
            throw new TemplateException("dictsort() needs a mapping, not " + Values.typeName(v));
        }
        String by = a.string(1, "by", "key");
        if (!by.equals("key") && !by.equals("value")) {
            throw new TemplateException("dictsort() can sort by 'key' or 'value', not '" + by + "'");
        }
        Comparator<Object> order = order(by.equals("key") ? 0L : 1L, a.bool(0, "case_sensitive", false));
        List<Object> items = new ArrayList<>(m.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList());
        items.sort(a.bool(2, "reverse", false) ? order.reversed() : order);
        return items;
    }

    /** select/reject ({@code attributeArgs} 0) and selectattr/rejectattr (1): a test name, then its arguments. */
    private static Object select(Object v, Args a, int attributeArgs, boolean keep) {
        Function<Object, Object> key = attributeArgs == 0 ? x -> x : attribute(a.required(0, "attribute"));
        List<Object> rest = a.positional().subList(Math.min(attributeArgs, a.size()), a.size());
        Predicate<Object> test;
        if (rest.isEmpty()) {
            test = Values::truthy;
        } else {
            String name = Values.str(rest.get(0));
            Args testArgs = new Args(name, rest.subList(1, rest.size()), a.keyword());
            test = x -> Tests.apply(name, x, testArgs);
        }
        return Values.iterate(v).stream().filter(x -> test.test(key.apply(x)) == keep).toList();
    }

    private static Object map(Object v, Args a) {
        List<?> items = Values.iterate(v);
        if (a.size() == 0) {
            Function<Object, Object> key = attribute(a.accept(0, "attribute", "default").required(0, "attribute"));
            Object fallback = a.get(1, "default", Undefined.INSTANCE);
            return items.stream().map(x -> {
                Object value = key.apply(x);
                return value instanceof Undefined ? fallback : value;
            }).toList();
        }
        String filter = Values.str(a.positional().get(0));
        Args filterArgs = new Args(filter, a.positional().subList(1, a.size()), a.keyword());
        return items.stream().map(x -> Filters.apply(filter, x, filterArgs)).toList();
    }

    private static Object extreme(Object v, Args a, boolean max) {
        a.accept(2, "case_sensitive", "attribute");
        Comparator<Object> order = order(a.get(1, "attribute", null), a.bool(0, "case_sensitive", false));
        Object best = Undefined.INSTANCE;
        for (Object item : Values.iterate(v)) {
            int c = best instanceof Undefined ? 0 : order.compare(item, best);
            if (best instanceof Undefined || (max ? c > 0 : c < 0)) {
                best = item;
            }
        }
        return best;
    }
}
