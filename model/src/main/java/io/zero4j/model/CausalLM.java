package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.zero4j.model.lora.LoraAdapters;
import java.util.Collections;
import java.util.Map;

/**
 * The Llama / Qwen2 / Qwen3 decoder on DJL, with Hugging Face transformers' semantics: token
 * embedding, then per layer {@code x += o(attn(rope(q), rope(k), v))} on RMSNorm'd input and
 * {@code x += down(silu(gate(x)) * up(x))} on RMSNorm'd input, then a final RMSNorm. The families
 * differ only in {@link ModelConfig} flags: q/k/v bias, output bias, q/k RMSNorm, tied embeddings.
 *
 * <p>One function serves training, scoring, prefill and decoding: {@link #forward} takes the new
 * tokens, a key mask over every slot they may attend to, their RoPE positions, and optionally a
 * {@link KvCache} to append to. Callers run it inside an {@code NDScope}; results live in the
 * manager of {@code inputIds}.
 *
 * <p>{@link #withAdapters} gives the same model with LoRA adapters on some projections
 * ({@code x W^T + (alpha / r) (x A^T) B^T}); only the adapters train then, and {@link #base()} is the
 * model without them, on the same weights.
 */
public final class CausalLM implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final Layer[] layers;
    private final NDArray embed;
    private final NDArray finalNorm;
    private final NDArray lmHead;
    private final NDArray invFreq;
    /** {@code 1 / sqrt(head_dim)}, made once in libtorch's memory ({@link Constants}). */
    private final NDArray attentionScale;
    private final LoraAdapters lora;
    private final CausalLM base;

    /** The parameters of one decoder layer; q/k-norm fields are null when the config has none. */
    private record Layer(NDArray inputNorm, Projection q, Projection k, Projection v, NDArray qNorm, NDArray kNorm,
                         Projection o, NDArray postNorm, Projection gate, Projection up, Projection down) {
    }

    /**
     * Wraps parameters (Hugging Face names, all of one dtype, owned by {@code manager}, which this
     * model closes).
     */
    public CausalLM(ModelConfig config, Map<String, NDArray> parameters, NDManager manager) {
        this(config, Collections.unmodifiableMap(parameters), manager, null, null);
    }

    private CausalLM(ModelConfig config, Map<String, NDArray> parameters, NDManager manager, LoraAdapters lora,
                     CausalLM base) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.lora = lora;
        this.base = base;
        this.layers = new Layer[config.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(p(i, ParameterLayout.INPUT_NORM),
                    projection(i, ParameterLayout.Q_PROJ, ParameterLayout.Q_BIAS),
                    projection(i, ParameterLayout.K_PROJ, ParameterLayout.K_BIAS),
                    projection(i, ParameterLayout.V_PROJ, ParameterLayout.V_BIAS),
                    opt(i, ParameterLayout.Q_NORM), opt(i, ParameterLayout.K_NORM),
                    projection(i, ParameterLayout.O_PROJ, ParameterLayout.O_BIAS), p(i, ParameterLayout.POST_NORM),
                    projection(i, ParameterLayout.GATE_PROJ, null), projection(i, ParameterLayout.UP_PROJ, null),
                    projection(i, ParameterLayout.DOWN_PROJ, null));
        }
        this.embed = require(ParameterLayout.EMBED);
        this.finalNorm = require(ParameterLayout.FINAL_NORM);
        this.lmHead = config.tieWordEmbeddings() ? embed : require(ParameterLayout.LM_HEAD);
        this.invFreq = manager.create(RotaryEmbedding.inverseFrequencies(config)).toType(dataType(), false);
        this.attentionScale = Constants.scalar(manager, 1.0 / Math.sqrt(config.headDim()));
    }

    /**
     * This model with {@code adapters} on its projections, sharing its weights. The result owns both:
     * closing it closes the adapters and this model; do not close this model on its own.
     */
    public CausalLM withAdapters(LoraAdapters adapters) {
        if (lora != null) {
            throw new IllegalStateException("the model already has adapters");
        }
        return new CausalLM(config, parameters, manager, adapters, this);
    }

    /** The adapters, or null for a plain model. */
    public LoraAdapters adapters() {
        return lora;
    }

    /** The model without adapters on the same weights (this model when it has none). */
    public CausalLM base() {
        return base == null ? this : base;
    }

    /** What training updates: the adapters when there are any, otherwise every parameter. */
    public Map<String, NDArray> trainableParameters() {
        return lora == null ? parameters : lora.parameters();
    }

    /**
     * A weight as a plain model would hold it: with adapters, {@code W + (alpha / r) B A} (a new array the
     * caller closes) for an adapted weight; the parameter itself otherwise.
     */
    public NDArray exportedWeight(String name) {
        NDArray w = require(name);
        return lora == null ? w : lora.merged(name, w);
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** Parameters by Hugging Face name, in checkpoint order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    public DataType dataType() {
        return embed.getDataType();
    }

    /** The output projection {@code [vocab, hidden]} (the embedding when tied). */
    public NDArray lmHead() {
        return lmHead;
    }

    /**
     * Runs the decoder over new tokens and returns the final-normed hidden states.
     *
     * @param inputIds   {@code [B, T]} int64 token ids
     * @param keyMask    {@code [B, S]} 1 where a slot holds a real token, 0 for padding; S is
     *                   {@code cacheStart + T} with a cache, T without; null means all real
     * @param positions  {@code [B, T]} int64 RoPE positions
     * @param cache      keys and values to append to (rows = B), or null for a self-contained pass
     * @param cacheStart the slot the first new token goes to (0 without a cache)
     * @return {@code [B, T, hidden]}
     */
    public NDArray forward(NDArray inputIds, NDArray keyMask, NDArray positions, KvCache cache, int cacheStart) {
        long b = inputIds.getShape().get(0);
        long t = inputIds.getShape().get(1);
        int keyLength = Math.toIntExact(cacheStart + t);
        NDArray x = embedTokens(inputIds);                                                                // [B, T, H]
        NDArray bias = AttentionBias.of(inputIds.getManager(), keyMask, cacheStart, (int) t, keyLength, dataType());     // [B, 1, T, S]
        NDArray[] rope = RotaryEmbedding.cosSin(positions, invFreq);                                      // 2 x [B, 1, T, D]
        for (int l = 0; l < layers.length; l++) {
            x = layer(l, x, bias, rope, cache, cacheStart, keyLength);
        }
        return rmsNorm(x, finalNorm);
    }

    /** {@code [B, T, H] -> [B, T, H]}: one decoder layer, residuals included. */
    NDArray layer(int l, NDArray x, NDArray bias, NDArray[] rope, KvCache cache, int cacheStart, int keyLength) {
        x = x.add(attention(l, rmsNorm(x, layers[l].inputNorm()), bias, rope, cache, cacheStart, keyLength));
        return x.add(mlp(layers[l], rmsNorm(x, layers[l].postNorm())));
    }

    /** The stages of {@code forward(inputIds, keyMask, positions, null, 0)}, for running it one layer at a time. */
    public Stages stages(NDArray inputIds, NDArray keyMask, NDArray positions) {
        return new Stages(this, inputIds, AttentionBias.of(inputIds.getManager(), keyMask, 0,
                Math.toIntExact(inputIds.getShape().get(1)), Math.toIntExact(inputIds.getShape().get(1)), dataType()),
                RotaryEmbedding.cosSin(positions, invFreq));
    }

    /** {@code [B, T] -> [B, T, H]}: token embeddings. */
    NDArray embedTokens(NDArray inputIds) {
        return embed.get(new NDIndex("{}", inputIds.flatten())).reshape(inputIds.getShape().get(0),
                inputIds.getShape().get(1), config.hiddenSize());
    }

    NDArray finalNorm(NDArray x) {
        return rmsNorm(x, finalNorm);
    }

    int layerCount() {
        return layers.length;
    }

    private NDArray attention(int l, NDArray x, NDArray bias, NDArray[] rope, KvCache cache, int cacheStart,
                              int keyLength) {
        Layer w = layers[l];
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int d = config.headDim();
        int group = heads / kvHeads;
        NDArray q = project(x, w.q()).reshape(b, t, heads, d).transpose(0, 2, 1, 3);   // [B, nH, T, D]
        NDArray k = project(x, w.k()).reshape(b, t, kvHeads, d).transpose(0, 2, 1, 3); // [B, nKV, T, D]
        NDArray v = project(x, w.v()).reshape(b, t, kvHeads, d).transpose(0, 2, 1, 3); // [B, nKV, T, D]
        if (config.qkNorm()) {
            q = rmsNorm(q, w.qNorm());
            k = rmsNorm(k, w.kNorm());
        }
        q = RotaryEmbedding.apply(q, rope);
        k = RotaryEmbedding.apply(k, rope);
        if (cache != null) {
            cache.write(l, cacheStart, k, v);
            k = cache.keys(l, keyLength);                                                       // [B, nKV, S, D]
            v = cache.values(l, keyLength);                                                     // [B, nKV, S, D]
        }
        // Grouped-query attention without copying K/V: the G query heads of one KV head share a matmul.
        NDArray qGrouped = q.reshape(b, kvHeads, group * t, d);                                // [B, nKV, G*T, D]
        NDArray scores = qGrouped.matMul(k.transpose(0, 1, 3, 2))                              // [B, nKV, G*T, S]
                .reshape(b, heads, t, keyLength)                                                // [B, nH, T, S]
                .mul(attentionScale);
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray probs = scores.softmax(-1).reshape(b, kvHeads, group * t, keyLength);           // [B, nKV, G*T, S]
        NDArray out = probs.matMul(v)                                                           // [B, nKV, G*T, D]
                .reshape(b, heads, t, d).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * d); // [B, T, nH*D]
        return project(out, w.o());                                                             // [B, T, H]
    }

    private NDArray mlp(Layer w, NDArray x) {
        NDArray gate = project(x, w.gate());                                                    // [B, T, I]
        NDArray up = project(x, w.up());                                                        // [B, T, I]
        return project(gate.mul(Activation.sigmoid(gate)).mul(up), w.down());                   // [B, T, H]
    }

    private NDArray project(NDArray x, Projection p) {
        return p.apply(x, lora);
    }

    /** RMSNorm over the last axis: {@code w * x / sqrt(mean(x^2) + eps)}. */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray rms = x.square().mean(new int[] {-1}, true).add(config.rmsNormEps()).sqrt();
        return x.div(rms).mul(weight);
    }

    /** Logits {@code [..., vocab]} of hidden states; only for short inputs (see {@link TokenLogProbs}). */
    public NDArray logits(NDArray hidden) {
        return hidden.matMul(lmHead.transpose());
    }

    /** The hidden state of the last slot of every row: {@code [B, T, H] -> [B, H]}. */
    public static NDArray lastPosition(NDArray hidden) {
        return hidden.get(new NDIndex(":, -1, :"));
    }

    /** Starts or stops recording gradients for the {@link #trainableParameters()} (and adapter dropout). */
    public void setTrainable(boolean trainable) {
        if (lora != null) {
            lora.setTraining(trainable);
        } else {
            parameters.values().forEach(p -> p.setRequiresGradient(trainable));
        }
    }

    private Projection projection(int layer, String weight, String bias) {
        String name = ParameterLayout.layer(layer, weight);
        return new Projection(require(name), bias == null ? null : opt(layer, bias), lora == null ? null : lora.of(name));
    }

    private NDArray p(int layer, String suffix) {
        return require(ParameterLayout.layer(layer, suffix));
    }

    private NDArray opt(int layer, String suffix) {
        return parameters.get(ParameterLayout.layer(layer, suffix));
    }

    private NDArray require(String name) {
        NDArray a = parameters.get(name);
        if (a == null) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        return a;
    }

    @Override
    public void close() {
        if (lora != null) {
            lora.close();
            base.close();
        } else {
            manager.close();
        }
    }
}
