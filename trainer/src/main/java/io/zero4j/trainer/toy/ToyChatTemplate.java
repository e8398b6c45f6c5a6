package io.zero4j.trainer.toy;

/**
 * The toy model's {@code chat_template}: the run's prompt template with the last user message as
 * its {@code {problem}}, so a chat client asking the toy a question sends it the very prompt it was
 * trained on (R1-Zero's, by default). Earlier turns are not shown: the toy knows single questions only.
 */
final class ToyChatTemplate {
    private ToyChatTemplate() {
    }

    /** Jinja source rendering {@code promptTemplate} (which contains {@code {problem}}) around the last user message. */
    static String of(String promptTemplate) {
        int at = promptTemplate.indexOf("{problem}");
        String before = literal(promptTemplate.substring(0, at));
        String after = literal(promptTemplate.substring(at + "{problem}".length()));
        return "{%- for message in messages if message.role == 'user' -%}{%- if loop.last -%}"
                + "{{ " + before + " }}{{ message.content }}{{ " + after + " }}"
                + "{%- endif -%}{%- endfor -%}";
    }

    /** A Jinja string literal of {@code text}. */
    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }
}
