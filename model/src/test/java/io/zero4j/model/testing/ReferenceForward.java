package io.zero4j.model.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ParameterLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * The same decoder maths in plain Java float64, loop by loop, with no DJL: the parity reference for
 * {@link CausalLM}. One unpadded sequence at positions 0..T-1.
 */
public final class ReferenceForward {
    private final ModelConfig c;
    private final Map<String, double[]> w = new HashMap<>();

    public ReferenceForward(CausalLM model) {
        this.c = model.config();
        model.parameters().forEach((name, p) -> {
            try (NDArray d = p.toType(DataType.FLOAT64, true)) {
                w.put(name, d.toDoubleArray());
            }
        });
    }

    /** Logits {@code [T][vocab]}. */
    public double[][] logits(int[] tokens) {
        int t = tokens.length;
        int h = c.hiddenSize();
        double[][] x = new double[t][];
        double[] embed = w.get(ParameterLayout.EMBED);
        for (int i = 0; i < t; i++) {
            x[i] = new double[h];
            System.arraycopy(embed, tokens[i] * h, x[i], 0, h);
        }
        for (int l = 0; l < c.numLayers(); l++) {
            double[][] attn = attention(l, norm(x, w.get(ParameterLayout.layer(l, "input_layernorm.weight"))));
            add(x, attn);
            double[][] n = norm(x, w.get(ParameterLayout.layer(l, "post_attention_layernorm.weight")));
            add(x, mlp(l, n));
        }
        double[][] out = norm(x, w.get(ParameterLayout.FINAL_NORM));
        double[] head = c.tieWordEmbeddings() ? embed : w.get(ParameterLayout.LM_HEAD);
        return linear(out, head, null, c.vocabSize());
    }

    private double[][] attention(int l, double[][] x) {
        int t = x.length;
        int d = c.headDim();
        int nh = c.numHeads();
        int nkv = c.numKvHeads();
        double[][] q = linear(x, w.get(ParameterLayout.layer(l, "self_attn.q_proj.weight")),
                w.get(ParameterLayout.layer(l, "self_attn.q_proj.bias")), nh * d);
        double[][] k = linear(x, w.get(ParameterLayout.layer(l, "self_attn.k_proj.weight")),
                w.get(ParameterLayout.layer(l, "self_attn.k_proj.bias")), nkv * d);
        double[][] v = linear(x, w.get(ParameterLayout.layer(l, "self_attn.v_proj.weight")),
                w.get(ParameterLayout.layer(l, "self_attn.v_proj.bias")), nkv * d);
        double[] invFreq = inverseFrequencies();
        for (int i = 0; i < t; i++) {
            for (int hh = 0; hh < nh; hh++) {
                headTransform(q[i], hh * d, l, "q_norm", i, invFreq);
            }
            for (int hh = 0; hh < nkv; hh++) {
                headTransform(k[i], hh * d, l, "k_norm", i, invFreq);
            }
        }
        double[][] out = new double[t][nh * d];
        int group = nh / nkv;
        for (int hh = 0; hh < nh; hh++) {
            int kvh = hh / group;
            for (int i = 0; i < t; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int e = 0; e < d; e++) {
                        dot += q[i][hh * d + e] * k[j][kvh * d + e];
                    }
                    s[j] = dot / Math.sqrt(d);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int e = 0; e < d; e++) {
                        out[i][hh * d + e] += s[j] / sum * v[j][kvh * d + e];
                    }
                }
            }
        }
        return linear(out, w.get(ParameterLayout.layer(l, "self_attn.o_proj.weight")),
                w.get(ParameterLayout.layer(l, "self_attn.o_proj.bias")), c.hiddenSize());
    }

    /** Optional per-head RMSNorm (Qwen3), then RoPE rotate-half, in place on {@code v[off, off+d)}. */
    private void headTransform(double[] v, int off, int l, String normName, int pos, double[] invFreq) {
        int d = c.headDim();
        if (c.qkNorm()) {
            double[] g = w.get(ParameterLayout.layer(l, "self_attn." + normName + ".weight"));
            double ss = 0;
            for (int e = 0; e < d; e++) {
                ss += v[off + e] * v[off + e];
            }
            double r = 1 / Math.sqrt(ss / d + c.rmsNormEps());
            for (int e = 0; e < d; e++) {
                v[off + e] = v[off + e] * r * g[e];
            }
        }
        int half = d / 2;
        for (int e = 0; e < half; e++) {
            double angle = pos * invFreq[e];
            double x1 = v[off + e];
            double x2 = v[off + e + half];
            v[off + e] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
            v[off + e + half] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
        }
    }

    private double[] inverseFrequencies() {
        int half = c.headDim() / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim());
        }
        return c.ropeScaling() == null ? inv : c.ropeScaling().apply(inv);
    }

    private double[][] mlp(int l, double[][] x) {
        int inter = c.intermediateSize();
        double[][] gate = linear(x, w.get(ParameterLayout.layer(l, "mlp.gate_proj.weight")), null, inter);
        double[][] up = linear(x, w.get(ParameterLayout.layer(l, "mlp.up_proj.weight")), null, inter);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < inter; j++) {
                double g = gate[i][j];
                gate[i][j] = g / (1 + Math.exp(-g)) * up[i][j];
            }
        }
        return linear(gate, w.get(ParameterLayout.layer(l, "mlp.down_proj.weight")), null, c.hiddenSize());
    }

    private double[][] norm(double[][] x, double[] g) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ss = 0;
            for (double v : x[i]) {
                ss += v * v;
            }
            double r = 1 / Math.sqrt(ss / x[i].length + c.rmsNormEps());
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j] * r * g[j];
            }
        }
        return out;
    }

    /** {@code x [T][in] * W^T} with W stored {@code [out][in]} row-major. */
    private static double[][] linear(double[][] x, double[] weight, double[] bias, int outDim) {
        int in = x[0].length;
        double[][] y = new double[x.length][outDim];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < outDim; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int j = 0; j < in; j++) {
                    s += x[i][j] * weight[o * in + j];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] delta) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += delta[i][j];
            }
        }
    }
}
