package io.zero4j.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CompletionBatch;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.FinishReason;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.trainer.grpo.BehaviorCorrection;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.optim.AdamW;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The update against a sampler whose log-probabilities differ from the learner's: the mismatch is
 * measured on the batch's tokens, and a row whose weight leaves the band is masked out of the loss
 * (it moves no weight, and its tokens leave the normalisers).
 */
class BehaviorCorrectionUpdateTest {
    static final List<int[]> PROMPTS = List.of(new int[] {3, 9, 14}, new int[] {7, 2});
    static final List<int[]> COMPLETIONS = List.of(new int[] {5, 11, 30, 2}, new int[] {8, 8, 40});
    static final BehaviorCorrection BAND = new BehaviorCorrection(BehaviorCorrection.Level.TOKEN, 2.0, 0.5, 2.0);

    /** Row 0 sampled by the learner itself; row 1 by a sampler 2 nats per token less sure (weight e^2). */
    private static ScoredBatch batch(CausalLM model, double[] advantages) {
        float[][] learner = new float[2][];
        boolean gradWas = Autograd.enabledOnThisThread();
        try (NDManager m = model.manager().newSubManager()) {
            Autograd.disableOnThisThread();
            float[] all = CompletionBatch.of(PROMPTS, COMPLETIONS).score(model, m, 1.0, false).logProbs().toFloatArray();
            Autograd.setEnabledOnThisThread(gradWas); // as it was: later tests on this thread rely on it
            for (int r = 0; r < 2; r++) {
                learner[r] = Arrays.copyOfRange(all, r * 4, r * 4 + COMPLETIONS.get(r).length);
            }
        }
        List<Completion> rows = new ArrayList<>();
        double[][] perToken = new double[2][];
        for (int r = 0; r < 2; r++) {
            float[] behaviour = learner[r].clone();
            for (int t = 0; t < behaviour.length && r == 1; t++) {
                behaviour[t] -= 2f;
            }
            rows.add(new Completion(r, 0, COMPLETIONS.get(r), behaviour, "", FinishReason.STOP));
            perToken[r] = new double[COMPLETIONS.get(r).length];
            Arrays.fill(perToken[r], advantages[r]);
        }
        return new ScoredBatch(List.of(), new RolloutBatch(PROMPTS, 1, rows), new double[2], Map.of(), perToken,
                new boolean[] {true, true}, true);
    }

    private static GrpoUpdate update(CausalLM model, AdamW adam) {
        return update(model, adam, BAND);
    }

    private static GrpoUpdate update(CausalLM model, AdamW adam, BehaviorCorrection correction) {
        GrpoSettings s = new GrpoSettings(0.2, 0.2, 0, GrpoSettings.LossType.DAPO, GrpoSettings.ScaleRewards.GROUP,
                GrpoSettings.ImportanceSamplingLevel.TOKEN, 8);
        return new GrpoUpdate(model, null, adam, s, 1.0, new GrpoUpdate.Batching(2, 1, 0.0, false), correction);
    }

    @Test
    void measuresTheMismatchAndMasksTheRowOutsideTheBand() {
        try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32)) {
            AdamW adam = new AdamW(model.parameters(), model.manager(), 0.9, 0.999, 1e-8, 0.0);
            GrpoUpdate.Stats stats = update(model, adam).apply(batch(model, new double[] {1.0, -1.0}), 1, n -> 0.01);
            assertEquals(3.0 / 7, stats.maskedTokenShare(), 1e-12, "row 1's 3 of the 7 tokens");
            assertEquals(Math.exp(2), stats.isWeightMax(), 1e-3);
            assertEquals((4 * 1 + 3 * Math.exp(2)) / 7, stats.isWeightMean(), 1e-3);
            assertEquals(3 * (Math.exp(2) - 1 - 2) / 7, stats.mismatchKl(), 1e-3, "k3 per token: 0 on row 0");
        }
    }

    @Test
    void aMaskedRowMovesNoWeight() {
        try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32)) {
            AdamW adam = new AdamW(model.parameters(), model.manager(), 0.9, 0.999, 1e-8, 0.0);
            float[] before = model.parameters().get("model.norm.weight").toFloatArray();
            GrpoUpdate.Stats stats = update(model, adam).apply(batch(model, new double[] {0.0, 5.0}), 1, n -> 0.01);
            assertEquals(1, stats.optimizerSteps());
            assertArrayEquals(before, model.parameters().get("model.norm.weight").toFloatArray(), 0f,
                    "only the masked row had an advantage");
            float[] moved = model.parameters().get("model.norm.weight").toFloatArray();
            update(model, adam).apply(batch(model, new double[] {5.0, 0.0}), 1, n -> 0.01);
            assertTrue(!Arrays.equals(moved, model.parameters().get("model.norm.weight").toFloatArray()),
                    "the kept row does move the weights");
        }
    }

    @Test
    void withBehaviorAsOldTheClipBandMeasuresTheDistanceFromTheSampler() {
        BehaviorCorrection bypass = new BehaviorCorrection(BehaviorCorrection.Level.NONE, 1, 0, 0,
                BehaviorCorrection.OldLogProbs.BEHAVIOR);
        try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32)) {
            AdamW adam = new AdamW(model.parameters(), model.manager(), 0.9, 0.999, 1e-8, 0.0);
            float[] before = model.parameters().get("model.norm.weight").toFloatArray();
            // row 1's ratio to its sampler is e^2, past 1 + epsilon_high with A > 0: clipped, no gradient
            GrpoUpdate.Stats stats = update(model, adam, bypass).apply(batch(model, new double[] {0.0, 5.0}), 1, n -> 0.01);
            assertEquals(3.0 / 7, stats.clipHighFraction(), 1e-12, stats.toString());
            assertArrayEquals(before, model.parameters().get("model.norm.weight").toFloatArray(), 0f);
            assertEquals(Math.exp(2), stats.isWeightMax(), 1e-3, "the mismatch is still measured");
            BehaviorCorrection learnerOld = new BehaviorCorrection(BehaviorCorrection.Level.NONE, 1, 0, 0);
            update(model, adam, learnerOld).apply(batch(model, new double[] {0.0, 5.0}), 1, n -> 0.01);
            assertTrue(!Arrays.equals(before, model.parameters().get("model.norm.weight").toFloatArray()),
                    "against the learner's own log-probabilities the same row does move the weights");
        }
    }
}
