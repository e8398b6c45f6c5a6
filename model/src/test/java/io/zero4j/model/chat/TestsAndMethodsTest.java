package io.zero4j.model.chat;

import static io.zero4j.model.chat.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code is} tests, Python string and dict methods, and the globals. */
class TestsAndMethodsTest {
    private static String truth(String test, Object value) {
        return render("{{ 1 if v " + test + " else 0 }}", "v", value);
    }

    @Test
    void typeTests() {
        assertEquals("1", truth("is defined", 1));
        assertEquals("1", render("{{ 1 if nope is undefined else 0 }}"));
        assertEquals("1", render("{{ 1 if nope is not defined else 0 }}"));
        assertEquals("1 1 0", truth("is none", null) + " " + truth("is not none", 0) + " " + truth("is none", "x"));
        assertEquals("1 0 1 1", truth("is string", "s") + " " + truth("is string", 1) + " " + truth("is number", 1.5)
                + " " + truth("is number", true));
        assertEquals("1 0 1 0", truth("is integer", 3) + " " + truth("is integer", true) + " " + truth("is float", 1.0)
                + " " + truth("is float", 1));
        assertEquals("1 1 0", truth("is boolean", false) + " " + truth("is true", true) + " " + truth("is false", 0));
        assertEquals("1 0 1 1 0", truth("is mapping", Map.of()) + " " + truth("is mapping", List.of()) + " "
                + truth("is iterable", "ab") + " " + truth("is sequence", List.of()) + " " + truth("is iterable", 3));
    }

    @Test
    void valueTests() {
        assertEquals("1 0 1 1", truth("is odd", 3) + " " + truth("is even", 3) + " " + truth("is divisibleby(3)", 9)
                + " " + truth("is divisibleby 3", 9));
        assertEquals("1 1 0 1", truth("is equalto('a')", "a") + " " + truth("is eq 'a'", "a") + " " + truth("is ne('a')", "a")
                + " " + truth("is in [1, 2]", 2));
        assertEquals("1 0", truth("is lower", "abc") + " " + truth("is upper", "aBC"));
    }

    @Test
    void stringMethods() {
        assertEquals("[a] [a  ] [  a] [xa]", render("[{{ '  a  '.strip() }}] [{{ '  a  '.lstrip() }}] [{{ '  a  '.rstrip() }}]"
                + " [{{ 'xxayy'.strip('y').lstrip('x') ~ 'a' if false else 'xa' }}]"));
        assertEquals("['a', 'b', 'c'] ['a', 'b,c'] ['', 'x', ''] ['a', 'b']", render("{{ 'a b  c'.split() }}"
                + " {{ 'a,b,c'.split(',', 1) }} {{ ',x,'.split(',') }} {{ '  a\\nb '.split() }}"));
        assertEquals("['a,b', 'c'] ['a', 'b c']", render("{{ 'a,b,c'.rsplit(',', 1) }} {{ 'a b c'.split(none, 1) }}"));
        assertEquals("True False True True", render("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('x') }}"
                + " {{ 'hello'.endswith(('x', 'lo')) }} {{ '<tool_response>x'.startswith('<tool_response>') }}"));
        assertEquals("HI hi Hello World They'Re Hello", render("{{ 'hi'.upper() }} {{ 'HI'.lower() }} {{ 'hello world'.title() }}"
                + " {{ \"they're\".title() }} {{ 'hELLO'.capitalize() }}"));
        assertEquals("a-b-c 1 -1 2 a+b", render("{{ 'a b c'.replace(' ', '-') }} {{ 'abc'.find('b') }} {{ 'abc'.find('z') }}"
                + " {{ 'aXbXc'.count('X') }} {{ '+'.join(['a', 'b']) }}"));
    }

    @Test
    void qwenThinkSplitting() {
        String content = "<think>\nreasoning\n</think>\n\nanswer";
        assertEquals("[answer] [reasoning]", render("[{{ c.split('</think>')[-1].lstrip('\\n') }}]"
                + " [{{ c.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}]", "c", content));
    }

    @Test
    void dictMethods() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("a", 1);
        d.put("items", "shadowed");
        assertEquals("['a', 'items'] [1, 'shadowed'] 1 None x shadowed", render("{{ d.keys() }} {{ d.values() }}"
                + " {{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 'x') }} {{ d['items'] }}", "d", d));
        assertEquals("[('a', 1), ('items', 'shadowed')]", render("{{ d.items() }}", "d", d));
    }

    @Test
    void globals() {
        assertEquals("[0, 1, 2] [2, 3] [5, 3, 1] []", render("{{ range(3) }} {{ range(2, 4) }} {{ range(5, 0, -2) }}"
                + " {{ range(0) }}"));
        assertEquals("{'a': 1, 'b': 2}", render("{{ dict(a=1, b=2) }}"));
        assertEquals("07 Mar 2025|March 07, 2025|2025-03-07 14:05|Friday|7", render("{{ strftime_now('%d %b %Y') }}|"
                + "{{ strftime_now('%B %d, %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M') }}|{{ strftime_now('%A') }}|"
                + "{{ strftime_now('%-d') }}"));
        TemplateException e = assertThrows(TemplateException.class, () -> render(
                "line one\n{{ raise_exception('Conversation roles must alternate') }}"));
        assertTrue(e.raisedByTemplate());
        assertEquals("Conversation roles must alternate", e.reason());
        assertEquals("line 2: Conversation roles must alternate", e.getMessage());
    }

    @Test
    void strftimeNowUsesTheSystemClockByDefault() {
        String year = String.valueOf(java.time.LocalDate.now().getYear());
        String rendered = JinjaTemplate.compile("{{ strftime_now('%Y') }}").render(Map.of());
        assertTrue(rendered.equals(year) || rendered.equals(String.valueOf(Integer.parseInt(year) + 1)), rendered);
    }
}
