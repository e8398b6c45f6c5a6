package io.zero4j.model.chat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled template in the subset of Jinja2 that Hugging Face chat templates use, rendered as
 * transformers renders them: {@code trim_blocks} and {@code lstrip_blocks} on, lenient undefined
 * values, the globals {@code raise_exception} and {@code strftime_now}, and {@code tojson} as
 * Python's {@code json.dumps}. Compiling and rendering fail only with {@link TemplateException};
 * a render is bounded in loop iterations, output size and macro depth.
 */
public final class JinjaTemplate {
    private final String source;
    private final List<Node> nodes;

    private JinjaTemplate(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    /** Parses {@code source}; a syntax error, or an unknown filter or test, names its line. */
    public static JinjaTemplate compile(String source) {
        Objects.requireNonNull(source, "source");
        try {
            return new JinjaTemplate(source, TemplateParser.parse(TemplateLexer.tokenize(source)));
        } catch (StackOverflowError e) {
            throw new TemplateException("the template nests too deeply to parse");
        }
    }

    /** Renders with {@code variables} (plain Java values: String, numbers, Boolean, null, List, Map). */
    public String render(Map<String, ?> variables) {
        return render(variables, Clock.systemDefaultZone());
    }

    /** Renders with the given clock for {@code strftime_now}. */
    String render(Map<String, ?> variables, Clock clock) {
        RenderState state = new RenderState(clock);
        Scope globals = new Scope(null);
        Globals.create(state).forEach(globals::set);
        Scope scope = globals.child();
        variables.forEach((name, value) -> scope.set(name, Values.normalize(value)));
        StringBuilder out = new StringBuilder();
        try {
            new TemplateRenderer(state).render(nodes, scope, out);
        } catch (StackOverflowError e) {
            throw new TemplateException("the render nests too deeply");
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw TemplateException.internal(0, e);
        }
        return out.toString();
    }

    /** The template text as given. */
    public String source() {
        return source;
    }
}
