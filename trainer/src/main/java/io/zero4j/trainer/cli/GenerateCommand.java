package io.zero4j.trainer.cli;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code ./zero4j generate}: one completion of one prompt, as text or as one JSON object. */
final class GenerateCommand {
    private GenerateCommand() {
    }

    static void run(String[] argv, PrintStream out) {
        Args args = new Args("generate", argv,
                Set.of("model", "prompt", "max-new-tokens", "temperature", "top-k", "top-p", "min-p", "stop", "seed", "device"),
                Set.of("logprobs", "json"));
        Path dir = args.existingDir("model");
        String prompt = args.required("prompt");
        double topP = args.doubleValue("top-p", 1.0, 0.0);
        double minP = args.doubleValue("min-p", 0.0, 0.0);
        if (topP <= 0 || topP > 1 || minP >= 1) {
            throw new UserInputException("generate: --top-p must be in (0, 1] and --min-p in [0, 1)");
        }
        String stop = args.string("stop", null);
        SamplingParams params = new SamplingParams(args.doubleValue("temperature", 0.0, 0.0),
                args.intValue("top-k", 0, 0), topP, minP, args.intValue("max-new-tokens", 128, 1),
                stop == null ? List.of() : List.of(stop), args.longValue("seed", 0),
                1.0); // --logprobs reports the model's own distribution at temperature 1
        try (TextTokenizer tokenizer = TextTokenizer.load(dir);
             CausalLM model = ModelLoader.load(dir, args.device(),
                     DataType.FLOAT32)) {
            int[] ids = tokenizer.encode(prompt);
            if (ids.length == 0) {
                throw new UserInputException("generate: --prompt encodes to no tokens; give some text");
            }
            if (ids.length + params.maxNewTokens() > model.config().maxPositionEmbeddings()) {
                throw new UserInputException("generate: prompt (" + ids.length + " tokens) + --max-new-tokens ("
                        + params.maxNewTokens() + ") exceeds the model's context of "
                        + model.config().maxPositionEmbeddings());
            }
            Set<Integer> eos = new LinkedHashSet<>(model.config().eosTokenIds());
            eos.addAll(tokenizer.eosIds());
            Completion c = new RolloutEngine(model, t -> tokenizer.decode(t, false), eos)
                    .generate(List.of(ids), 1, params).get(0);
            String text = c.text();
            if (!args.flag("json")) {
                out.println(text);
                if (args.flag("logprobs")) {
                    for (int i = 0; i < c.tokenIds().length; i++) {
                        out.printf("%8d %10.5f %s%n", c.tokenIds()[i], c.logProbs()[i],
                                tokenizer.decode(new int[] {c.tokenIds()[i]}, false).replace("\n", "\\n"));
                    }
                }
                return;
            }
            ObjectNode o = new ObjectMapper().createObjectNode();
            ArrayNode promptIds = o.putArray("prompt_ids");
            Arrays.stream(ids).forEach(promptIds::add);
            o.put("completion", text);
            ArrayNode idsNode = o.putArray("completion_ids");
            Arrays.stream(c.tokenIds()).forEach(idsNode::add);
            if (args.flag("logprobs")) {
                ArrayNode lp = o.putArray("logprobs");
                for (float f : c.logProbs()) {
                    lp.add(f);
                }
            }
            o.put("finish_reason", c.finishReason().wireName());
            o.put("prompt_tokens", ids.length);
            out.println(o);
        }
    }
}
