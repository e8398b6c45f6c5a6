package io.zero4j.model.chat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions every template sees: range, namespace, dict, and the two Hugging Face adds,
 * raise_exception(message) and strftime_now(format).
 */
final class Globals {
    /** The longest range(), as in Jinja2's sandbox. */
    static final long MAX_RANGE = 100_000;

    private Globals() {
    }

    static Map<String, Object> create(RenderState state) {
        Map<String, Object> globals = new HashMap<>();
        globals.put("range", function("range", Globals::range));
        globals.put("namespace", function("namespace", a -> {
            Namespace ns = new Namespace();
            mapping(a).forEach((k, v) -> ns.attributes.put(Values.str(k), v));
            return ns;
        }));
        globals.put("dict", function("dict", Globals::mapping));
        globals.put("raise_exception", function("raise_exception", a -> {
            throw TemplateException.raised(Values.str(a.accept(1).required(0, "message")));
        }));
        globals.put("strftime_now", function("strftime_now", a -> Strftime.format(
                Values.str(a.accept(1).required(0, "format")), LocalDateTime.now(state.clock))));
        return globals;
    }

    private static TemplateFunction function(String name, java.util.function.Function<Args, Object> body) {
        return (positional, keyword) -> body.apply(new Args(name, positional, keyword));
    }

    private static Object range(Args a) {
        a.accept(3);
        if (a.size() == 0) {
            throw new TemplateException("range() needs at least one argument");
        }
        long start = a.size() == 1 ? 0 : a.integer(0, "start", 0);
        long stop = a.size() == 1 ? a.integer(0, "stop", 0) : a.integer(1, "stop", 0);
        long step = a.integer(2, "step", 1);
        if (step == 0) {
            throw new TemplateException("range() step must not be zero");
        }
        long count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (count > MAX_RANGE) {
            throw new TemplateException("range() of " + count + " items is longer than the limit of " + MAX_RANGE);
        }
        List<Object> items = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            items.add(start + i * step);
        }
        return items;
    }

    /** A dict from an optional mapping (or list of pairs) and keyword arguments, as Python's dict() builds it. */
    private static Map<Object, Object> mapping(Args a) {
        a.accept(1, a.keyword().keySet().toArray(String[]::new));
        Map<Object, Object> map = new LinkedHashMap<>();
        if (a.size() == 1) {
            Object source = a.positional().get(0);
            if (source instanceof Map<?, ?> m) {
                map.putAll(m);
            } else {
                for (Object pair : Values.iterate(source)) {
                    List<?> kv = Values.iterate(pair);
                    if (kv.size() != 2) {
                        throw new TemplateException(a.callee() + "() needs pairs, got an item of length " + kv.size());
                    }
                    map.put(kv.get(0), kv.get(1));
                }
            }
        }
        map.putAll(a.keyword());
        return map;
    }
}
