package io.zero4j.rollout;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the next token from one row of logits, exactly from the distribution Hugging Face's
 * generate defines: {@code softmax(logits / temperature)}, then top-k (ties at the k-th value
 * kept), then top-p (the most likely tokens until their mass reaches p, the crossing token kept),
 * then min-p (tokens at least {@code minP} times as likely as the best); temperature 0 is the arg
 * max (the first, on ties).
 *
 * <p>It never sorts the row. Tokens within {@link #HEAD_DEPTH} nats of the best (after temperature)
 * form the head and get exact weights {@code e^-depth}; the others, the tail, are only counted,
 * their total mass at most {@code count * e^-HEAD_DEPTH}. A draw is made over head mass plus that
 * bound; in the rare case it lands past the head, the tail is weighed exactly and the draw kept if
 * it falls on a tail token, repeated otherwise, so every token's chance is exactly its weight over
 * the total. Top-k finds the k-th best logit with a bounded heap and becomes a depth limit, as does
 * min-p when top-p is off. Top-p buckets the candidates by depth and sorts only the bucket where the mass crosses
 * p; it decides its cut with the tail at both ends of its bound and weighs the tail only when the
 * two disagree. Scratch arrays are allocated once; nothing is allocated per token.
 */
public final class Sampler {
    /** e^-25 is 1.4e-11: a 152k-token tail weighs at most 2e-6 of the best token. */
    static final double HEAD_DEPTH = 25.0;

    private final int[] ids;
    private final double[] weights;
    private final double[] depths;
    private final long[] order;
    private final float[] heap;
    /** Top-p buckets: depth 0..32 nats in steps of 1/128 nat; deeper candidates share the last. */
    private static final int BUCKETS = 4096;
    private static final double BUCKETS_PER_NAT = BUCKETS / 32.0;
    private final double[] bucketMass = new double[BUCKETS];
    // The row being sampled.
    private FloatBuffer logits;
    private int offset;
    private int vocab;
    private float max;
    private double invT;
    // Slots [0, size) hold the candidates (logit >= headFloor); tailCount more have tailFloor <= logit < headFloor.
    private int size;
    private int tailCount;
    private float headFloor;
    private float tailFloor;

    public Sampler(int vocab) {
        ids = new int[vocab];
        weights = new double[vocab];
        depths = new double[vocab];
        order = new long[vocab];
        heap = new float[vocab];
    }

    /** The next token for the row {@code logits[offset, offset + vocab)}. */
    public int sample(FloatBuffer row, int rowOffset, int rowVocab, SamplingParams p, SplittableRandom rng) {
        int best = argMax(row, rowOffset, rowVocab);
        if (p.isGreedy()) {
            return best;
        }
        logits = row;
        offset = rowOffset;
        vocab = rowVocab;
        max = row.get(rowOffset + best);
        if (!Float.isFinite(max)) { // all NaN, or +inf: no distribution to draw from (a draw would never end)
            throw new IllegalArgumentException("logits row has no finite maximum (" + max + ")");
        }
        invT = 1.0 / p.temperature();
        double minPDepth = p.minP() > 0 ? -Math.log(p.minP()) : Double.POSITIVE_INFINITY;
        double temperature = p.temperature();
        // Top-k keeps the tokens whose logit reaches the k-th best (ties kept): a floor on the logit.
        double floor = p.topK() > 0 && p.topK() < vocab ? kthLargest(p.topK()) : Double.NEGATIVE_INFINITY;
        // Min-p is a floor too (p >= minP * pmax), unless top-p comes first and needs the mass below it.
        if (p.topP() == 1 && p.minP() > 0) {
            floor = Math.max(floor, max - minPDepth * temperature);
        }
        headFloor = floorOf(Math.max(floor, max - HEAD_DEPTH * temperature));
        tailFloor = floorOf(floor);
        collect();
        if (p.topP() < 1) {
            keepNucleus(p.topP());
            if (p.minP() > 0) {
                keepAtLeast(Math.exp(-minPDepth)); // the nucleus lies in the head: its best weighs 1
            }
        }
        return draw(rng);
    }

    static int argMax(FloatBuffer logits, int offset, int vocab) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            float x = logits.get(offset + v);
            if (x > max) {
                max = x;
                best = v;
            }
        }
        return best;
    }

    /** The largest float not above {@code value}, so a float comparison never admits less. */
    private static float floorOf(double value) {
        float f = (float) value;
        return f > value ? Math.nextDown(f) : f;
    }

    private void collect() {
        size = 0;
        FloatBuffer row = logits; // locals: the JIT keeps them in registers across the rare add()
        int base = offset;
        float head = headFloor;
        float tail = tailFloor;
        int tailTokens = 0;
        if (tail == Float.NEGATIVE_INFINITY) {
            for (int v = 0; v < vocab; v++) {
                float x = row.get(base + v);
                if (x >= head) {
                    add(v, x);
                }
            }
            tailTokens = vocab - size; // NaN logits count too: the bound only grows, the draw stays exact
        } else {
            for (int v = 0; v < vocab; v++) {
                float x = row.get(base + v);
                if (x >= head) {
                    add(v, x);
                } else if (x >= tail) {
                    tailTokens++;
                }
            }
        }
        tailCount = tailTokens;
    }

    /** Moves every admissible tail token into the candidates with its exact weight. */
    private void weighTail() {
        if (tailCount > 0) {
            for (int v = 0; v < vocab; v++) {
                float x = logits.get(offset + v);
                if (x < headFloor && x >= tailFloor) {
                    add(v, x);
                }
            }
        }
        tailCount = 0;
        headFloor = tailFloor;
    }

    private void add(int token, float logit) {
        double depth = (max - logit) * invT;
        ids[size] = token;
        depths[size] = depth;
        weights[size++] = Math.exp(-depth);
    }

    /** The k-th largest logit of the row, through a bounded min-heap: one pass, few inserts. */
    private float kthLargest(int k) {
        FloatBuffer row = logits;
        int base = offset;
        float[] heap = this.heap;
        int n = 0;
        float least = Float.NEGATIVE_INFINITY; // heap[0] once the heap is full, in a register
        for (int v = 0; v < vocab; v++) {
            float x = row.get(base + v);
            if (n < k) {
                int i = n++;                                   // sift up
                while (i > 0 && heap[(i - 1) / 2] > x) {
                    heap[i] = heap[(i - 1) / 2];
                    i = (i - 1) / 2;
                }
                heap[i] = x;
                if (n == k) {
                    least = heap[0];
                }
            } else if (x > least) {
                int i = 0;                                     // replace the root, sift down
                while (true) {
                    int child = 2 * i + 1;
                    if (child >= k) {
                        break;
                    }
                    if (child + 1 < k && heap[child + 1] < heap[child]) {
                        child++;
                    }
                    if (heap[child] >= x) {
                        break;
                    }
                    heap[i] = heap[child];
                    i = child;
                }
                heap[i] = x;
                least = heap[0];
            }
        }
        return heap[0];
    }

    /** Keeps the most likely candidates until their mass reaches {@code topP} of all; the crossing one too. */
    private void keepNucleus(double topP) {
        double mass = 0;
        for (int i = 0; i < size; i++) {
            mass += weights[i];
        }
        double floor = nucleusFloor(topP * mass);
        if (tailCount > 0 && (Double.isNaN(floor)
                || floor != nucleusFloor(topP * (mass + tailCount * Math.exp(-HEAD_DEPTH))))) {
            weighTail(); // the cut depends on the tail's exact mass
            floor = nucleusFloor(topP * mass());
        }
        keepAtLeast(floor);
        tailCount = 0;
    }

    /**
     * The weight of the least likely token in the nucleus whose mass reaches {@code target}, or NaN
     * when the candidates' mass falls short. Candidates are bucketed by depth (most likely first);
     * only the bucket where the mass crosses the target is sorted.
     */
    private double nucleusFloor(double target) {
        Arrays.fill(bucketMass, 0);
        for (int i = 0; i < size; i++) {
            bucketMass[bucket(i)] += weights[i];
        }
        double cumulative = 0;
        int crossing = 0;
        while (crossing < BUCKETS && cumulative + bucketMass[crossing] < target) {
            cumulative += bucketMass[crossing++];
        }
        if (crossing == BUCKETS) {
            return tailCount > 0 ? Double.NaN : minWeight(); // rounding: everything is in
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (bucket(i) == crossing) {
                order[n++] = (long) Float.floatToRawIntBits((float) weights[i]) << 32 | i; // by weight, then slot
            }
        }
        Arrays.sort(order, 0, n);
        for (int j = n - 1; j >= 0; j--) {
            double w = weights[(int) order[j]];
            cumulative += w;
            if (cumulative >= target) {
                return w;
            }
        }
        return weights[(int) order[0]]; // rounding within the bucket: keep all of it
    }

    private int bucket(int slot) {
        return (int) Math.min(BUCKETS - 1, depths[slot] * BUCKETS_PER_NAT);
    }

    private double mass() {
        double m = 0;
        for (int i = 0; i < size; i++) {
            m += weights[i];
        }
        return m;
    }

    private double minWeight() {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            m = Math.min(m, weights[i]);
        }
        return m;
    }

    private void keepAtLeast(double minWeight) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (weights[i] >= minWeight) {
                ids[n] = ids[i];
                depths[n] = depths[i];
                weights[n++] = weights[i];
            }
        }
        size = n;
    }

    private int draw(SplittableRandom rng) {
        double mass = 0;
        for (int i = 0; i < size; i++) {
            mass += weights[i];
        }
        double tailBound = tailCount * Math.exp(-HEAD_DEPTH);
        while (true) {
            double u = rng.nextDouble() * (mass + tailBound);
            if (u < mass) {
                return walk(u, 0, size);
            }
            int from = size;
            weighTail();
            double tailMass = 0;
            for (int i = from; i < size; i++) {
                tailMass += weights[i];
            }
            if (u - mass < tailMass) {
                return walk(u - mass, from, size);
            }
            mass += tailMass; // the tail is weighed now: draw again over the exact total
            tailBound = 0;
        }
    }

    private int walk(double u, int from, int to) {
        double cumulative = 0;
        for (int i = from; i < to; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return ids[i];
            }
        }
        return ids[to - 1]; // rounding left u at the very end
    }
}
