package io.zero4j.rollout;

/** Token ids to text, special tokens kept; {@code TextTokenizer} gives one with {@code ids -> tok.decode(ids, false)}. */
@FunctionalInterface
public interface Detokenizer {
    String decode(int[] ids);
}
