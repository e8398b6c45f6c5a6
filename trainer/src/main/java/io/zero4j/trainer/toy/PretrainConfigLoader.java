package io.zero4j.trainer.toy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.config.RunConfigLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a pretraining config the way run configs are read: defaults ({@code pretrain-defaults.json}),
 * then the file, then {@code --set} overrides; unknown keys and bad values are one line naming the key.
 */
public final class PretrainConfigLoader {
    private PretrainConfigLoader() {
    }

    public static PretrainConfig load(Path file, List<String> overrides) {
        ObjectNode user = RunConfigLoader.readObject(file, "an object (seed, task, corpus, tokenizer, model, train)");
        PretrainConfig config = RunConfigLoader.layered("pretrain-defaults.json", user, overrides, PretrainConfig.class,
                file.toString());
        check(config, file.toString());
        return config;
    }

    static void check(PretrainConfig c, String source) {
        require(c.task().minSteps() >= 1 && c.task().minSteps() <= c.task().maxSteps() && c.task().maxSteps() <= 9, source,
                "task.min_steps", "1 <= min_steps <= max_steps <= 9");
        require(c.corpus().documents() >= c.train().batchSize(), source, "corpus.documents", "at least train.batch_size");
        require(c.corpus().workedShare() >= 0 && c.corpus().workedShare() <= 1, source, "corpus.worked_share",
                "a share between 0 and 1");
        require(c.tokenizer().merges() >= 0 && c.tokenizer().merges() <= 4096, source, "tokenizer.merges", "0..4096");
        PretrainConfig.Model m = c.model();
        require(m.hiddenSize() > 0 && m.intermediateSize() > 0 && m.numHiddenLayers() > 0, source, "model",
                "positive hidden_size, intermediate_size and num_hidden_layers");
        require(m.numAttentionHeads() > 0 && m.hiddenSize() % m.numAttentionHeads() == 0, source, "model.num_attention_heads",
                "a divisor of hidden_size");
        require(m.numKeyValueHeads() > 0 && m.numAttentionHeads() % m.numKeyValueHeads() == 0, source,
                "model.num_key_value_heads", "a divisor of num_attention_heads");
        require(m.maxPositionEmbeddings() >= 64, source, "model.max_position_embeddings", "at least 64");
        PretrainConfig.Train t = c.train();
        require(t.steps() > 0 && t.batchSize() > 0, source, "train.steps", "positive steps and batch_size");
        require(t.learningRate() > 0 && t.warmupSteps() >= 0 && t.weightDecay() >= 0 && t.maxGradNorm() >= 0, source,
                "train.learning_rate", "a positive rate and non-negative warmup_steps, weight_decay, max_grad_norm");
        require(c.cacheDir() != null && !c.cacheDir().isBlank(), source, "cache_dir", "a folder");
        if (c.template() != null) {
            require(c.template().contains("{problem}"), source, "template", "text containing {problem}");
        }
    }

    private static void require(boolean ok, String source, String key, String expected) {
        if (!ok) {
            throw new UserInputException(source + ": key '" + key + "': expected " + expected);
        }
    }
}
