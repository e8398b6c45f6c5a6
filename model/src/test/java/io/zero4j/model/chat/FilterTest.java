package io.zero4j.model.chat;

import static io.zero4j.model.chat.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filters chat templates use, with Jinja2's results. */
class FilterTest {
    private static final List<Map<String, Object>> MESSAGES = List.of(
            Map.of("role", "system", "content", "S"), Map.of("role", "user", "content", "U1"),
            Map.of("role", "assistant", "content", "A1"), Map.of("role", "user", "content", "U2"));

    @Test
    void stringFilters() {
        assertEquals("[a b] [xxa] HI hi Hello world Hello-World ((Big)) 3", render("[{{ '  a b \\n'|trim }}] [{{ 'xxayy'|trim('y') }}]"
                + " {{ 'hi'|upper }} {{ 'HI'|lower }} {{ 'hELLO WORLD'|capitalize }} {{ 'hello-world'|title }}"
                + " ({{ '(big)'|title }}) {{ 'one two, three'|wordcount }}"));
        assertEquals("a-b-c a-b c", render("{{ 'a b c'|replace(' ', '-') }} {{ 'a b c'|replace(' ', '-', 1) }}"));
        assertEquals("&lt;b&gt; &amp; &#34;q&#39; <b>", render("{{ '<b> & \"q\\''|e }} {{ '<b>'|safe }}"));
        assertEquals("1 None", render("{{ 1|string }} {{ none|string }}"));
    }

    @Test
    void defaultFilter() {
        assertEquals("x  y z", render("{{ missing|default('x') }} {{ ''|default('y') }} {{ ''|d('y', true) }} {{ 'z'|d('w') }}"));
        assertEquals("None", render("{{ none|default('x') }}"));
    }

    @Test
    void numberFilters() {
        assertEquals("42 3 7 0 5 2.0 3 2.5 0.0 3.0", render("{{ '42'|int }} {{ 3.9|int }} {{ 'x'|int(7) }} {{ none|int }}"
                + " {{ '5.5'|int }} {{ 2|float }} {{ -3|abs }} {{ 2.5|round(1) }} {{ 0.5|round }} {{ 2.5|round(0, 'ceil') }}"));
        assertEquals("2.0 3 1.23", render("{{ 2.5|round }} {{ 3|round }} {{ 1.2345|round(2) }}"));
    }

    @Test
    void sequenceFilters() {
        Object xs = List.of(3, 1, 2);
        assertEquals("3 3 3 2 [2, 1, 3] [1, 2, 3] [3, 2, 1] 1 3 6 3,1,2", render("{{ xs|length }} {{ xs|count }}"
                + " {{ xs|first }} {{ xs|last }} {{ xs|reverse|list }} {{ xs|sort }} {{ xs|sort(reverse=true) }}"
                + " {{ xs|min }} {{ xs|max }} {{ xs|sum }} {{ xs|join(',') }}", "xs", xs));
        assertEquals("['a', 'b'] cba [1, 2] []", render("{{ 'ab'|list }} {{ 'abc'|reverse }} {{ [1, 2, 1]|unique|list }}"
                + " {{ missing|list }}"));
        assertEquals("['B', 'a'] ['a', 'B']", render("{{ ['a', 'B']|sort(case_sensitive=true) }} {{ ['B', 'a']|sort }}"));
    }

    @Test
    void attributeFilters() {
        assertEquals("U1,U2", render("{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|join(',') }}",
                "messages", MESSAGES));
        assertEquals("3", render("{{ messages|rejectattr('role', 'eq', 'system')|list|length }}", "messages", MESSAGES));
        assertEquals("S", render("{{ (messages|selectattr('role', '==', 'system')|first).content }}", "messages", MESSAGES));
        assertEquals("system,user,assistant,user", render("{{ messages|map(attribute='role')|join(',') }}", "messages",
                MESSAGES));
        assertEquals("S U1 A1 U2", render("{{ messages|join(' ', attribute='content') }}", "messages", MESSAGES));
        assertEquals("['SYSTEM', 'USER']", render("{{ messages[:2]|map(attribute='role')|map('upper')|list }}", "messages",
                MESSAGES));
        assertEquals("[2, 4] [1, 3]", render("{{ [1, 2, 3, 4]|select('even')|list }} {{ [1, 2, 3, 4]|reject('even')|list }}"));
        assertEquals("U1", render("{{ (messages|sort(attribute='content'))[2].content }}", "messages", MESSAGES));
    }

    @Test
    void mappingFilters() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("b", 1);
        d.put("A", 2);
        assertEquals("[('b', 1), ('A', 2)] [('A', 2), ('b', 1)] [('b', 1), ('A', 2)]", render("{{ d|items|list }}"
                + " {{ d|dictsort }} {{ d|dictsort(by='value') }}", "d", d));
    }

    @Test
    void indentFilter() {
        assertEquals("a\n  b\n\n  c", render("{{ 'a\\nb\\n\\nc'|indent(2) }}"));
        assertEquals("  a\n  b", render("{{ 'a\\nb'|indent(2, true) }}"));
        assertEquals("a\n--b", render("{{ 'a\\nb'|indent('--') }}"));
        assertEquals("a\n  \n  b", render("{{ 'a\\n\\nb'|indent(2, blank=true) }}"));
    }

    @Test
    void tojsonIsPythonJsonDumps() {
        Map<String, Object> tool = new java.util.LinkedHashMap<>();
        tool.put("name", "f");
        tool.put("args", List.of(1, 2.5, true, Map.of()));
        tool.put("note", "Grüße \"q\"\n\t\\");
        tool.put("none", null);
        assertEquals("{\"name\": \"f\", \"args\": [1, 2.5, true, {}], \"note\": \"Grüße \\\"q\\\"\\n\\t\\\\\", \"none\": null}",
                render("{{ t|tojson }}", "t", tool));
        assertEquals("{\n  \"name\": \"f\",\n  \"args\": [\n    1,\n    2.5,\n    true,\n    {}\n  ],\n  \"note\": "
                + "\"Grüße \\\"q\\\"\\n\\t\\\\\",\n  \"none\": null\n}", render("{{ t|tojson(indent=2) }}", "t", tool));
        assertEquals("{\"a\": 1, \"b\": [1.0, \"\\u00fc\"]}", render("{{ {'b': [1.0, 'ü'], 'a': 1}|tojson(sort_keys=true, "
                + "ensure_ascii=true) }}"));
        assertEquals("[1,2]", render("{{ [1, 2]|tojson(separators=(',', ':')) }}"));
        assertEquals("[[], {}, \"x\"]", render("{{ ([], {}, 'x')|tojson }}"));
    }
}
