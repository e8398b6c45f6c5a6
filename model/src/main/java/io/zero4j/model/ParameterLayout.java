package io.zero4j.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tensor a config needs, under its Hugging Face name, with its shape, in checkpoint order.
 * Loading, random initialisation and export all walk this one list.
 */
public final class ParameterLayout {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /** Each decoder layer's tensors, as suffixes of {@code model.layers.N.}; {@link CausalLM} reads the same names. */
    public static final String INPUT_NORM = "input_layernorm.weight";
    public static final String Q_PROJ = "self_attn.q_proj.weight";
    public static final String K_PROJ = "self_attn.k_proj.weight";
    public static final String V_PROJ = "self_attn.v_proj.weight";
    public static final String Q_BIAS = "self_attn.q_proj.bias";
    public static final String K_BIAS = "self_attn.k_proj.bias";
    public static final String V_BIAS = "self_attn.v_proj.bias";
    public static final String Q_NORM = "self_attn.q_norm.weight";
    public static final String K_NORM = "self_attn.k_norm.weight";
    public static final String O_PROJ = "self_attn.o_proj.weight";
    public static final String O_BIAS = "self_attn.o_proj.bias";
    public static final String POST_NORM = "post_attention_layernorm.weight";
    public static final String GATE_PROJ = "mlp.gate_proj.weight";
    public static final String UP_PROJ = "mlp.up_proj.weight";
    public static final String DOWN_PROJ = "mlp.down_proj.weight";

    private ParameterLayout() {
    }

    public static String layer(int i, String suffix) {
        return "model.layers." + i + "." + suffix;
    }

    /** Name to shape ({@code long[]}, row-major as stored), in the order we write them. */
    public static Map<String, long[]> shapes(ModelConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        m.put(EMBED, new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numLayers(); i++) {
            m.put(layer(i, INPUT_NORM), new long[] {h});
            m.put(layer(i, Q_PROJ), new long[] {q, h});
            m.put(layer(i, K_PROJ), new long[] {kv, h});
            m.put(layer(i, V_PROJ), new long[] {kv, h});
            if (c.qkvBias()) {
                m.put(layer(i, Q_BIAS), new long[] {q});
                m.put(layer(i, K_BIAS), new long[] {kv});
                m.put(layer(i, V_BIAS), new long[] {kv});
            }
            if (c.qkNorm()) {
                m.put(layer(i, Q_NORM), new long[] {c.headDim()});
                m.put(layer(i, K_NORM), new long[] {c.headDim()});
            }
            m.put(layer(i, O_PROJ), new long[] {h, q});
            if (c.outputBias()) {
                m.put(layer(i, O_BIAS), new long[] {h});
            }
            m.put(layer(i, POST_NORM), new long[] {h});
            m.put(layer(i, GATE_PROJ), new long[] {inter, h});
            m.put(layer(i, UP_PROJ), new long[] {inter, h});
            m.put(layer(i, DOWN_PROJ), new long[] {h, inter});
        }
        m.put(FINAL_NORM, new long[] {h});
        if (!c.tieWordEmbeddings()) {
            m.put(LM_HEAD, new long[] {c.vocabSize(), h});
        }
        return m;
    }

    public static boolean isNormWeight(String name) {
        return name.endsWith("norm.weight");
    }
}
