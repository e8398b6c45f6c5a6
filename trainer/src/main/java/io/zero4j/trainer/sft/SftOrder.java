package io.zero4j.trainer.sft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The order examples are trained in, as a function of the position in the run (so a resumed run
 * continues exactly): epoch after epoch, each a fresh shuffle of its own seed, then length bucketing:
 * each window of {@code bucketWindow} consecutive examples is sorted by length, so a micro-batch
 * holds examples of similar length and pads little, while windows keep the epoch's random order.
 */
final class SftOrder {
    private final List<SftExample> examples;
    private final long seed;
    private final int bucketWindow;
    private int epochInOrder = -1;
    private List<SftExample> order;

    SftOrder(List<SftExample> examples, long seed, int bucketWindow) {
        this.examples = examples;
        this.seed = seed;
        this.bucketWindow = Math.max(1, bucketWindow);
    }

    /** The {@code count} examples from position {@code cursor} on (across epochs). */
    List<SftExample> take(long cursor, int count) {
        List<SftExample> out = new ArrayList<>(count);
        for (long p = cursor; p < cursor + count; p++) {
            int epoch = (int) (p / examples.size());
            out.add(epoch(epoch).get((int) (p % examples.size())));
        }
        return out;
    }

    private List<SftExample> epoch(int epoch) {
        if (epoch != epochInOrder) {
            List<SftExample> shuffled = new ArrayList<>(examples);
            Collections.shuffle(shuffled, new Random(seed * 1_000_003L + epoch));
            for (int from = 0; from < shuffled.size(); from += bucketWindow) {
                shuffled.subList(from, Math.min(shuffled.size(), from + bucketWindow))
                        .sort(Comparator.comparingInt(SftExample::length));
            }
            order = shuffled;
            epochInOrder = epoch;
        }
        return order;
    }
}
