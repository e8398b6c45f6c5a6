package io.zero4j.trainer.bench;

import io.zero4j.model.ModelConfig;

/**
 * What one token costs a model of a given shape, for the bounds the benchmarks compare against:
 * multiply-adds in the decoder's projections, in the output head, and in attention over a context,
 * and the bytes of weights a decode step reads.
 */
public record ShapeCost(ModelConfig config) {
    /** Parameters that take part in a matmul per token, the output head excluded. */
    public double bodyParameters() {
        ModelConfig c = config;
        double perLayer = (double) c.hiddenSize() * c.headDim() * (c.numHeads() + 2.0 * c.numKvHeads())
                + (double) c.numHeads() * c.headDim() * c.hiddenSize() + 3.0 * c.hiddenSize() * c.intermediateSize();
        return perLayer * c.numLayers();
    }

    /** Forward FLOPs of the decoder body for one token. */
    public double bodyFlop() {
        return 2.0 * bodyParameters();
    }

    /** Forward FLOPs of the output head for one token. */
    public double headFlop() {
        return 2.0 * config.vocabSize() * config.hiddenSize();
    }

    /** Forward FLOPs of attention for one token that sees {@code context} keys (scores and weighted sum). */
    public double attentionFlop(double context) {
        return 4.0 * config.numLayers() * context * config.numHeads() * config.headDim();
    }

    /** Float32 bytes a decode step reads for its weights (body and head). */
    public double weightBytes() {
        return 4.0 * (bodyParameters() + (double) config.vocabSize() * config.hiddenSize());
    }
}
