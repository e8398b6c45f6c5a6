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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.util.stream.Collectors;

/**
 * {@code ./zero4j info --model DIR}: what a model folder holds, read from its headers only; a folder
 * the other commands could not load (a missing or misshapen tensor, a wrong dtype, a broken or
 * too-large tokenizer) is one line and exit code 2. {@code --devices} reports what the engine sees
 * and the device {@code --device} or a run config's {@code run.device} resolves to
 * ({@link DeviceReport}).
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = {"A model folder: architecture, parameters,"
    + " dtype on disk, vocabulary, context (read from headers).", "--devices: what the engine sees (libtorch, CUDA, GPUs,"
    + " memory) and the device --device or a config's run.device resolves to here."})
final class InfoCommand implements Callable<Integer> {
    static final String USAGE = "./zero4j info --model DIR [--json] | --devices [--device D | --config CONFIG [--set key=value]...] [--json]";
    private final PrintStream out;

    @Option(names = "--model", paramLabel = "DIR")
    private Path model;
    @Option(names = "--devices", description = "report devices instead of a model")
    private boolean devices;
    @Option(names = "--device", paramLabel = "D", description = Devices.CHOICES)
    private String device;
    @Option(names = "--config", paramLabel = "CONFIG", description = "a run config whose run.device to resolve")
    private Path config;
    @Mixin
    private SharedOptions.Overrides overrides = new SharedOptions.Overrides();
    @Option(names = "--json", description = "one JSON object")
    private boolean json;

    InfoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        boolean sets = !overrides.values.isEmpty();
        boolean valid = devices ? model == null && !(config != null && device != null) && (config != null || !sets)
                : model != null && config == null && device == null && !sets;
        if (!valid) {
            throw new UserInputException("info: " + USAGE);
        }
        if (devices) {
            if (config == null) {
                DeviceReport.print(device == null ? Devices.DEFAULT : device, "--device", json, out);
            } else {
                RunConfig c = RunConfigLoader.load(config, overrides.values);
                DeviceReport.print(c.run().device(), config + ": key 'run.device'", json, out);
            }
            return 0;
        }
        describe(Inputs.existingFolder("info", "--model", model));
        return 0;
    }

    private void describe(Path dir) {
        ModelConfig c = ModelLoader.check(dir); // a folder that cannot be loaded is an error, not a description
        Map<DType, Long> dtypes;
        try (WeightFiles w = WeightFiles.open(dir)) {
            dtypes = w.dtypeCounts();
        }
        String dtype = dtypes.keySet().stream().map(DType::name).collect(Collectors.joining("+"));
        if (json) {
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
