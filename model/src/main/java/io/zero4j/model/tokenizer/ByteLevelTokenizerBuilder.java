package io.zero4j.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a small byte-level BPE {@code tokenizer.json} (the same scheme as GPT-2, Llama 3 and Qwen)
 * in code: the 256 byte symbols, then one token per merge, then special tokens. Any UTF-8 text
 * encodes, and decoding restores it exactly. Used by tests and by the built-in toy model.
 */
public final class ByteLevelTokenizerBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] BYTE_SYMBOLS = byteSymbols();

    private final List<String[]> merges = new ArrayList<>();
    private final List<String> specialTokens = new ArrayList<>();
    private String eosToken;
    private String chatTemplate;

    /** The {@code chat_template} written into tokenizer_config.json (Jinja, as Hugging Face reads it). */
    public ByteLevelTokenizerBuilder chatTemplate(String jinja) {
        this.chatTemplate = jinja;
        return this;
    }

    /** Merges two existing tokens (plain text, e.g. "th" + "e") into one. */
    public ByteLevelTokenizerBuilder merge(String left, String right) {
        merges.add(new String[] {left, right});
        return this;
    }

    /** Adds a special token, matched whole before BPE runs. */
    public ByteLevelTokenizerBuilder special(String content) {
        specialTokens.add(content);
        return this;
    }

    public ByteLevelTokenizerBuilder eos(String content) {
        if (!specialTokens.contains(content)) {
            specialTokens.add(content);
        }
        eosToken = content;
        return this;
    }

    public int vocabSize() {
        return 256 + merges.size() + specialTokens.size();
    }

    /** The id of a special token in the built vocabulary. */
    public int specialId(String content) {
        int i = specialTokens.indexOf(content);
        if (i < 0) {
            throw new IllegalArgumentException("not a special token: " + content);
        }
        return 256 + merges.size() + i;
    }

    /** Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir}. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(BYTE_SYMBOLS[b], b);
        }
        ArrayNode mergeList = JSON.createArrayNode();
        for (String[] m : merges) {
            String l = toSymbols(m[0]);
            String r = toSymbols(m[1]);
            if (!vocab.containsKey(l) || !vocab.containsKey(r)) {
                throw new IllegalArgumentException("merge of unknown tokens: '" + m[0] + "' + '" + m[1] + "'");
            }
            vocab.putIfAbsent(l + r, vocab.size());
            mergeList.add(l + " " + r);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        int nextId = 256 + merges.size();
        for (String s : specialTokens) {
            ObjectNode t = added.addObject();
            t.put("id", nextId++);
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel());
        root.putNull("post_processor");
        root.set("decoder", byteLevel());
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        model.set("merges", mergeList);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(TextTokenizer.TOKENIZER_JSON).toFile(), root);

        ObjectNode config = JSON.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("add_bos_token", false);
        config.put("add_prefix_space", false);
        if (eosToken != null) {
            config.put("eos_token", eosToken);
            config.put("pad_token", eosToken);
        }
        config.put("model_max_length", 1_000_000);
        if (chatTemplate != null) {
            config.put("chat_template", chatTemplate);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(TextTokenizer.TOKENIZER_CONFIG).toFile(), config);
    }

    private static ObjectNode byteLevel() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", false);
        n.put("use_regex", false);
        return n;
    }

    private static String toSymbols(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            sb.append(BYTE_SYMBOLS[b & 0xFF]);
        }
        return sb.toString();
    }

    /** GPT-2's printable stand-in for each byte, so that BPE works on visible characters. */
    private static String[] byteSymbols() {
        String[] out = new String[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + extra++));
        }
        return out;
    }
}
