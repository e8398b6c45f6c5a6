package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.WeightFiles;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./zero4j info --model DIR}: what a model folder holds, read from its headers only; a folder
 * the other commands could not load (a missing or misshapen tensor, a wrong dtype, a broken or
 * too-large tokenizer) is one line and exit code 2. {@code --devices} reports what the engine sees
 * and the device {@code --device} or a run config's {@code run.device} resolves to
 * ({@link DeviceReport}).
 */
final class InfoCommand {
    static final String USAGE = "./zero4j info --model DIR [--json] | --devices [--device D | --config CONFIG [--set key=value]...] [--json]";

    private InfoCommand() {
    }

    static void run(String[] argv, PrintStream out) {
        Args args = new Args("info", argv, Set.of("model", "config", "set", "device"), Set.of("json", "devices"));
        boolean model = args.string("model", null) != null;
        String config = args.string("config", null);
        boolean device = args.string("device", null) != null;
        boolean sets = !args.all("set").isEmpty();
        boolean valid = args.flag("devices") ? !model && !(config != null && device) && (config != null || !sets)
                : model && config == null && !device && !sets;
        if (!valid || !args.positional().isEmpty()) {
            throw new UserInputException("info: " + USAGE);
        }
        if (args.flag("devices")) {
            if (config == null) {
                DeviceReport.print(args.string("device", Devices.DEFAULT), "--device", args.flag("json"), out);
            } else {
                RunConfig c = RunConfigLoader.load(Path.of(config), args.all("set"));
                DeviceReport.print(c.run().device(), config + ": key 'run.device'", args.flag("json"), out);
            }
            return;
        }
        Path dir = args.existingDir("model");
        ModelConfig c = ModelLoader.check(dir); // a folder that cannot be loaded is an error, not a description
        Map<DType, Long> dtypes;
        try (WeightFiles w = WeightFiles.open(dir)) {
            dtypes = w.dtypeCounts();
        }
        String dtype = dtypes.keySet().stream().map(DType::name).collect(Collectors.joining("+"));
        if (args.flag("json")) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("architecture", c.architecture().hfClassName);
            o.put("parameters", c.parameterCount());
            o.put("dtype", dtype);
            o.put("vocab_size", c.vocabSize());
            o.put("context_length", c.maxPositionEmbeddings());
            o.put("layers", c.numLayers());
            o.put("hidden_size", c.hiddenSize());
            out.println(o);
            return;
        }
        out.printf("model         %s%n", dir);
        out.printf("architecture  %s%n", c.architecture().hfClassName);
        out.printf("parameters    %,d (%s)%n", c.parameterCount(), human(c.parameterCount()));
        out.printf("dtype on disk %s%n", dtype);
        out.printf("vocabulary    %,d%n", c.vocabSize());
        out.printf("context       %,d tokens%n", c.maxPositionEmbeddings());
        out.printf("shape         %d layers, hidden %d, heads %d (%d kv), head_dim %d, intermediate %d%s%s%s%n",
                c.numLayers(), c.hiddenSize(), c.numHeads(), c.numKvHeads(), c.headDim(), c.intermediateSize(),
                c.tieWordEmbeddings() ? ", tied embeddings" : "", c.qkvBias() ? ", qkv bias" : "",
                c.qkNorm() ? ", q/k norm" : "");
    }

    static String human(long n) {
        if (n >= 1_000_000_000L) {
            return String.format("%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format("%.1fM", n / 1e6);
        }
        return String.format("%.1fK", n / 1e3);
    }
}
