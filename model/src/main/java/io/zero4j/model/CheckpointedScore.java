package io.zero4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CompletionBatch#score} with activation checkpointing: the forward pass runs without a graph
 * and keeps only each decoder layer's input; {@link #backward} then takes the loss's gradient with
 * respect to the log-probabilities and walks back, recomputing one piece at a time with autograd on:
 * the output head a chunk of rows at a time (so no {@code [tokens, vocab]} graph is ever kept), the
 * final norm, each layer from the last to the first (its input's gradient feeds the layer below), and
 * the embedding. Parameter gradients accumulate as one backward pass would put them (the same sums,
 * in another order). Memory: the layer inputs ({@code L x [B, T, H]}) plus one layer's activations,
 * instead of every layer's. The recomputation must see what the forward saw, so adapter dropout is
 * not allowed here.
 */
public final class CheckpointedScore {
    private final CausalLM model;
    private final Stages stages;
    private final List<NDArray> layerInputs;
    private final NDArray predicting;
    private final NDArray targets;
    private final int promptWidth;
    private final double temperature;
    private final long maxChunkElements;
    private final NDArray logProbs;
    private final NDArray entropies;

    private CheckpointedScore(CausalLM model, Stages stages, List<NDArray> layerInputs, NDArray predicting, NDArray targets,
                              int promptWidth, double temperature, long maxChunkElements, TokenLogProbs.Result scored) {
        this.model = model;
        this.stages = stages;
        this.layerInputs = layerInputs;
        this.predicting = predicting;
        this.targets = targets;
        this.promptWidth = promptWidth;
        this.temperature = temperature;
        this.maxChunkElements = maxChunkElements;
        this.logProbs = scored.logProbs();
        this.entropies = scored.entropies();
    }

    /** The forward pass, without gradients; arrays live in {@code m}'s scope as {@code score}'s would. */
    public static CheckpointedScore forward(CausalLM model, CompletionBatch batch, NDManager m, double temperature,
                                            boolean withEntropy) {
        if (model.adapters() != null && model.adapters().training() && model.adapters().config().dropout() > 0) {
            throw new IllegalStateException("activation checkpointing recomputes layers: adapter dropout would differ");
        }
        boolean grad = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try {
            Stages stages = model.stages(batch.idsArray(m), batch.attentionArray(m), batch.positionsArray(m));
            List<NDArray> inputs = new ArrayList<>();
            NDArray x = stages.embed();                                                       // [B, W+C, H]
            for (int l = 0; l < stages.layers(); l++) {
                inputs.add(x);
                try (NDScope ignored = new NDScope()) { // the layer's intermediates go now; only its output stays
                    x = stages.layer(l, x);
                    NDScope.unregister(x);
                }
                NDScope.register(x); // to the caller's scope, as the rest
            }
            inputs.add(x); // the final norm's input
            NDArray predicting = slice(stages.finalNorm(x), batch.promptWidth(), batch.completionWidth()); // [B, C, H]
            NDArray targets = batch.completionIdsArray(m);                                    // [B, C]
            TokenLogProbs.Result scored = TokenLogProbs.compute(predicting, model.lmHead(), targets, temperature,
                    withEntropy, TokenLogProbs.DEFAULT_CHUNK_ELEMENTS);
            return new CheckpointedScore(model, stages, inputs, predicting, targets, batch.promptWidth(), temperature,
                    TokenLogProbs.DEFAULT_CHUNK_ELEMENTS, scored);
        } finally {
            Autograd.setEnabledOnThisThread(grad);
        }
    }

    private static NDArray slice(NDArray hidden, int promptWidth, int completionWidth) {
        return hidden.get(new NDIndex(":, {}:{}, :", promptWidth - 1, promptWidth - 1 + completionWidth));
    }

    /** {@code [B, C]} log-probabilities of the completion tokens, detached. */
    public NDArray logProbs() {
        return logProbs;
    }

    /** {@code [B, C]} entropies, or null when not asked for. */
    public NDArray entropies() {
        return entropies;
    }

    /** Accumulates into the trainable parameters' gradients the gradient of a loss whose gradient in the log-probabilities is {@code dLogProbs [B, C]}. */
    public void backward(NDArray dLogProbs) {
        NDArray dPredicting = headBackward(dLogProbs);                                        // [B, C, H]
        int last = layerInputs.size() - 1;
        NDArray dx = through(layerInputs.get(last), x -> slice(stages.finalNorm(x), promptWidth,
                (int) predicting.getShape().get(1)), dPredicting);                            // [B, W+C, H]
        for (int l = last - 1; l >= 0; l--) {
            int layer = l;
            dx = through(layerInputs.get(l), x -> stages.layer(layer, x), dx);
        }
        if (model.adapters() != null) {
            return; // the embedding is frozen under LoRA
        }
        NDArray dEmbedded = dx;
        try (NDScope ignored = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(stages.embed().mul(dEmbedded).sum());
        }
    }

    /** The gradient with respect to {@code predicting}, the output head's gradient accumulated, a chunk of rows at a time. */
    private NDArray headBackward(NDArray dLogProbs) {
        long b = predicting.getShape().get(0);
        long c = predicting.getShape().get(1);
        long h = predicting.getShape().get(2);
        long rows = b * c;
        long chunk = Math.max(1, Math.min(rows, maxChunkElements / model.lmHead().getShape().get(0)));
        NDArray flat = predicting.reshape(rows, h);                                           // [N, H]
        NDArray flatTargets = targets.reshape(rows, 1);                                       // [N, 1]
        NDArray flatGrad = dLogProbs.reshape(rows, 1).toType(flat.getDataType(), false);      // [N, 1]
        List<NDArray> parts = new ArrayList<>();
        for (long start = 0; start < rows; start += chunk) {
            NDIndex range = new NDIndex("{}:{}", start, Math.min(rows, start + chunk));
            NDArray piece = flat.get(range);
            parts.add(through(piece, p -> TokenLogProbs.logSoftmax(p, model.lmHead().transpose(), temperature) // with grad
                    .gather(flatTargets.get(range), 1), flatGrad.get(range)));                 // [n, 1] per row
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);    // [N, H]
        return all.reshape(new Shape(b, c, h));
    }

    /** One recomputed piece: runs {@code f} on a fresh leaf copy of {@code input}, back-propagates {@code upstream}, returns the input's gradient. */
    private static NDArray through(NDArray input, java.util.function.UnaryOperator<NDArray> f, NDArray upstream) {
        NDArray leaf = input.stopGradient().duplicate();
        leaf.setRequiresGradient(true);
        NDArray grad;
        try (NDScope ignored = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(f.apply(leaf).mul(upstream).sum());
            grad = leaf.getGradient().duplicate();
            NDScope.unregister(grad);
        }
        NDScope.register(grad);
        leaf.close();
        return grad;
    }
}
