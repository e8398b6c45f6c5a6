package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the statements of a parsed template, writing text to a builder. */
final class TemplateRenderer {
    /** How a statement list ended: normally, or by a break or continue that the enclosing loop handles. */
    enum Flow { NEXT, BREAK, CONTINUE }

    private final Evaluator evaluator = new Evaluator();
    private final RenderState state;

    TemplateRenderer(RenderState state) {
        this.state = state;
    }

    Flow render(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            Flow flow = render(node, scope, out);
            if (flow != Flow.NEXT) {
                return flow;
            }
        }
        return Flow.NEXT;
    }

    private Flow render(Node node, Scope scope, StringBuilder out) {
        if (node instanceof Node.Text t) {
            write(out, t.text());
        } else if (node instanceof Node.Output o) {
            write(out, Values.str(evaluator.eval(o.expr(), scope)));
        } else if (node instanceof Node.If n) {
            for (int i = 0; i < n.conditions().size(); i++) {
                if (Values.truthy(evaluator.eval(n.conditions().get(i), scope))) {
                    return render(n.bodies().get(i), scope, out);
                }
            }
            return render(n.otherwise(), scope, out);
        } else if (node instanceof Node.For n) {
            return renderFor(n, scope, out);
        } else if (node instanceof Node.Set n) {
            assign(n, evaluator.eval(n.value(), scope), scope);
        } else if (node instanceof Node.BlockSet n) {
            StringBuilder captured = new StringBuilder();
            Flow flow = render(n.body(), scope, captured);
            scope.set(n.name(), captured.toString());
            return flow;
        } else if (node instanceof Node.Macro n) {
            scope.set(n.name(), macro(n, scope));
        } else if (node instanceof Node.FilterBlock n) {
            StringBuilder captured = new StringBuilder();
            Flow flow = render(n.body(), scope, captured);
            Args args = evaluator.arguments(n.filter(), n.args(), scope);
            write(out, Values.str(lined(n.line(), () -> Filters.apply(n.filter(), captured.toString(), args))));
            return flow;
        } else if (node instanceof Node.Sequence n) {
            return render(n.body(), scope, out);
        } else {
            return node instanceof Node.Break ? Flow.BREAK : Flow.CONTINUE;
        }
        return Flow.NEXT;
    }

    private Flow renderFor(Node.For n, Scope scope, StringBuilder out) {
        List<?> items = lined(n.line(), () -> Values.iterate(evaluator.eval(n.iterable(), scope)));
        if (n.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                state.countIteration(n.line());
                Scope s = scope.child();
                bind(n.targets(), item, s, n.line());
                if (Values.truthy(evaluator.eval(n.filter(), s))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            return render(n.otherwise(), scope, out);
        }
        for (int i = 0; i < items.size(); i++) {
            state.countIteration(n.line());
            Scope s = scope.child();
            bind(n.targets(), items.get(i), s, n.line());
            s.set("loop", loop(items, i));
            if (render(n.body(), s, out) == Flow.BREAK) {
                break;
            }
        }
        return Flow.NEXT;
    }

    private static Map<Object, Object> loop(List<?> items, int i) {
        int n = items.size();
        Map<Object, Object> loop = new LinkedHashMap<>();
        loop.put("index", i + 1L);
        loop.put("index0", (long) i);
        loop.put("revindex", (long) (n - i));
        loop.put("revindex0", (long) (n - i - 1));
        loop.put("first", i == 0);
        loop.put("last", i == n - 1);
        loop.put("length", (long) n);
        loop.put("depth", 1L);
        loop.put("depth0", 0L);
        loop.put("previtem", i > 0 ? items.get(i - 1) : Undefined.INSTANCE);
        loop.put("nextitem", i < n - 1 ? items.get(i + 1) : Undefined.INSTANCE);
        loop.put("cycle", (TemplateFunction) (args, kw) -> {
            if (args.isEmpty()) {
                throw new TemplateException("loop.cycle() needs at least one value");
            }
            return args.get(i % args.size());
        });
        return loop;
    }

    private void assign(Node.Set n, Object value, Scope scope) {
        if (n.attribute() != null) {
            Object target = scope.lookup(n.names().get(0));
            if (!(target instanceof Namespace ns)) {
                throw TemplateException.at(n.line(), "cannot set '" + n.attribute() + "' on '" + n.names().get(0)
                        + "', which is a " + Values.typeName(target) + ", not a namespace");
            }
            ns.attributes.put(n.attribute(), value);
        } else {
            bind(n.names(), value, scope, n.line());
        }
    }

    private static void bind(List<String> names, Object value, Scope scope, int line) {
        if (names.size() == 1) {
            scope.set(names.get(0), value);
            return;
        }
        List<?> parts = lined(line, () -> Values.iterate(value));
        if (parts.size() != names.size()) {
            throw TemplateException.at(line, "cannot unpack " + parts.size() + " values into " + names.size()
                    + " variables");
        }
        for (int i = 0; i < names.size(); i++) {
            scope.set(names.get(i), parts.get(i));
        }
    }

    private TemplateFunction macro(Node.Macro m, Scope defining) {
        return (positional, keyword) -> {
            if (positional.size() > m.params().size()) {
                throw new TemplateException("macro '" + m.name() + "' takes " + m.params().size()
                        + " arguments but got " + positional.size());
            }
            for (String k : keyword.keySet()) {
                if (!m.params().contains(k)) {
                    throw new TemplateException("macro '" + m.name() + "' has no parameter '" + k + "'");
                }
            }
            Scope s = defining.child();
            for (int i = 0; i < m.params().size(); i++) {
                String p = m.params().get(i);
                Expr fallback = m.defaults().get(i);
                s.set(p, i < positional.size() ? positional.get(i) : keyword.containsKey(p) ? keyword.get(p)
                        : fallback != null ? evaluator.eval(fallback, s) : Undefined.INSTANCE);
            }
            state.enterCall(m.name());
            try {
                StringBuilder out = new StringBuilder();
                render(m.body(), s, out);
                return out.toString();
            } finally {
                state.exitCall();
            }
        };
    }

    private static void write(StringBuilder out, String text) {
        if (out.length() + text.length() > Operators.MAX_LENGTH) {
            throw new TemplateException("the output would be longer than " + Operators.MAX_LENGTH + " characters");
        }
        out.append(text);
    }

    /** Runs {@code body}, attaching {@code line} to a failure that names none. */
    private static <T> T lined(int line, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (TemplateException e) {
            throw e.withLine(line);
        }
    }
}
