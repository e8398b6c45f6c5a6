package io.zero4j.model.chat;

import static io.zero4j.model.chat.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Whitespace as Jinja2 with trim_blocks and lstrip_blocks (the transformers setting) leaves it. */
class WhitespaceTest {
    @Test
    void trimBlocksRemovesTheFirstNewlineAfterABlockTag() {
        assertEquals("a\nb\n", render("{% if true %}\na\n{% endif %}\nb\n\n"));
        assertEquals("\ny", render("{% set v = 1 %}\n\ny"));
    }

    @Test
    void trimBlocksDoesNotApplyToVariables() {
        assertEquals("1\n2", render("{{ 1 }}\n{{ 2 }}"));
    }

    @Test
    void lstripBlocksRemovesIndentationBeforeABlockTagOnly() {
        assertEquals("a\n", render("    {% if true %}\na\n    {% endif %}\n"));
        assertEquals("    1\n", render("    {{ 1 }}\n\n"));
        assertEquals("x  y", render("x  {% if true %}y{% endif %}"));
        assertEquals("\t|", render("\t{{ '' }}|"));
    }

    @Test
    void commentsAreDroppedAndTrimmedLikeBlocks() {
        assertEquals("ab", render("a{# a comment #}b"));
        assertEquals("a\nb", render("a\n   {# on its own line #}\nb"));
        assertEquals("ab", render("a  {#- strip both sides -#}  b"));
    }

    @Test
    void minusStripsAllWhitespaceOnItsSide() {
        assertEquals("ab", render("a \n\t {{- 'b' }}"));
        assertEquals("ab", render("{{ 'a' -}} \n\n b"));
        assertEquals("a|b", render("a\n  {%- if true -%}\n  |\n  {%- endif -%}\n b"));
        assertEquals("12", render("{%- for i in [1, 2] -%}\n  {{ i }}\n{%- endfor -%}\n"));
    }

    @Test
    void plusDisablesLstripAndTrimForOneTag() {
        assertEquals("  x\n", render("  {%+ if true %}x\n{% endif %}"));
        assertEquals("\nx", render("{% if true +%}\nx{% endif %}"));
    }

    @Test
    void aSingleTrailingNewlineIsDroppedAndCrLfIsNormalised() {
        assertEquals("a\n", render("a\n\n"));
        assertEquals("a", render("a\n"));
        assertEquals("a\nb\n", render("a\r\nb\r\n\r\n"));
    }

    @Test
    void indentedTemplateRendersLikeTransformers() {
        String template = """
                {%- for m in messages %}
                    {%- if m.role == 'user' %}
                        {{- 'U: ' + m.content + '\\n' }}
                    {%- else %}
                        {{- 'A: ' + m.content + '\\n' }}
                    {%- endif %}
                {%- endfor %}
                """;
        Object messages = java.util.List.of(java.util.Map.of("role", "user", "content", "hi"),
                java.util.Map.of("role", "assistant", "content", "hello"));
        assertEquals("U: hi\nA: hello\n", render(template, "messages", messages));
    }

    @Test
    void blockTagsOnTheirOwnLinesLeaveNoBlankLines() {
        String template = "<ul>\n  {% for x in [1, 2] %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>";
        assertEquals("<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>", render(template));
    }
}
