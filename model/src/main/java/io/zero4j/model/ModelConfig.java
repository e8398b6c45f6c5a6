package io.zero4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a decoder-only model, read from and written to a Hugging Face {@code config.json}.
 *
 * @param qkvBias        q/k/v projections carry a bias (Qwen2 always; Llama and Qwen3 when
 *                       {@code attention_bias})
 * @param outputBias     the attention output projection carries a bias (Llama and Qwen3 when
 *                       {@code attention_bias}; never Qwen2)
 * @param qkNorm         q and k pass an RMSNorm over {@code head_dim} before RoPE (Qwen3)
 * @param ropeScaling    Llama 3 frequency scaling, or null
 * @param bosTokenId     null when the config has none
 */
public record ModelConfig(
        Architecture architecture,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int vocabSize,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean qkNorm,
        int maxPositionEmbeddings,
        Integer bosTokenId,
        List<Integer> eosTokenIds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        if (numHeads % numKvHeads != 0) {
            throw new UserInputException("config.json: num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new UserInputException("config.json: head_dim (" + headDim + ") must be even for RoPE");
        }
    }

    /** A config in one family's conventions: the bias and norm flags follow from the architecture. */
    public static ModelConfig of(Architecture arch, int hidden, int intermediate, int layers, int heads, int kvHeads,
                                 int vocab, boolean tied, int maxPositions) {
        return new ModelConfig(arch, hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-6, 1_000_000.0,
                null, vocab, tied, arch == Architecture.QWEN2, false, arch == Architecture.QWEN3, maxPositions, null,
                List.of(vocab - 1));
    }

    public ModelConfig withEos(List<Integer> eos, Integer bos) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, ropeScaling, vocabSize, tieWordEmbeddings, qkvBias, outputBias, qkNorm,
                maxPositionEmbeddings, bos, eos);
    }

    public ModelConfig withRopeScaling(RopeScaling scaling) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, scaling, vocabSize, tieWordEmbeddings, qkvBias, outputBias, qkNorm,
                maxPositionEmbeddings, bosTokenId, eosTokenIds);
    }

    public ModelConfig withRopeTheta(double theta) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, theta, ropeScaling, vocabSize, tieWordEmbeddings, qkvBias, outputBias, qkNorm,
                maxPositionEmbeddings, bosTokenId, eosTokenIds);
    }

    public ModelConfig withHeadDim(int dim) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, dim,
                rmsNormEps, ropeTheta, ropeScaling, vocabSize, tieWordEmbeddings, qkvBias, outputBias, qkNorm,
                maxPositionEmbeddings, bosTokenId, eosTokenIds);
    }

    public static ModelConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read JSON: " + JsonErrors.describe(e));
        }
        return parse(root, file.toString());
    }

    public static ModelConfig parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new UserInputException(source + ": expected a JSON object");
        }
        JsonNode archs = root.get("architectures");
        if (archs == null || !archs.isArray() || archs.isEmpty()) {
            throw new UserInputException(source + ": field 'architectures': expected a list such as [\"Qwen2ForCausalLM\"]");
        }
        Architecture arch = Architecture.fromHfClassName(archs.get(0).asText(), source);
        Fields f = new Fields(root, source);
        String act = f.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new UserInputException(source + ": field 'hidden_act': '" + act + "' is not supported, expected 'silu'");
        }
        if (f.optBool("mlp_bias", false)) {
            throw new UserInputException(source + ": field 'mlp_bias': true is not supported, expected false");
        }
        if (f.optBool("use_sliding_window", false)) {
            throw new UserInputException(source + ": field 'use_sliding_window': true is not supported, expected false");
        }
        int hidden = f.positiveInt("hidden_size");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = root.has("num_key_value_heads") && !root.get("num_key_value_heads").isNull()
                ? f.positiveInt("num_key_value_heads") : heads;
        int headDim = root.has("head_dim") && !root.get("head_dim").isNull() ? f.positiveInt("head_dim") : hidden / heads;
        boolean attentionBias = f.optBool("attention_bias", false);
        boolean qkvBias = arch == Architecture.QWEN2 || attentionBias;
        boolean outputBias = arch != Architecture.QWEN2 && attentionBias;
        List<Integer> eos = new ArrayList<>();
        JsonNode eosNode = root.get("eos_token_id");
        if (eosNode != null && eosNode.isArray()) {
            eosNode.forEach(n -> eos.add(n.asInt()));
        } else if (eosNode != null && eosNode.isNumber()) {
            eos.add(eosNode.asInt());
        }
        JsonNode bosNode = root.get("bos_token_id");
        Integer bos = bosNode != null && bosNode.isNumber() ? bosNode.asInt() : null;
        return new ModelConfig(arch, hidden, f.positiveInt("intermediate_size"), f.positiveInt("num_hidden_layers"),
                heads, kvHeads, headDim, f.positiveDouble("rms_norm_eps", 1e-6), f.positiveDouble("rope_theta", 10000.0),
                parseRopeScaling(root.get("rope_scaling"), source), f.positiveInt("vocab_size"),
                f.optBool("tie_word_embeddings", false), qkvBias, outputBias, arch == Architecture.QWEN3,
                f.positiveInt("max_position_embeddings"), bos, eos);
    }

    private static RopeScaling parseRopeScaling(JsonNode node, String source) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = node.has("rope_type") ? node.get("rope_type").asText() : node.path("type").asText("");
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw new UserInputException(source + ": field 'rope_scaling.rope_type': '" + type
                    + "' is not supported, expected 'llama3' or 'default'");
        }
        Fields f = new Fields(node, source + " rope_scaling");
        return new RopeScaling(f.positiveDouble("factor", 8.0), f.positiveDouble("low_freq_factor", 1.0),
                f.positiveDouble("high_freq_factor", 4.0), f.positiveInt("original_max_position_embeddings"));
    }

    /** The Hugging Face {@code config.json} that transformers and vLLM load. */
    public ObjectNode toJson(String torchDtype) {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add(architecture.hfClassName);
        o.put("model_type", architecture.hfModelType);
        o.put("hidden_size", hiddenSize);
        o.put("intermediate_size", intermediateSize);
        o.put("num_hidden_layers", numLayers);
        o.put("num_attention_heads", numHeads);
        o.put("num_key_value_heads", numKvHeads);
        o.put("head_dim", headDim);
        o.put("hidden_act", "silu");
        o.put("rms_norm_eps", rmsNormEps);
        o.put("rope_theta", ropeTheta);
        if (ropeScaling != null) {
            ObjectNode rs = o.putObject("rope_scaling");
            rs.put("rope_type", "llama3");
            rs.put("factor", ropeScaling.factor());
            rs.put("low_freq_factor", ropeScaling.lowFreqFactor());
            rs.put("high_freq_factor", ropeScaling.highFreqFactor());
            rs.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
        } else {
            o.putNull("rope_scaling");
        }
        o.put("vocab_size", vocabSize);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        if (architecture != Architecture.QWEN2) {
            o.put("attention_bias", qkvBias);
        }
        if (architecture == Architecture.LLAMA) {
            o.put("mlp_bias", false);
        }
        if (architecture != Architecture.LLAMA) {
            o.put("use_sliding_window", false);
        }
        o.put("max_position_embeddings", maxPositionEmbeddings);
        if (bosTokenId != null) {
            o.put("bos_token_id", bosTokenId);
        }
        if (eosTokenIds.size() == 1) {
            o.put("eos_token_id", eosTokenIds.get(0));
        } else {
            ArrayNode eos = o.putArray("eos_token_id");
            eosTokenIds.forEach(eos::add);
        }
        o.put("torch_dtype", torchDtype);
        o.put("use_cache", true);
        return o;
    }

    public long parameterCount() {
        long perLayer = 2L * hiddenSize                                   // two RMSNorm weights
                + (long) hiddenSize * headDim * (numHeads + 2L * numKvHeads) // q, k, v
                + (long) numHeads * headDim * hiddenSize                  // o
                + 3L * hiddenSize * intermediateSize;                     // gate, up, down
        if (qkvBias) {
            perLayer += (long) headDim * (numHeads + 2L * numKvHeads);
        }
        if (outputBias) {
            perLayer += hiddenSize;
        }
        if (qkNorm) {
            perLayer += 2L * headDim;
        }
        long embeddings = (long) vocabSize * hiddenSize * (tieWordEmbeddings ? 1 : 2);
        return embeddings + perLayer * numLayers + hiddenSize;
    }

    /** Typed access to JSON fields with one-line errors naming the field. */
    private record Fields(JsonNode node, String source) {
        int positiveInt(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
                throw new UserInputException(source + ": field '" + name + "': expected a positive integer, got "
                        + (v == null ? "nothing" : v.toString()));
            }
            return v.asInt();
        }

        double positiveDouble(String name, double fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isNumber() || v.asDouble() <= 0) {
                throw new UserInputException(source + ": field '" + name + "': expected a positive number, got " + v);
            }
            return v.asDouble();
        }

        boolean optBool(String name, boolean fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw new UserInputException(source + ": field '" + name + "': expected true or false, got " + v);
            }
            return v.asBoolean();
        }

        String optString(String name, String fallback) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? fallback : v.asText();
        }
    }
}
