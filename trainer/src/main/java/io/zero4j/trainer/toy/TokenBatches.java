package io.zero4j.trainer.toy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The order documents are trained in: each epoch is a seeded shuffle, cut into pools of
 * {@code poolBatches} batches; a pool is sorted by length and cut into batches (little padding),
 * and the batches of a pool are shuffled again so lengths do not trend within an epoch.
 */
final class TokenBatches {
    private TokenBatches() {
    }

    /** {@code steps} batches of document indices. */
    static List<int[]> plan(List<int[]> documents, int batchSize, int poolBatches, int steps, long seed) {
        Random rng = new Random(seed ^ 0x5DEECE66DL);
        List<int[]> out = new ArrayList<>(steps);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            order.add(i);
        }
        while (out.size() < steps) {
            Collections.shuffle(order, rng);
            int pool = batchSize * poolBatches;
            for (int from = 0; from + batchSize <= order.size() && out.size() < steps; from += pool) {
                List<Integer> slice = new ArrayList<>(order.subList(from, Math.min(order.size(), from + pool)));
                slice.sort(Comparator.comparingInt(i -> documents.get(i).length));
                List<int[]> poolOut = new ArrayList<>();
                for (int b = 0; b + batchSize <= slice.size(); b += batchSize) {
                    poolOut.add(slice.subList(b, b + batchSize).stream().mapToInt(Integer::intValue).toArray());
                }
                Collections.shuffle(poolOut, rng);
                for (int[] batch : poolOut) {
                    if (out.size() < steps) {
                        out.add(batch);
                    }
                }
            }
        }
        return out;
    }

}
