package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.testing.ReferenceForward;
import io.zero4j.model.testing.TinyModels;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The DJL forward pass against a plain-Java float64 reference of the same maths. */
class ForwardParityTest {

    static List<ModelConfig> families() {
        return TinyModels.allFamilies();
    }

    @ParameterizedTest
    @MethodSource("families")
    void djlForwardMatchesFloat64Reference(ModelConfig config) {
        int[][] sequences = {{3, 17, 42, 5, 9, 60, 1, 0, 33, 12, 7}, {8, 2, 51}, {44, 44, 44, 13, 20, 6}};
        try (CausalLM model = TinyModels.sharpModel(config, 7, DataType.FLOAT32);
             NDManager m = NDManager.newBaseManager();
             NDScope ignored = new NDScope()) {
            ReferenceForward reference = new ReferenceForward(model);
            for (boolean left : new boolean[] {true, false}) {
                PaddedBatch batch = left ? PaddedBatch.leftPadded(List.of(sequences), 0)
                        : PaddedBatch.rightPadded(List.of(sequences), 0);
                NDArray hidden = model.forward(batch.idsArray(m), batch.maskArray(m), batch.positionsArray(m), null, 0);
                NDArray logits = model.logits(hidden);                                   // [B, T, V]
                double worst = 0;
                for (int r = 0; r < sequences.length; r++) {
                    double[][] expected = reference.logits(sequences[r]);
                    int offset = left ? batch.pad()[r] : 0;
                    for (int i = 0; i < sequences[r].length; i++) {
                        float[] actual = logits.get(new NDIndex("{}, {}, :", r, offset + i)).toFloatArray();
                        for (int v = 0; v < actual.length; v++) {
                            double err = Math.abs(actual[v] - expected[i][v]) / (1 + Math.abs(expected[i][v]));
                            worst = Math.max(worst, err);
                        }
                    }
                }
                assertTrue(worst < 1e-4, config.architecture() + (left ? " left" : " right")
                        + "-padded: worst relative error " + worst);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void logitsAreNotDegenerate(ModelConfig config) {
        // Guards the parity test against passing on a model whose output ignores its input.
        try (CausalLM model = TinyModels.sharpModel(config, 7, DataType.FLOAT32)) {
            ReferenceForward reference = new ReferenceForward(model);
            double[][] a = reference.logits(new int[] {1, 2, 3});
            double[][] b = reference.logits(new int[] {1, 2, 4});
            double diff = 0;
            double spread = 0;
            for (int v = 0; v < a[2].length; v++) {
                diff += Math.abs(a[2][v] - b[2][v]);
                spread = Math.max(spread, Math.abs(a[2][v] - a[2][0]));
            }
            assertTrue(diff > 1e-2, "last logits must depend on the last token");
            assertTrue(spread > 0.5, "logits must vary across the vocabulary");
            assertEquals(a[0][5], b[0][5], 1e-12, "causal: an earlier position ignores later tokens");
        }
    }
}
