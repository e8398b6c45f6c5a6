package io.zero4j.model.chat;

import static io.zero4j.model.chat.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Literals, operators, subscripts and slices, with Python's results and printing. */
class ExpressionTest {
    @Test
    void literalsPrintAsPythonPrintsThem() {
        assertEquals("True False None", render("{{ true }} {{ False }} {{ none }}"));
        assertEquals("1 2.5 1.0 100.0 1e-05 1e+16", render("{{ 1 }} {{ 2.5 }} {{ 1.0 }} {{ 1e2 }} {{ 0.00001 }} {{ 1e16 }}"));
        assertEquals("[1, 'a', None, True]", render("{{ [1, 'a', none, true] }}"));
        assertEquals("(1,) ('a', 2)", render("{{ (1,) }} {{ ('a', 2) }}"));
        assertEquals("{'k': [1, 2], 'n': None}", render("{{ {'k': [1, 2], 'n': none} }}"));
        assertEquals("[\"it's\", 'a\\nb']", render("{{ [\"it's\", 'a\\nb'] }}"));
    }

    @Test
    void stringEscapes() {
        assertEquals("a\nb\tc\\d'e\"f", render("{{ 'a\\nb\\tc\\\\d\\'e\"f' }}"));
        assertEquals("é☃", render("{{ '\\u00e9\\u2603' }}"));
        assertEquals("ab", render("{{ 'a' \"b\" }}"));
        assertEquals("\\d", render("{{ '\\d' }}"));
    }

    @Test
    void arithmeticFollowsPython() {
        assertEquals("7 -1 12 2.0 3 -4 1 4 1.5 8 6.5", render(
                "{{ 3 + 4 }} {{ 3 - 4 }} {{ 3 * 4 }} {{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 4 }} {{ 7 % -4 + 5 }}"
                        + " {{ 3 / 2 }} {{ 2 ** 3 }} {{ 5 + 1.5 }}"));
        assertEquals("abab [1, 2, 1, 2] ab [1, 2]", render("{{ 'ab' * 2 }} {{ [1, 2] * 2 }} {{ 'a' + 'b' }} {{ [1] + [2] }}"));
        assertEquals("-3 3", render("{{ -x }} {{ - -x }}", "x", 3));
        assertEquals("a1None", render("{{ 'a' ~ 1 ~ none ~ missing }}"));
        assertEquals("64", render("{{ 2 ** 3 ** 2 }}"), "Jinja2's ** is left-associative");
    }

    @Test
    void precedenceOfFiltersTestsAndOperators() {
        assertEquals("2", render("{{ messages|length - 1 }}", "messages", List.of(1, 2, 3)));
        assertEquals("7", render("{{ 1 + 2 * 3 }}"));
        assertEquals("True", render("{{ not x is defined }}"));
        assertEquals("False", render("{{ not 1 == 1 }}"));
        assertEquals("3", render("{{ -3|abs }}"));
    }

    @Test
    void andOrReturnOperandsAndShortCircuit() {
        assertEquals("b 0 a x", render("{{ 'a' and 'b' }} {{ 0 and 1 }} {{ 'a' or 'b' }} {{ '' or 'x' }}"));
        assertEquals("FalseTrue", render("{{ false and (1 / 0) }}{{ true or (1 / 0) }}"));
    }

    @Test
    void comparisonsAndMembership() {
        assertEquals("True True False True", render("{{ 1 == 1.0 }} {{ 1 < 2 <= 2 }} {{ 3 < 2 }} {{ 'a' < 'b' }}"));
        assertEquals("True True False True", render("{{ 'ell' in 'hello' }} {{ 2 in [1, 2] }} {{ 'k' in {'j': 1} }}"
                + " {{ 'z' not in 'abc' }}"));
        assertEquals("True False", render("{{ (1, 2) == (1, 2) }} {{ (1, 2) == [1, 2] }}"));
        assertEquals("False", render("{{ 'a' in missing }}"));
    }

    @Test
    void conditionalExpressions() {
        assertEquals("yes", render("{{ 'yes' if x else 'no' }}", "x", 1));
        assertEquals("[]", render("[{{ 'yes' if x }}]", "x", 0));
        assertEquals("c", render("{{ 'a' if false else 'b' if false else 'c' }}"));
    }

    @Test
    void attributesAndItems() {
        Map<String, Object> message = Map.of("role", "user", "content", "hi", "nested", Map.of("k", List.of(10, 20)));
        assertEquals("user hi 20 20 10", render("{{ m.role }} {{ m['content'] }} {{ m.nested.k[1] }} {{ m.nested.k[-1] }}"
                + " {{ m.nested.k.0 }}", "m", message));
        assertEquals("[]", render("[{{ m.tool_calls }}{{ m.a.b.c }}{{ m['x'][0] }}{{ m.nested.k[5] }}]", "m", message));
        assertEquals("h", render("{{ 'hi'[0] }}"));
    }

    @Test
    void slicesWithSteps() {
        Object xs = List.of(1, 2, 3, 4, 5);
        assertEquals("[5, 4, 3, 2, 1] [2, 3, 4, 5] [1, 2, 3, 4] [1, 3, 5] [4, 3] [] [5, 3, 1]", render(
                "{{ xs[::-1] }} {{ xs[1:] }} {{ xs[:-1] }} {{ xs[::2] }} {{ xs[3:1:-1] }} {{ xs[10:] }} {{ xs[::-2] }}",
                "xs", xs));
        assertEquals("olleh ell h", render("{{ 'hello'[::-1] }} {{ 'hello'[1:-1] }} {{ 'hello'[:1] }}"));
        assertEquals("(3, 2)", render("{{ (1, 2, 3)[:0:-1] }}"));
    }

    @Test
    void undefinedIsFalsyEmptyAndIterable() {
        assertEquals("|0|no|", render("{{ nope }}|{{ nope|length }}|{{ 'yes' if nope else 'no' }}|"
                + "{% for x in nope %}{{ x }}{% endfor %}"));
        assertEquals("True False", render("{{ nope == other }} {{ nope == none }}"));
    }

    @Test
    void javaInputIsNormalised() {
        assertEquals("3 2.5 ['a', 'b'] True", render("{{ i }} {{ f }} {{ s|list|sort }} {{ b }}", "i", 3, "f", 2.5f,
                "s", new java.util.TreeSet<>(List.of("b", "a")), "b", true));
    }
}
