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
            m.put(layer(i, "input_layernorm.weight"), new long[] {h});
            m.put(layer(i, "self_attn.q_proj.weight"), new long[] {q, h});
            m.put(layer(i, "self_attn.k_proj.weight"), new long[] {kv, h});
            m.put(layer(i, "self_attn.v_proj.weight"), new long[] {kv, h});
            if (c.qkvBias()) {
                m.put(layer(i, "self_attn.q_proj.bias"), new long[] {q});
                m.put(layer(i, "self_attn.k_proj.bias"), new long[] {kv});
                m.put(layer(i, "self_attn.v_proj.bias"), new long[] {kv});
            }
            if (c.qkNorm()) {
                m.put(layer(i, "self_attn.q_norm.weight"), new long[] {c.headDim()});
                m.put(layer(i, "self_attn.k_norm.weight"), new long[] {c.headDim()});
            }
            m.put(layer(i, "self_attn.o_proj.weight"), new long[] {h, q});
            if (c.outputBias()) {
                m.put(layer(i, "self_attn.o_proj.bias"), new long[] {h});
            }
            m.put(layer(i, "post_attention_layernorm.weight"), new long[] {h});
            m.put(layer(i, "mlp.gate_proj.weight"), new long[] {inter, h});
            m.put(layer(i, "mlp.up_proj.weight"), new long[] {inter, h});
            m.put(layer(i, "mlp.down_proj.weight"), new long[] {h, inter});
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
