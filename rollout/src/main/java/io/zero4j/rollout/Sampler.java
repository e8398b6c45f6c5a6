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
 * form the head and get exact weights {@code e^-depth} ({@link NegativeExp}, within 3 ulp of {@link Math#exp}); the others, the tail, are only counted,
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
    private final long[] order;
    private final short[] bucketOf;
    private final float[] candidateLogits;
    private final float[] heap;
    /** Top-p buckets: depth 0..32 nats in steps of 1/128 nat; deeper candidates share the last. */
    private static final int BUCKETS = 4096;
    private static final double BUCKETS_PER_NAT = BUCKETS / 32.0;
    /** Slots the draw's walk skips at a time. */
    private static final int WALK_BLOCK = 32;
    private final double[] bucketMass = new double[BUCKETS];
    /** The bucket whose candidates {@code order[0, sortedCount)} holds sorted, or -1. */
    private int sortedBucket = -1;
    private int sortedCount;
    /** Whether {@link #weigh} records each candidate's bucket and the buckets' masses (top-p needs them). */
    private boolean bucketing;
    /** {@link #nucleusFloors}' answer (kept to allocate nothing per row). */
    private final double[] floors = new double[2];
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
        order = new long[vocab];
        bucketOf = new short[vocab];
        candidateLogits = new float[vocab];
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
        bucketing = p.topP() < 1;
        collect();
        double mass; // of the candidates
        if (p.topP() < 1) {
            mass = keepNucleus(p.topP());
            if (p.minP() > 0) {
                mass = keepAtLeast(Math.exp(-minPDepth)); // the nucleus lies in the head: its best weighs 1
            }
        } else {
            mass = mass();
        }
        return draw(rng, mass);
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

    /** Gathers the candidates (the scan only records them: the row is read at the speed of a plain pass), then weighs them. */
    private void collect() {
        size = 0;
        FloatBuffer row = logits; // locals: the JIT keeps them in registers
        int base = offset;
        float head = headFloor;
        float tail = tailFloor;
        int[] tokens = ids;
        float[] found = candidateLogits;
        int n = 0;
        int tailTokens = 0;
        if (tail == Float.NEGATIVE_INFINITY) {
            for (int v = 0; v < vocab; v++) {
                float x = row.get(base + v);
                if (x >= head) {
                    tokens[n] = v;
                    found[n++] = x;
                }
            }
            tailTokens = vocab - n; // NaN logits count too: the bound only grows, the draw stays exact
        } else {
            for (int v = 0; v < vocab; v++) {
                float x = row.get(base + v);
                if (x >= head) {
                    tokens[n] = v;
                    found[n++] = x;
                } else if (x >= tail) {
                    tailTokens++;
                }
            }
        }
        tailCount = tailTokens;
        size = n;
        if (bucketing) {
            Arrays.fill(bucketMass, 0);
        }
        weigh(0, n);
    }

    /** Moves every admissible tail token into the candidates with its exact weight. */
    private void weighTail() {
        int from = size;
        if (tailCount > 0) {
            for (int v = 0; v < vocab; v++) {
                float x = logits.get(offset + v);
                if (x < headFloor && x >= tailFloor) {
                    ids[size] = v;
                    candidateLogits[size++] = x;
                }
            }
        }
        weigh(from, size);
        tailCount = 0;
        headFloor = tailFloor;
    }

    /** Exact weights {@code e^-depth} of candidate slots {@code [from, to)}; for top-p also each one's depth bucket and the buckets' masses. */
    private void weigh(int from, int to) {
        for (int i = from; i < to; i++) {
            double depth = (max - candidateLogits[i]) * invT;
            double w = NegativeExp.of(depth);
            weights[i] = w;
            if (bucketing) {
                int bucket = (int) Math.min(BUCKETS - 1, depth * BUCKETS_PER_NAT);
                bucketOf[i] = (short) bucket;
                bucketMass[bucket] += w;
            }
        }
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

    /**
     * Keeps the most likely candidates until their mass reaches {@code topP} of all, the crossing one
     * too; returns the kept mass. The cut is decided with the tail at both ends of its bound; only when
     * the two disagree is the tail weighed.
     */
    private double keepNucleus(double topP) {
        double mass = bucketedMass();
        double tailBound = tailCount * Math.exp(-HEAD_DEPTH);
        nucleusFloors(topP * mass, tailCount > 0 ? topP * (mass + tailBound) : Double.NaN);
        if (tailCount > 0 && floors[0] != floors[1]) { // unequal, or either NaN (no cut)
            weighTail(); // the cut depends on the tail's exact mass
            nucleusFloors(topP * bucketedMass(), Double.NaN);
        }
        tailCount = 0;
        return keepAtLeast(floors[0]);
    }

    /** The candidates' mass, from the bucket sums {@link #weigh} keeps (the slots are sorted afresh after a change). */
    private double bucketedMass() {
        sortedBucket = -1;
        double mass = 0;
        for (double m : bucketMass) {
            mass += m;
        }
        return mass;
    }

    /**
     * Sets {@link #floors}: for each target mass, the weight of the least likely token of the nucleus that reaches it, or
     * NaN when the candidates' mass falls short (or the target is NaN). Only the bucket where the
     * mass crosses a target is sorted; both targets share it when they cross in the same bucket.
     */
    private void nucleusFloors(double target, double otherTarget) {
        floors[0] = Double.NaN;
        floors[1] = Double.NaN;
        int crossing = crossingBucket(target);
        int otherCrossing = Double.isNaN(otherTarget) ? -1 : crossingBucket(otherTarget);
        if (crossing == BUCKETS) {
            floors[0] = tailCount > 0 ? Double.NaN : minWeight(); // rounding: everything is in
            return;
        }
        floors[0] = floorWithin(crossing, target);
        if (otherCrossing == crossing) {
            floors[1] = floorWithin(crossing, otherTarget);
        }
    }

    /** The first bucket at which the cumulative mass reaches {@code target}; {@link #BUCKETS} if none. */
    private int crossingBucket(double target) {
        double cumulative = 0;
        int crossing = 0;
        while (crossing < BUCKETS && cumulative + bucketMass[crossing] < target) {
            cumulative += bucketMass[crossing++];
        }
        return crossing;
    }

    /** The nucleus floor when the mass crosses {@code target} in {@code bucket}: that bucket is sorted (once). */
    private double floorWithin(int bucket, double target) {
        double cumulative = 0;
        for (int b = 0; b < bucket; b++) {
            cumulative += bucketMass[b];
        }
        if (sortedBucket != bucket) {
            int n = 0;
            short wanted = (short) bucket;
            for (int i = 0; i < size; i++) {
                if (bucketOf[i] == wanted) {
                    order[n++] = (long) Float.floatToRawIntBits((float) weights[i]) << 32 | i; // by weight, then slot
                }
            }
            Arrays.sort(order, 0, n);
            sortedBucket = bucket;
            sortedCount = n;
        }
        for (int j = sortedCount - 1; j >= 0; j--) {
            double w = weights[(int) order[j]];
            cumulative += w;
            if (cumulative >= target) {
                return w;
            }
        }
        return weights[(int) order[0]]; // rounding within the bucket: keep all of it
    }

    private double mass() {
        return mass(0, size);
    }

    /** The weights of slots {@code [from, to)} summed in four running sums (no chain of dependent adds). */
    private double mass(int from, int to) {
        double m0 = 0;
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            m0 += weights[i];
            m1 += weights[i + 1];
            m2 += weights[i + 2];
            m3 += weights[i + 3];
        }
        for (; i < to; i++) {
            m0 += weights[i];
        }
        return (m0 + m1) + (m2 + m3);
    }

    private double minWeight() {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            m = Math.min(m, weights[i]);
        }
        return m;
    }

    /** Drops the candidates lighter than {@code minWeight} by zeroing their weight (a draw never lands on a zero); returns the mass kept. */
    private double keepAtLeast(double minWeight) {
        double[] w = weights;
        for (int i = 0; i < size; i++) {
            w[i] = w[i] >= minWeight ? w[i] : 0;
        }
        return mass();
    }

    /** Draws from the candidates (of total {@code mass}) and the tail, exactly. */
    private int draw(SplittableRandom rng, double mass) {
        double tailBound = tailCount * Math.exp(-HEAD_DEPTH);
        while (true) {
            double u = rng.nextDouble() * (mass + tailBound);
            if (u < mass) {
                return walk(u, 0, size);
            }
            int from = size;
            weighTail();
            double tailMass = mass(from, size);
            if (u - mass < tailMass) {
                return walk(u - mass, from, size);
            }
            mass += tailMass; // the tail is weighed now: draw again over the exact total
            tailBound = 0;
        }
    }

    /** Walk block by block (each block's mass summed without a dependent chain), then within the block where {@code u} falls. */
    private int walk(double u, int from, int to) {
        double cumulative = 0;
        int start = from;
        for (; start + WALK_BLOCK < to; start += WALK_BLOCK) {
            double block = mass(start, start + WALK_BLOCK);
            if (u < cumulative + block) {
                break;
            }
            cumulative += block;
        }
        int end = Math.min(to, start + WALK_BLOCK);
        for (int i = start; i < end; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return ids[i];
            }
        }
        for (int i = end - 1; i > from; i--) { // rounding left u past the block's slots as summed one by one
            if (weights[i] > 0) {
                return ids[i];
            }
        }
        return ids[from];
    }
}
