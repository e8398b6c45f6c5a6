package io.zero4j.trainer.sft;

/** One supervised pair, tokenized: the prompt (context) and the completion (the targets). */
record SftExample(int[] prompt, int[] completion) {
    int length() {
        return prompt.length + completion.length;
    }
}
