package io.zero4j.model.chat;

import java.util.List;
import java.util.Map;

/** Something a template can call: a global such as {@code range}, a bound method, or a macro. */
@FunctionalInterface
interface TemplateFunction {
    Object call(List<Object> positional, Map<String, Object> keyword);
}
