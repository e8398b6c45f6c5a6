package io.zero4j.trainer.toy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.zero4j.model.Architecture;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CompletionBatch;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import io.zero4j.model.Scalars;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.tokenizer.BpeTrainer;
import io.zero4j.model.tokenizer.ByteLevelTokenizerBuilder;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.GradientClipping;
import io.zero4j.trainer.optim.LearningRateSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes the toy base model: generates the corpus, learns a tokenizer from it, and trains a fresh
 * Qwen2-architecture model by next-token prediction (cross-entropy on every token of every
 * document), then writes a Hugging Face folder. The corpus, tokenizer, initial weights and batch order
 * follow from the seed exactly; the trained weights only to float rounding, since libtorch's
 * intra-op threads may sum in another order from run to run.
 */
public final class Pretrainer {
    /** Documents per length-sorted pool: batches hold documents of similar length, so little padding. */
    private static final int POOL_BATCHES = 16;
    /** The tokenizer is learned from the first documents: the corpus repeats one template, so more add nothing. */
    private static final int TOKENIZER_SAMPLE_DOCUMENTS = 4000;

    private Pretrainer() {
    }

    /** Progress after an optimizer step. */
    public record Progress(int step, int steps, double loss, double learningRate, double seconds) {
    }

    /** What was made: the final smoothed loss, tokens trained on, parameters, wall time. */
    public record Summary(double finalLoss, long tokens, long parameters, int vocabSize, double seconds) {
    }

    /** @param source the config file, named in errors */
    public static Summary run(PretrainConfig config, String source, Path outDir, Device device, Consumer<Progress> progress)
            throws IOException {
        long start = System.nanoTime();
        List<String> documents = ToyCorpus.documents(config);
        ByteLevelTokenizerBuilder builder = ModelPresets.toyTokenizer();
        BpeTrainer.learn(documents.subList(0, Math.min(documents.size(), TOKENIZER_SAMPLE_DOCUMENTS)), ModelPresets.TOY_SPECIAL_TOKENS,
                config.tokenizer().merges(), builder);
        builder.chatTemplate(ToyChatTemplate.of(config.effectiveTemplate())).writeTo(outDir);
        int eos = builder.specialId(ModelPresets.EOS);
        List<int[]> encoded = new ArrayList<>(documents.size());
        try (TextTokenizer tokenizer = TextTokenizer.load(outDir)) {
            for (String d : documents) {
                int[] ids = tokenizer.encode(d);
                if (ids.length + 1 > config.model().maxPositionEmbeddings()) {
                    throw new UserInputException(source + ": key 'model.max_position_embeddings': a document has "
                            + (ids.length + 1) + " tokens; expected at least that many positions");
                }
                int[] withEos = Arrays.copyOf(ids, ids.length + 1);
                withEos[ids.length] = eos;
                encoded.add(withEos);
            }
        }
        PretrainConfig.Model shape = config.model();
        ModelConfig modelConfig = ModelConfig.of(Architecture.QWEN2, shape.hiddenSize(), shape.intermediateSize(),
                shape.numHiddenLayers(), shape.numAttentionHeads(), shape.numKeyValueHeads(), builder.vocabSize(), true,
                shape.maxPositionEmbeddings()).withEos(List.of(eos), null).withRopeTheta(shape.ropeTheta());
        PretrainConfig.Train train = config.train();
        LearningRateSchedule schedule = new LearningRateSchedule(train.learningRate(), train.warmupSteps(), train.steps(),
                LearningRateSchedule.Shape.COSINE);
        List<int[]> batches = TokenBatches.plan(encoded, train.batchSize(), POOL_BATCHES, train.steps(), config.seed());
        double smoothed = Double.NaN;
        long tokens = 0;
        try (CausalLM model = RandomInit.create(modelConfig, config.seed(), device, DataType.FLOAT32);
             NDManager m = model.manager().newSubManager()) {
            AdamW optimizer = new AdamW(model.parameters(), model.manager(), 0.9, 0.95, 1e-8, train.weightDecay());
            model.setTrainable(true);
            for (int step = 0; step < train.steps(); step++) {
                List<int[]> firsts = new ArrayList<>();
                List<int[]> rests = new ArrayList<>();
                for (int doc : batches.get(step)) {
                    int[] ids = encoded.get(doc);
                    firsts.add(new int[] {ids[0]});
                    rests.add(Arrays.copyOfRange(ids, 1, ids.length));
                    tokens += ids.length;
                }
                double loss;
                try (NDScope ignored = new NDScope();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    CompletionBatch b = CompletionBatch.of(firsts, rests);
                    NDArray logProbs = b.score(model, m, 1.0, false).logProbs();                     // [B, T-1]
                    NDArray mask = m.create(b.completionMask(), new Shape(b.rows(), b.completionWidth())); // [B, T-1]
                    NDArray mean = logProbs.mul(mask).sum().div(mask.sum()).neg();                   // []
                    collector.backward(mean);
                    loss = Scalars.value(mean);
                }
                if (!Double.isFinite(loss)) {
                    throw new UserInputException(source + ": pretraining diverged at step " + (step + 1) + " (loss " + loss
                            + "); lower train.learning_rate");
                }
                GradientClipping.clip(model.parameters().values(), train.maxGradNorm());
                double lr = schedule.at(step);
                optimizer.step(lr);
                smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
                progress.accept(new Progress(step + 1, train.steps(), smoothed, lr, (System.nanoTime() - start) / 1e9));
            }
            model.setTrainable(false);
            ModelExporter.export(model, null, outDir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
        return new Summary(smoothed, tokens, modelConfig.parameterCount(), builder.vocabSize(),
                (System.nanoTime() - start) / 1e9);
    }
}
