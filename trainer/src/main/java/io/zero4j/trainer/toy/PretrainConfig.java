package io.zero4j.trainer.toy;

import io.zero4j.trainer.config.RunConfigLoader;

/**
 * How the built-in toy base model is made ({@code configs/toy-base.json}): the problem family, the
 * generated corpus, the tokenizer, the model's shape and the next-token training. Every key has a
 * default ({@code pretrain-defaults.json} beside this class). The result is cached under
 * {@code cache_dir} by a hash of the resolved config, and made again only when the config changes.
 *
 * @param template the prompt every corpus document is written in; null means R1-Zero's, the
 *                 default of a run config's {@code prompt.template}
 */
public record PretrainConfig(long seed, Task task, Corpus corpus, Tokenizer tokenizer, Model model, Train train,
                             String template, String cacheDir) {

    /** A problem family of {@code min_steps..max_steps} repetitions. */
    public record Task(Family name, int minSteps, int maxSteps) {
    }

    /** The built-in problem families ({@code task.name}). */
    public enum Family { DIGIT_CHAINS }

    /** {@code worked_share} of the documents answer with a worked solution inside think, the rest directly. */
    public record Corpus(int documents, double workedShare) {
    }

    /** Byte-level BPE merges learned from the corpus (digits never merge). */
    public record Tokenizer(int merges) {
    }

    /**
     * A Qwen2-architecture decoder, tied embeddings. {@code rope_theta} defaults to 10,000 rather
     * than Qwen2's 1,000,000: a short context wants rotary frequencies that tell nearby positions apart.
     */
    public record Model(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                        int numKeyValueHeads, int maxPositionEmbeddings, double ropeTheta) {
    }

    /** AdamW (beta2 0.95) with linear warm-up and cosine decay, clipped by global norm. */
    public record Train(int steps, int batchSize, double learningRate, int warmupSteps, double weightDecay,
                        double maxGradNorm) {
    }

    public String effectiveTemplate() {
        return template == null ? RunConfigLoader.defaultTemplate() : template;
    }
}
