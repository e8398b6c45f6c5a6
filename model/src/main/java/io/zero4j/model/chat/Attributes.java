package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code x.name}, {@code x[key]} and {@code x[a:b:c]} with Jinja2's lookup rules and Python's slices. */
final class Attributes {
    private Attributes() {
    }

    /** {@code target.name}: a method first (as Python's getattr finds it), then a mapping key. */
    static Object get(Object target, String name) {
        if (target instanceof Map<?, ?> m) {
            if (Methods.isDictMethod(name)) {
                return Methods.bind(m, name);
            }
            return m.containsKey(name) ? m.get(name) : Undefined.INSTANCE;
        }
        if (target instanceof Namespace ns) {
            return ns.attributes.containsKey(name) ? ns.attributes.get(name) : Undefined.INSTANCE;
        }
        if (target instanceof String s && Methods.isStringMethod(name)) {
            return Methods.bind(s, name);
        }
        return Undefined.INSTANCE;
    }

    /** {@code target[key]}: a key or index first, then an attribute; anything missing is undefined. */
    static Object item(Object target, Object key) {
        if (target instanceof Map<?, ?> m) {
            if (m.containsKey(key)) {
                return m.get(key);
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (Values.equal(e.getKey(), key)) {
                    return e.getValue();
                }
            }
            return key instanceof String name ? get(target, name) : Undefined.INSTANCE;
        }
        if ((target instanceof List || target instanceof String) && Values.isIntegral(key)) {
            List<?> items = target instanceof String s ? Values.iterate(s) : (List<?>) target;
            long i = Values.toLong(key);
            i = i < 0 ? i + items.size() : i;
            return i >= 0 && i < items.size() ? items.get((int) i) : Undefined.INSTANCE;
        }
        return key instanceof String name ? get(target, name) : Undefined.INSTANCE;
    }

    /** Python's {@code target[start:stop:step]} on a string, list or tuple. */
    static Object slice(Object target, Object start, Object stop, Object step) {
        if (target instanceof Undefined) {
            return Undefined.INSTANCE;
        }
        if (!(target instanceof List || target instanceof String)) {
            throw new TemplateException("'" + Values.typeName(target) + "' object is not subscriptable");
        }
        List<?> items = Values.iterate(target);
        int n = items.size();
        long by = bound(step, 1);
        if (by == 0) {
            throw new TemplateException("slice step cannot be zero");
        }
        long from = start == null ? (by < 0 ? n - 1 : 0) : clamp(bound(start, 0), n, by);
        long to = stop == null ? (by < 0 ? -1 : n) : clamp(bound(stop, 0), n, by);
        List<Object> picked = new ArrayList<>();
        for (long i = from; by > 0 ? i < to : i > to; i += by) {
            picked.add(items.get((int) i));
        }
        if (target instanceof String) {
            return String.join("", picked.stream().map(String.class::cast).toList());
        }
        return target instanceof Tuple ? new Tuple(picked) : picked;
    }

    private static long bound(Object v, long fallback) {
        if (v == null) {
            return fallback;
        }
        if (!Values.isIntegral(v)) {
            throw new TemplateException("slice indices must be integers or none, not " + Values.typeName(v));
        }
        return Values.toLong(v);
    }

    private static long clamp(long index, int n, long step) {
        if (index < 0) {
            index += n;
            return index < 0 ? (step < 0 ? -1 : 0) : index;
        }
        return index >= n ? (step < 0 ? n - 1 : n) : index;
    }
}
