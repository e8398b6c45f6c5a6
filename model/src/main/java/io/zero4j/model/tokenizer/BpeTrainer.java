package io.zero4j.model.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns byte-level BPE merges from sample text, the way Hugging Face's trainer does (most frequent
 * adjacent pair first, ties broken by the pair's text so the result is reproducible), with two
 * rules for arithmetic: digits are never merged (every digit stays its own token, so numbers are
 * read and written digit by digit), and only printable ASCII is merged. Special tokens are cut out
 * of the text before counting.
 */
public final class BpeTrainer {
    private BpeTrainer() {
    }

    /** Adds up to {@code maxMerges} merges learned from {@code texts} to the builder, in order. */
    public static void learn(Iterable<String> texts, List<String> specialTokens, int maxMerges,
                             ByteLevelTokenizerBuilder builder) {
        Map<List<String>, Long> chunks = chunks(texts, specialTokens);
        List<List<String>> words = new ArrayList<>(chunks.keySet());
        long[] counts = chunks.values().stream().mapToLong(Long::longValue).toArray();
        for (int merge = 0; merge < maxMerges; merge++) {
            Map<String, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(s.get(i) + "\u0000" + s.get(i + 1), counts[w], Long::sum);
                }
            }
            String best = null;
            long bestCount = 1; // a pair seen once is not worth a token
            for (Map.Entry<String, Long> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                return;
            }
            String left = best.substring(0, best.indexOf('\u0000'));
            String right = best.substring(best.indexOf('\u0000') + 1);
            builder.merge(left, right);
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(left) && s.get(i + 1).equals(right)) {
                        s.set(i, left + right);
                        s.remove(i + 1);
                    }
                }
            }
        }
    }

    /** Maximal runs of mergeable characters, as single-character symbols, with their counts. */
    private static Map<List<String>, Long> chunks(Iterable<String> texts, List<String> specialTokens) {
        Map<List<String>, Long> out = new LinkedHashMap<>();
        for (String text : texts) {
            String rest = text;
            for (String special : specialTokens) {
                rest = rest.replace(special, "\u0000");
            }
            List<String> run = new ArrayList<>();
            for (int i = 0; i <= rest.length(); i++) {
                char c = i < rest.length() ? rest.charAt(i) : '\u0000';
                boolean mergeable = c >= ' ' && c <= '~' && (c < '0' || c > '9');
                if (mergeable) {
                    run.add(String.valueOf(c));
                } else if (!run.isEmpty()) {
                    out.merge(run, 1L, Long::sum);
                    run = new ArrayList<>();
                }
            }
        }
        return out;
    }
}
