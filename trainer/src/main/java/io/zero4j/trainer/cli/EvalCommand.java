package io.zero4j.trainer.cli;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.loop.Problem;
import io.zero4j.trainer.loop.ProblemSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./zero4j eval --model DIR --dataset FILE --reward NAME[,NAME...] [--k K] ...}: greedy pass@1
 * (and, with {@code --k}, sampled pass@1, pass@k and maj@k from k samples drawn with
 * {@code --temperature}, {@code --top-k}, {@code --top-p}, {@code --min-p}) on a dataset, as one JSON report.
 */
final class EvalCommand {
    private EvalCommand() {
    }

    static void run(String[] argv, PrintStream out) {
        Args args = new Args("eval", argv, Set.of("model", "dataset", "reward", "problem-field", "answer-field", "template",
                "max-new-tokens", "max-prompt-length", "k", "temperature", "top-k", "top-p", "min-p", "limit", "seed",
                "output", "device", "stop"), Set.of());
        Path dir = args.existingDir("model");
        Path data = Path.of(args.required("dataset"));
        if (!Files.exists(data)) {
            throw new UserInputException("eval: --dataset " + data + ": no such file");
        }
        String output = args.string("output", null);
        if (output != null) {
            Path parent = Path.of(output).toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UserInputException("eval: --output " + output + ": the folder " + parent + " does not exist");
            }
            if (Files.isDirectory(Path.of(output))) {
                throw new UserInputException("eval: --output " + output + ": is a folder, expected a file name");
            }
        }
        RewardSet rewards;
        try {
            rewards = RewardSet.parse(Arrays.asList(args.string("reward", "accuracy").split(",")), Map.of(),
                    RewardSet.DEFAULT_TIMEOUT_MILLIS);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("eval: --reward: " + e.getMessage());
        }
        List<Problem> problems = ProblemSet.read(data, args.string("problem-field", "question"),
                args.string("answer-field", "answer"), rewards.requires());
        problems = problems.subList(0, Math.min(problems.size(), args.intValue("limit", problems.size(), 1)));
        String template = args.string("template", RunConfigLoader.defaultTemplate());
        if (!template.contains("{problem}")) {
            throw new UserInputException("eval: --template must contain {problem}");
        }
        int k = args.intValue("k", 0, 0);
        int maxNew = args.intValue("max-new-tokens", 512, 1);
        int maxPrompt = args.intValue("max-prompt-length", 1024, 1);
        String stop = args.string("stop", "</answer>");
        SamplingParams sampling;
        try {
            sampling = new SamplingParams(args.doubleValue("temperature", 1.0, 0.0), args.intValue("top-k", 0, 0),
                    args.doubleValue("top-p", 1.0, 0.0), args.doubleValue("min-p", 0.0, 0.0), maxNew,
                    stop.isEmpty() ? List.of() : List.of(stop), args.longValue("seed", 0), Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("eval: " + e.getMessage());
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(dir);
             CausalLM model = ModelLoader.load(dir, args.device(), DataType.FLOAT32)) {
            int context = model.config().maxPositionEmbeddings();
            if (maxPrompt + maxNew > context) {
                throw new UserInputException("eval: --max-prompt-length (" + maxPrompt + ") + --max-new-tokens (" + maxNew
                        + ") exceeds the model's context of " + context);
            }
            Set<Integer> eos = new LinkedHashSet<>(model.config().eosTokenIds());
            eos.addAll(tokenizer.eosIds());
            Evaluator evaluator = new Evaluator(model, tokenizer::encode, ids -> tokenizer.decode(ids, false), eos, rewards,
                    template, maxPrompt, 64);
            Map<String, Double> result = evaluator.evaluate(problems, sampling, k);
            ObjectNode report = new ObjectMapper().createObjectNode();
            report.put("model", dir.toString());
            report.put("dataset", data.toString());
            report.put("problems", problems.size());
            report.put("k", k);
            ObjectNode metrics = report.putObject("metrics");
            new LinkedHashMap<>(result).forEach(metrics::put);
            String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
            if (output == null) {
                out.println(json);
            } else {
                Files.writeString(Path.of(output), json + "\n");
            }
        } catch (IOException e) {
            throw new UserInputException("eval: --output " + output + ": cannot write: " + e.getMessage());
        }
    }
}
