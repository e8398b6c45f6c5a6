package io.zero4j.model.chat;

import static io.zero4j.model.chat.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** if, for and its loop variable, set and namespace, macros, break/continue, filter and generation blocks. */
class StatementTest {
    @Test
    void ifElifElse() {
        String t = "{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %}";
        assertEquals("one two many", render(t, "x", 1) + " " + render(t, "x", 2) + " " + render(t, "x", 5));
    }

    @Test
    void loopVariables() {
        String t = "{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}"
                + "{{ loop.first|int }}{{ loop.last|int }}{{ loop.length }} {% endfor %}";
        assertEquals("1032103 2121003 3210013 ", render(t, "xs", List.of("a", "b", "c")));
        assertEquals("- a b,a b c,b c -", render("{% for x in 'abc' %}{{ loop.previtem|default('-') }} {{ x }}"
                + " {{ loop.nextitem|default('-') }}{{ ',' if not loop.last }}{% endfor %}"));
        assertEquals("odd even odd ", render("{% for x in [1, 2, 3] %}{{ loop.cycle('odd', 'even') }} {% endfor %}"));
    }

    @Test
    void forWithTupleUnpackingFilterAndElse() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("a", 1);
        d.put("b", 2);
        assertEquals("a=1;b=2;", render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "d", d));
        assertEquals("a1b2", render("{% for (k, v) in d|items %}{{ k }}{{ v }}{% endfor %}", "d", d));
        assertEquals("2/2 4/2 ", render("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}/{{ loop.length }} {% endfor %}"));
        assertEquals("empty", render("{% for x in [] %}{{ x }}{% else %}empty{% endfor %}"));
        assertEquals("empty", render("{% for x in [1] if x > 5 %}{{ x }}{% else %}empty{% endfor %}"));
        assertEquals("ab", render("{% for k in d %}{{ k }}{% endfor %}", "d", d));
    }

    @Test
    void breakAndContinue() {
        assertEquals("13", render("{% for x in [1, 2, 3, 4] %}{% if x == 2 %}{% continue %}{% endif %}"
                + "{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}"));
        assertEquals("1a1b", render("{% for x in [1, 2] %}{% for y in 'ab' %}{% if x == 2 %}{% break %}{% endif %}"
                + "{{ x }}{{ y }}{% endfor %}{% endfor %}"));
    }

    @Test
    void setInsideALoopDoesNotLeakButNamespaceDoes() {
        assertEquals("0 3", render("{% set total = 0 %}{% set ns = namespace(total=0) %}{% for x in [1, 2] %}"
                + "{% set total = total + x %}{% set ns.total = ns.total + x %}{% endfor %}{{ total }} {{ ns.total }}"));
        assertEquals("2", render("{% for x in [1, 2] %}{% set last = x %}{% if loop.last %}{{ last }}{% endif %}{% endfor %}"));
        assertEquals("1", render("{% if true %}{% set y = 1 %}{% endif %}{{ y }}"));
    }

    @Test
    void setForms() {
        assertEquals("1-2", render("{% set a, b = 1, 2 %}{{ a }}-{{ b }}"));
        assertEquals("(1, 2)", render("{% set t = 1, 2 %}{{ t }}"));
        assertEquals("[hi\n]", render("{% set block %}hi\n{% endset %}[{{ block }}]"));
        assertEquals("<Namespace {'a': 1, 'b': 'x'}>", render("{% set ns = namespace(a=1) %}{% set ns.b = 'x' %}{{ ns }}"));
    }

    @Test
    void macrosWithDefaultsAndKeywords() {
        String macro = "{% macro tag(name, body='', close=true) %}<{{ name }}>{{ body }}{% if close %}</{{ name }}>"
                + "{% endif %}{% endmacro %}";
        assertEquals("<b></b>|<i>x</i>|<br>", render(macro + "{{ tag('b') }}|{{ tag('i', 'x') }}|{{ tag('br', close=false) }}"));
        assertEquals("3! 2! 1! ", render("{% macro down(n) %}{% if n > 0 %}{{ n }}! {{ down(n - 1) }}{% endif %}{% endmacro %}"
                + "{{ down(3) }}"));
        assertEquals("outer", render("{% set who = 'outer' %}{% macro m() %}{{ who }}{% endmacro %}{{ m() }}"));
    }

    @Test
    void generationBlocksRenderTheirBody() {
        assertEquals("A: hi.", render("A: {% generation %}{{ text }}{% endgeneration %}.", "text", "hi"));
        assertEquals("A:hi", render("A: {%- generation -%} hi {%- endgeneration %}"));
    }

    @Test
    void filterBlocks() {
        assertEquals("HELLO WORLD", render("{% filter upper %}hello {{ 'world' }}{% endfilter %}"));
        assertEquals("a-b", render("{% filter replace(' ', '-') %}a b{% endfilter %}"));
    }

    @Test
    void outputOfATuple() {
        assertEquals("(1, 'a')", render("{{ 1, 'a' }}"));
    }
}
