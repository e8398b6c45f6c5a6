package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.UserInputException;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.policy.Policy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./zero4j generate}: one completion of one prompt, as text or as one JSON object. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Continue a prompt (temperature 0, the default, is greedy).")
final class GenerateCommand implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT")
    private String prompt;
    @Option(names = "--stop", paramLabel = "TEXT")
    private String stop;
    @Option(names = "--logprobs", description = "each token's log-probability under the model (temperature 1)")
    private boolean logprobs;
    @Option(names = "--json", description = "one JSON object")
    private boolean json;
    @Mixin
    private SharedOptions.Sampling sampling = new SharedOptions.Sampling(128, 0.0);
    @Mixin
    private SharedOptions.PolicyOptions policyOptions = new SharedOptions.PolicyOptions();

    GenerateCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        SamplingParams params = sampling.params("generate", stop, 1.0); // --logprobs: the model's own distribution
        try (Policy policy = policyOptions.load("generate")) {
            int[] ids = policy.encode(prompt);
            if (ids.length == 0) {
                throw new UserInputException("generate: --prompt encodes to no tokens; give some text");
            }
            int context = policy.model().config().maxPositionEmbeddings();
            if (ids.length + params.maxNewTokens() > context) {
                throw new UserInputException("generate: prompt (" + ids.length + " tokens) + --max-new-tokens ("
                        + params.maxNewTokens() + ") exceeds the model's context of " + context);
            }
            Completion c = policy.engine().generate(List.of(ids), 1, params).get(0);
            String text = c.text();
            if (!json) {
                out.println(text);
                if (logprobs) {
                    for (int i = 0; i < c.tokenIds().length; i++) {
                        out.printf("%8d %10.5f %s%n", c.tokenIds()[i], c.logProbs()[i],
                                policy.decode(new int[] {c.tokenIds()[i]}).replace("\n", "\\n"));
                    }
                }
                return 0;
            }
            ObjectNode o = new ObjectMapper().createObjectNode();
            ArrayNode promptIds = o.putArray("prompt_ids");
            Arrays.stream(ids).forEach(promptIds::add);
            o.put("completion", text);
            ArrayNode idsNode = o.putArray("completion_ids");
            Arrays.stream(c.tokenIds()).forEach(idsNode::add);
            if (logprobs) {
                ArrayNode lp = o.putArray("logprobs");
                for (float f : c.logProbs()) {
                    lp.add(f);
                }
            }
            o.put("finish_reason", c.finishReason().wireName());
            o.put("prompt_tokens", ids.length);
            out.println(o);
        }
        return 0;
    }
}
