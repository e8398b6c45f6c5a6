package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing the config.json files of real checkpoints (their published values, typed in). */
class ModelConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ModelConfig parse(String json) throws Exception {
        return ModelConfig.parse(JSON.readTree(json), "config.json");
    }

    @Test
    void qwen25HalfBillion() throws Exception {
        ModelConfig c = parse("{\"architectures\":[\"Qwen2ForCausalLM\"],\"bos_token_id\":151643,\"eos_token_id\":151643,"
                + "\"hidden_act\":\"silu\",\"hidden_size\":896,\"intermediate_size\":4864,\"max_position_embeddings\":32768,"
                + "\"max_window_layers\":21,\"model_type\":\"qwen2\",\"num_attention_heads\":14,\"num_hidden_layers\":24,"
                + "\"num_key_value_heads\":2,\"rms_norm_eps\":1e-06,\"rope_theta\":1000000.0,\"sliding_window\":32768,"
                + "\"tie_word_embeddings\":true,\"torch_dtype\":\"bfloat16\",\"use_cache\":true,\"use_sliding_window\":false,"
                + "\"vocab_size\":151936}");
        assertEquals(Architecture.QWEN2, c.architecture());
        assertEquals(64, c.headDim());
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertFalse(c.qkNorm());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(List.of(151643), c.eosTokenIds());
        assertEquals(494_032_768L, c.parameterCount()); // the published count of Qwen2.5-0.5B
    }

    @Test
    void llama32WithRopeScaling() throws Exception {
        ModelConfig c = parse("{\"architectures\":[\"LlamaForCausalLM\"],\"attention_bias\":false,\"bos_token_id\":128000,"
                + "\"eos_token_id\":[128001,128008,128009],\"head_dim\":64,\"hidden_act\":\"silu\",\"hidden_size\":2048,"
                + "\"intermediate_size\":8192,\"max_position_embeddings\":131072,\"mlp_bias\":false,\"num_attention_heads\":32,"
                + "\"num_hidden_layers\":16,\"num_key_value_heads\":8,\"rms_norm_eps\":1e-05,\"rope_scaling\":{\"factor\":32.0,"
                + "\"high_freq_factor\":4.0,\"low_freq_factor\":1.0,\"original_max_position_embeddings\":8192,"
                + "\"rope_type\":\"llama3\"},\"rope_theta\":500000.0,\"tie_word_embeddings\":true,\"vocab_size\":128256}");
        assertEquals(new RopeScaling(32.0, 1.0, 4.0, 8192), c.ropeScaling());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals(128000, c.bosTokenId());
        assertFalse(c.qkvBias());
        assertEquals(1_235_814_400L, c.parameterCount()); // Llama-3.2-1B
    }

    @Test
    void qwen3HasQkNormAndExplicitHeadDim() throws Exception {
        ModelConfig c = parse("{\"architectures\":[\"Qwen3ForCausalLM\"],\"attention_bias\":false,\"head_dim\":128,"
                + "\"hidden_size\":1024,\"intermediate_size\":3072,\"max_position_embeddings\":40960,\"num_attention_heads\":16,"
                + "\"num_hidden_layers\":28,\"num_key_value_heads\":8,\"rms_norm_eps\":1e-06,\"rope_scaling\":null,"
                + "\"rope_theta\":1000000,\"tie_word_embeddings\":true,\"vocab_size\":151936,\"eos_token_id\":151645}");
        assertTrue(c.qkNorm());
        assertEquals(128, c.headDim());
        assertNull(c.ropeScaling());
        assertEquals(596_049_920L, c.parameterCount()); // Qwen3-0.6B
    }

    @Test
    void toJsonRoundTrips() throws Exception {
        for (ModelConfig c : io.zero4j.model.testing.TinyModels.allFamilies()) {
            assertEquals(c, ModelConfig.parse(c.toJson("float32"), "config.json"));
        }
    }

    @Test
    void errorsNameTheField() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> parse("{\"architectures\":[\"GPT2LMHeadModel\"]}"));
        assertTrue(e.getMessage().contains("'architectures'") && e.getMessage().contains("GPT2LMHeadModel")
                && e.getMessage().contains("Qwen2ForCausalLM"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> parse("{\"architectures\":[\"Qwen2ForCausalLM\"],"
                + "\"hidden_size\":-3}"));
        assertTrue(e.getMessage().contains("'hidden_size'"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> parse("{\"architectures\":[\"LlamaForCausalLM\"],"
                + "\"hidden_size\":8,\"num_attention_heads\":2,\"intermediate_size\":8,\"num_hidden_layers\":1,"
                + "\"vocab_size\":8,\"max_position_embeddings\":8,\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4}}"));
        assertTrue(e.getMessage().contains("rope_scaling") && e.getMessage().contains("yarn"), e.getMessage());
    }
}
