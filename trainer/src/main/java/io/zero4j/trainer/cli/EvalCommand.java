package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.Choices;
import io.zero4j.rewards.RewardKind;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.config.ChatPrompt;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemSet;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.policy.Policy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./zero4j eval}: greedy pass@1 (and, with {@code --k}, sampled pass@1, pass@k and maj@k from k
 * samples drawn with the sampling options) on a dataset, as one JSON report.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Greedy pass@1 (and pass@k, maj@k) on a dataset, as JSON.")
final class EvalCommand implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "JSONL problems")
    private Path dataset;
    @Option(names = "--reward", split = ",", paramLabel = "NAME", description = "rewards to report")
    private List<String> rewardNames = List.of(Choices.name(RewardKind.ACCURACY));
    @Option(names = "--problem-field", paramLabel = "FIELD")
    private String problemField = "question";
    @Option(names = "--answer-field", paramLabel = "FIELD")
    private String answerField = "answer";
    @Option(names = "--template", paramLabel = "TEXT", description = "prompt template with {problem}")
    private String template = RunConfigLoader.defaultTemplate();
    @Option(names = "--chat-template", description = "render the template as the user's message by the model's chat template"
            + " (as prompt.use_chat_template does), for instruct models")
    private boolean chatTemplate;
    @Option(names = "--max-prompt-length", paramLabel = "N")
    private int maxPrompt = 1024;
    @Option(names = "--k", paramLabel = "K", description = "samples per problem for pass@k and maj@k (0: greedy only)")
    private int k;
    @Option(names = "--limit", paramLabel = "N", description = "the first N problems only")
    private Integer limit;
    @Option(names = "--stop", paramLabel = "TEXT", description = "stop string (empty for none)")
    private String stop = "</answer>";
    @Option(names = "--output", paramLabel = "REPORT.json")
    private Path output;
    @Mixin
    private SharedOptions.Sampling sampling = new SharedOptions.Sampling(512, 1.0);
    @Mixin
    private SharedOptions.PolicyOptions policyOptions = new SharedOptions.PolicyOptions();

    EvalCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (!Files.exists(dataset)) {
            throw new UserInputException("eval: --dataset " + dataset + ": no such file");
        }
        checkOutput();
        RewardSet rewards;
        try {
            rewards = RewardSet.parse(rewardNames, Map.of(), RewardSet.DEFAULT_TIMEOUT_MILLIS);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("eval: --reward: " + e.getMessage());
        }
        List<Problem> problems = ProblemSet.read(dataset, problemField, answerField, rewards.requires());
        problems = problems.subList(0, Math.min(problems.size(), limit == null ? problems.size()
                : Inputs.atLeast("eval", "--limit", limit, 1)));
        if (!template.contains("{problem}")) {
            throw new UserInputException("eval: --template must contain {problem}");
        }
        Inputs.atLeast("eval", "--k", k, 0);
        try (Policy policy = policyOptions.load("eval")) {
            int context = policy.model().config().maxPositionEmbeddings();
            SamplingParams params = sampling.params("eval", stop, Double.NaN);
            if (Inputs.atLeast("eval", "--max-prompt-length", maxPrompt, 1) + params.maxNewTokens() > context) {
                throw new UserInputException("eval: --max-prompt-length (" + maxPrompt + ") + --max-new-tokens ("
                        + params.maxNewTokens() + ") exceeds the model's context of " + context);
            }
            String prompt = chatTemplate ? ChatPrompt.wrap(template, policyOptions.model, "eval: --chat-template") : template;
            Map<String, Double> result = new Evaluator(policy, rewards, prompt, maxPrompt, 64).evaluate(problems, params, k);
            write(problems.size(), result);
        }
        return 0;
    }

    private void checkOutput() {
        if (output == null) {
            return;
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserInputException("eval: --output " + output + ": the folder " + parent + " does not exist");
        }
        if (Files.isDirectory(output)) {
            throw new UserInputException("eval: --output " + output + ": is a folder, expected a file name");
        }
    }

    private void write(int problems, Map<String, Double> result) {
        ObjectNode report = new ObjectMapper().createObjectNode();
        report.put("model", policyOptions.model.toString());
        report.put("dataset", dataset.toString());
        report.put("problems", problems);
        report.put("k", k);
        ObjectNode metrics = report.putObject("metrics");
        result.forEach(metrics::put);
        try {
            String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
            if (output == null) {
                out.println(json);
            } else {
                Files.writeString(output, json + "\n");
            }
        } catch (IOException e) {
            throw new UserInputException("eval: --output " + output + ": cannot write: " + e.getMessage());
        }
    }
}
