package io.zero4j.model.chat;

import java.util.List;

/** A statement of the template: text, output, or a block tag with its body. */
sealed interface Node {
    record Text(String text) implements Node {
    }

    /** {@code {{ expr }}}. */
    record Output(Expr expr) implements Node {
    }

    /** Several nodes in a row, such as the body of {@code {% generation %}}. */
    record Sequence(List<Node> body) implements Node {
    }

    record If(List<Expr> conditions, List<List<Node>> bodies, List<Node> otherwise) implements Node {
    }

    /** {@code {% for targets in iterable if filter %}body{% else %}otherwise{% endfor %}}. */
    record For(List<String> targets, Expr iterable, Expr filter, List<Node> body, List<Node> otherwise, int line)
            implements Node {
    }

    /** {@code {% set a = v %}}, {@code {% set a, b = v %}} or {@code {% set ns.attr = v %}} (attribute not null). */
    record Set(List<String> names, String attribute, Expr value, int line) implements Node {
    }

    /** {@code {% set name %}body{% endset %}}. */
    record BlockSet(String name, List<Node> body) implements Node {
    }

    /** {@code {% macro name(params) %}}; a default is null where the parameter has none. */
    record Macro(String name, List<String> params, List<Expr> defaults, List<Node> body, int line) implements Node {
    }

    /** {@code {% filter name(args) %}body{% endfilter %}}. */
    record FilterBlock(String filter, Expr.Arguments args, List<Node> body, int line) implements Node {
    }

    record Break() implements Node {
    }

    record Continue() implements Node {
    }
}
