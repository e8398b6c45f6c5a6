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
 * the total. Top-p decides its cut with the tail at both ends of its bound and weighs the tail only
 * when the two disagree. Scratch arrays are allocated once; nothing is allocated per token.
 */
public final class Sampler {
    /** e^-25 is 1.4e-11: a 152k-token tail weighs at most 2e-6 of the best token. */
    static final double HEAD_DEPTH = 25.0;

    private final int[] ids;
    private final double[] weights;
    private final long[] order;
    // The row being sampled.
    private FloatBuffer logits;
    private int offset;
    private int vocab;
    private float max;
    private double invT;
    // Slots [0, size) of ids/weights hold the candidates; tailCount more lie in (headDepth, tailDepth].
    private int size;
    private int tailCount;
    private double headDepth;
    private double tailDepth;

    public Sampler(int vocab) {
        ids = new int[vocab];
        weights = new double[vocab];
        order = new long[vocab];
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
        invT = 1.0 / p.temperature();
        double minPDepth = p.minP() > 0 ? -Math.log(p.minP()) : Double.POSITIVE_INFINITY;
        boolean truncating = p.topK() > 0 || p.topP() < 1;
        // Without top-k/top-p, min-p is a depth limit and the tail past it is never looked at.
        headDepth = truncating ? HEAD_DEPTH : Math.min(HEAD_DEPTH, minPDepth);
        tailDepth = truncating ? Double.POSITIVE_INFINITY : minPDepth;
        collect();
        if (p.topK() > 0 && p.topK() < size + tailCount) {
            keepTopK(p.topK());
        }
        if (p.topP() < 1) {
            keepNucleus(p.topP());
        }
        if (p.minP() > 0 && truncating) {
            if (tailCount > 0 && minPDepth > headDepth) {
                weighTail();
            }
            keepAtLeast(Math.exp(-minPDepth));
            tailCount = 0;
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

    private void collect() {
        size = 0;
        tailCount = 0;
        for (int v = 0; v < vocab; v++) {
            double depth = (max - logits.get(offset + v)) * invT;
            if (depth <= headDepth) {
                ids[size] = v;
                weights[size++] = Math.exp(-depth);
            } else if (depth <= tailDepth) {
                tailCount++;
            }
        }
    }

    /** Moves every admissible tail token into the candidates with its exact weight. */
    private void weighTail() {
        if (tailCount > 0) {
            for (int v = 0; v < vocab; v++) {
                double depth = (max - logits.get(offset + v)) * invT;
                if (depth > headDepth && depth <= tailDepth) {
                    ids[size] = v;
                    weights[size++] = Math.exp(-depth);
                }
            }
        }
        tailCount = 0;
        headDepth = tailDepth;
    }

    /** Keeps candidates at least as likely as the k-th most likely (ties kept). */
    private void keepTopK(int k) {
        if (size < k) {
            weighTail(); // the k best reach into the tail
        }
        for (int i = 0; i < size; i++) {
            order[i] = Double.doubleToRawLongBits(weights[i]); // positive doubles order like their bits
        }
        keepAtLeast(Double.longBitsToDouble(select(order, size, size - k)));
        tailCount = 0; // every tail token is less likely than the k-th head token
    }

    /** Keeps the most likely candidates until their mass reaches {@code topP} of all; the crossing one too. */
    private void keepNucleus(double topP) {
        double candidateMass = 0;
        for (int i = 0; i < size; i++) {
            candidateMass += weights[i];
            order[i] = (long) Float.floatToRawIntBits((float) weights[i]) << 32 | i; // by weight, then slot
        }
        Arrays.sort(order, 0, size);
        double tailBound = tailCount * Math.exp(-HEAD_DEPTH);
        int kept = nucleusSize(topP * candidateMass);
        if (tailCount > 0 && (kept > size || kept != nucleusSize(topP * (candidateMass + tailBound)))) {
            weighTail(); // the cut depends on the tail's exact mass
            keepNucleus(topP);
            return;
        }
        double floor = Double.POSITIVE_INFINITY;
        for (int j = size - 1; j >= size - kept; j--) {
            floor = Math.min(floor, weights[(int) order[j]]);
        }
        keepAtLeast(floor);
        tailCount = 0;
    }

    /** How many sorted candidates, most likely first, it takes for their mass to reach {@code target}. */
    private int nucleusSize(double target) {
        double cumulative = 0;
        for (int j = size - 1; j >= 0; j--) {
            cumulative += weights[(int) order[j]];
            if (cumulative >= target) {
                return size - j;
            }
        }
        return tailCount > 0 ? size + 1 : size; // past the candidates: the tail decides, or rounding
    }

    private void keepAtLeast(double minWeight) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (weights[i] >= minWeight) {
                ids[n] = ids[i];
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

    /** The value of rank {@code rank} (0 = smallest) among {@code a[0, n)}; reorders {@code a}. */
    static long select(long[] a, int n, int rank) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            long pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (rank <= j) {
                hi = j;
            } else if (rank >= i) {
                lo = i;
            } else {
                return a[rank];
            }
        }
        return a[rank];
    }
}
