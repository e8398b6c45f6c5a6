package io.zero4j.trainer.policy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.lora.LoraAdapters;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.RolloutEngine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A model with what every command needs beside it: its tokenizer (encode, decode), the tokens that
 * end a completion (the model config's EOS ids and the tokenizer's, together), the rollout engine,
 * and prompts rendered from a template with the problem text, truncated to keep their end. Train,
 * eval, generate, the evaluator and the toy's probe all build prompts here.
 */
public final class Policy implements AutoCloseable {
    private final CausalLM model;
    private final Function<String, int[]> encoder;
    private final Detokenizer detokenizer;
    private final AutoCloseable owned;
    private final RolloutEngine engine;
    private final Set<Integer> eosIds;

    /** A policy over parts the caller owns (tests build their own encoders). */
    public Policy(CausalLM model, Function<String, int[]> encoder, Detokenizer detokenizer, Set<Integer> eosIds) {
        this(model, encoder, detokenizer, eosIds, null);
    }

    private Policy(CausalLM model, Function<String, int[]> encoder, Detokenizer detokenizer, Set<Integer> eosIds,
                   AutoCloseable owned) {
        this.model = model;
        this.encoder = encoder;
        this.detokenizer = detokenizer;
        this.owned = owned;
        this.engine = new RolloutEngine(model, detokenizer, eosIds);
        this.eosIds = Collections.unmodifiableSet(new LinkedHashSet<>(eosIds)); // in order: the first ends SFT examples
    }

    /** A policy over a model and a tokenizer the caller owns. */
    public static Policy of(CausalLM model, TextTokenizer tokenizer) {
        return new Policy(model, tokenizer::encode, ids -> tokenizer.decode(ids, false), eosOf(model, tokenizer));
    }

    /**
     * Loads {@code weightsDir}'s weights (a model folder, or an adapter folder on its base) with
     * {@code tokenizerDir}'s tokenizer (float32); closing it frees both.
     */
    public static Policy load(Path weightsDir, Path tokenizerDir, Device device) {
        return load(weightsDir, tokenizerDir, device, null, 0);
    }

    /**
     * As {@link #load(Path, Path, Device)}, for training with {@code lora} (null: as the folder holds it): a plain model gets fresh
     * adapters (A drawn from {@code seed}) when {@code lora} is enabled; an adapter folder (a LoRA
     * run's checkpoint) must hold adapters of the same rank, alpha and modules.
     */
    public static Policy load(Path weightsDir, Path tokenizerDir, Device device, LoraConfig lora, long seed) {
        TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir);
        try {
            CausalLM model = withAdapters(ModelLoader.load(weightsDir, device, DataType.FLOAT32), weightsDir, lora, seed);
            return new Policy(model, tokenizer::encode, ids -> tokenizer.decode(ids, false), eosOf(model, tokenizer), () -> {
                try (tokenizer; model) {
                    // closes both
                }
            });
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static CausalLM withAdapters(CausalLM model, Path weightsDir, LoraConfig lora, long seed) {
        LoraAdapters held = model.adapters();
        if (lora == null || held == null && !lora.enabled()) {
            return model;
        }
        if (held == null) {
            return model.withAdapters(LoraAdapters.create(lora, model.config(), seed, model.manager().getDevice()));
        }
        LoraConfig saved = held.config();
        if (!lora.enabled() || saved.r() != lora.r() || saved.alpha() != lora.alpha() || !saved.modules().equals(lora.modules())) {
            model.close();
            throw new UserInputException(weightsDir + ": holds LoRA adapters r=" + saved.r() + ", alpha=" + saved.alpha()
                    + " on " + saved.modules() + ", but model.lora asks for " + (lora.enabled() ? "r=" + lora.r() + ", alpha="
                    + lora.alpha() + " on " + lora.modules() : "none") + "; the adapters cannot change within a run");
        }
        return model;
    }

    /** A model folder with its own tokenizer. */
    public static Policy load(Path dir, Device device) {
        return load(dir, dir, device);
    }

    /** The tokenizer's end-of-text tokens first (what transformers' SFT appends), then the model config's others. */
    private static Set<Integer> eosOf(CausalLM model, TextTokenizer tokenizer) {
        Set<Integer> eos = new LinkedHashSet<>(tokenizer.eosIds());
        eos.addAll(model.config().eosTokenIds());
        return eos;
    }

    public CausalLM model() {
        return model;
    }

    public RolloutEngine engine() {
        return engine;
    }


    /** The tokens that end a completion, in a fixed order ({@link #eosOf}). */
    public Set<Integer> eosIds() {
        return eosIds;
    }

    /** The token an SFT example ends with: the first of {@link #eosIds()}. */
    public int endOfText() {
        if (eosIds.isEmpty()) {
            throw new UserInputException("the model has no end-of-text token (eos_token_id in config.json, or the"
                    + " tokenizer's eos_token), so a fine-tuned completion could not end");
        }
        return eosIds.iterator().next();
    }

    public Detokenizer detokenizer() {
        return detokenizer;
    }

    public int[] encode(String text) {
        return encoder.apply(text);
    }

    public String decode(int[] ids) {
        return detokenizer.decode(ids);
    }

    /** {@code template} with {@code {problem}} replaced, as ids, cut to its last {@code maxLength} tokens. */
    public int[] prompt(String template, String problem, int maxLength) {
        int[] ids = encode(template.replace("{problem}", problem));
        return ids.length <= maxLength ? ids : Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
