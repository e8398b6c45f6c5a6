package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Chunked log-probabilities and entropies against a direct float64 computation. */
class TokenLogProbsTest {
    @Test
    void chunkedEqualsDirectForAnyChunkSize() {
        int b = 3;
        int t = 5;
        int h = 8;
        int v = 37;
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(4);
            NDArray hidden = m.randomNormal(new Shape(b, t, h)).toType(DataType.FLOAT64, false);
            NDArray head = m.randomNormal(new Shape(v, h)).toType(DataType.FLOAT64, false);
            NDArray targets = m.randomInteger(0, v, new Shape(b, t), DataType.INT64);
            double[] hs = hidden.toDoubleArray();
            double[] ws = head.toDoubleArray();
            long[] ts = targets.toLongArray();
            for (double temperature : new double[] {1.0, 0.7}) {
                double[] expectedLogp = new double[b * t];
                double[] expectedEnt = new double[b * t];
                for (int r = 0; r < b * t; r++) {
                    double[] logits = new double[v];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < v; k++) {
                        for (int j = 0; j < h; j++) {
                            logits[k] += hs[r * h + j] * ws[k * h + j];
                        }
                        logits[k] /= temperature;
                        max = Math.max(max, logits[k]);
                    }
                    double z = 0;
                    for (double l : logits) {
                        z += Math.exp(l - max);
                    }
                    double lse = max + Math.log(z);
                    expectedLogp[r] = logits[(int) ts[r]] - lse;
                    for (double l : logits) {
                        expectedEnt[r] -= Math.exp(l - lse) * (l - lse);
                    }
                }
                for (long chunk : new long[] {v, 2L * v, 4L * v, 1L << 20}) { // 1, 2, 4 rows, everything
                    TokenLogProbs.Result r = TokenLogProbs.compute(hidden, head, targets, temperature, true, chunk);
                    assertEquals(new Shape(b, t), r.logProbs().getShape());
                    double[] lp = r.logProbs().toDoubleArray();
                    double[] ent = r.entropies().toDoubleArray();
                    for (int i = 0; i < b * t; i++) {
                        assertEquals(expectedLogp[i], lp[i], 1e-10, "logp " + i + " chunk " + chunk);
                        assertEquals(expectedEnt[i], ent[i], 1e-10, "entropy " + i + " chunk " + chunk);
                    }
                }
            }
        }
    }
}
