package io.zero4j.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.JsonErrors;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's tokenizers binding, configured the way a
 * trainer needs it: no truncation (DJL's default cuts at 512 tokens), no padding, no implicit
 * special tokens; the prompt template states every special token it wants. Special tokens and EOS
 * come from {@code tokenizer.json}'s added tokens, {@code tokenizer_config.json} and
 * {@code generation_config.json}.
 */
public final class TextTokenizer implements AutoCloseable {
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> specialTokens;
    private final Set<Integer> eosIds;
    private final int vocabSize;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> specialTokens, Set<Integer> eosIds,
                          int vocabSize) {
        this.tokenizer = tokenizer;
        this.specialTokens = specialTokens;
        this.eosIds = eosIds;
        this.vocabSize = vocabSize;
    }

    /** Loads the tokenizer files of a model folder (or of a folder holding only tokenizer files). */
    public static TextTokenizer load(Path dir) {
        Path file = dir.resolve(TOKENIZER_JSON);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(dir + ": no " + TOKENIZER_JSON + " in the folder");
        }
        JsonNode root = readJson(file);
        Map<String, Integer> special = new LinkedHashMap<>();
        int maxId = -1;
        for (JsonNode t : root.path("added_tokens")) {
            maxId = Math.max(maxId, t.path("id").asInt());
            if (t.path("special").asBoolean(false)) {
                special.put(t.path("content").asText(), t.path("id").asInt());
            }
        }
        JsonNode vocab = root.path("model").path("vocab");
        for (var it = vocab.elements(); it.hasNext(); ) {
            maxId = Math.max(maxId, it.next().asInt());
        }
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new UserInputException(file + ": cannot load tokenizer: " + String.valueOf(e.getMessage()).split("\n")[0]);
        }
        Set<Integer> eos = new LinkedHashSet<>();
        // the tokenizer's eos_token first: what a fine-tuned completion ends with (Llama 3.1 Instruct: <|eot_id|>, not
        // generation_config's first, <|end_of_text|>)
        Path cfg = dir.resolve(TOKENIZER_CONFIG);
        if (Files.isRegularFile(cfg)) {
            JsonNode eosToken = readJson(cfg).get("eos_token");
            String content = eosToken == null ? null
                    : eosToken.isTextual() ? eosToken.asText() : eosToken.path("content").asText(null);
            if (content != null && special.containsKey(content)) {
                eos.add(special.get(content));
            }
        }
        Path gen = dir.resolve(GENERATION_CONFIG);
        if (Files.isRegularFile(gen)) {
            JsonNode e = readJson(gen).get("eos_token_id");
            if (e != null && e.isArray()) {
                e.forEach(n -> eos.add(n.asInt()));
            } else if (e != null && e.isNumber()) {
                eos.add(e.asInt());
            }
        }
        return new TextTokenizer(hf, Collections.unmodifiableMap(special), Collections.unmodifiableSet(eos), maxId + 1);
    }

    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** Decodes ids; with {@code skipSpecialTokens}, special tokens such as EOS are left out of the text. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    /** Special tokens (content to id) as {@code tokenizer.json} marks them. */
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    /** EOS ids: {@code tokenizer_config.json}'s {@code eos_token}, then {@code generation_config.json}'s; may be empty. */
    public Set<Integer> eosIds() {
        return eosIds;
    }

    /** One more than the largest id the tokenizer can produce. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Copies the tokenizer files that exist in {@code from} into {@code to}. */
    public static void copyFiles(Path from, Path to) throws IOException {
        for (String name : new String[] {TOKENIZER_JSON, TOKENIZER_CONFIG, "special_tokens_map.json", "vocab.json", "merges.txt"}) {
            Path src = from.resolve(name);
            if (Files.isRegularFile(src)) {
                Files.copy(src, to.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read JSON: " + JsonErrors.describe(e));
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
