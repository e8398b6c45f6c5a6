package io.zero4j.trainer.cli;

import ai.djl.Device;
import io.zero4j.model.Devices;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.policy.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options several commands take, each declared once (picocli mixins). */
final class SharedOptions {
    private SharedOptions() {
    }

    /** {@code --device}. */
    static final class DeviceOption {
        @Option(names = "--device", paramLabel = "D", description = Devices.CHOICES + "")
        String value = Devices.DEFAULT;

        /** The device, checked against this machine. */
        Device resolve() {
            return Devices.resolve(value, "--device");
        }
    }

    /** {@code --model DIR} and {@code --device}: the policy a command runs. */
    static final class PolicyOptions {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "a Hugging Face model folder")
        Path model;
        @Mixin
        DeviceOption device = new DeviceOption();

        /** The model with its tokenizer, on the device; a folder that is not there is one line naming {@code command}. */
        Policy load(String command) {
            return Policy.load(Inputs.existingFolder(command, "--model", model), device.resolve());
        }
    }

    /** {@code --dtype}: how weights are written. */
    static final class DtypeOption {
        @Option(names = "--dtype", paramLabel = "DTYPE", description = DType.FLOAT_WEIGHTS + "")
        String name = "F32";

        DType parse() {
            try {
                DType d = DType.valueOf(name.toUpperCase(Locale.ROOT));
                if (d.isFloatWeight()) {
                    return d;
                }
            } catch (IllegalArgumentException ignored) {
                // fall through to the error
            }
            throw new UserInputException("--dtype '" + name + "': expected " + DType.FLOAT_WEIGHTS);
        }
    }

    /** {@code --set KEY=VALUE}, repeatable. */
    static final class Overrides {
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
        List<String> values = new ArrayList<>();
    }

    /** How completions are sampled; {@code temperature} defaults differ by command. */
    static final class Sampling {
        @Option(names = "--max-new-tokens", paramLabel = "N")
        int maxNewTokens;
        @Option(names = "--temperature", paramLabel = "T", description = "0 is greedy")
        double temperature;
        @Option(names = "--top-k", paramLabel = "K", description = "0 = off")
        int topK;
        @Option(names = "--top-p", paramLabel = "P")
        double topP = 1.0;
        @Option(names = "--min-p", paramLabel = "P")
        double minP;
        @Option(names = "--seed", paramLabel = "S")
        long seed;

        Sampling(int maxNewTokens, double temperature) {
            this.maxNewTokens = maxNewTokens;
            this.temperature = temperature;
        }

        /** The settings for {@code command}, checked; {@code stop} may be null; log-probabilities at {@code logProbTemperature}. */
        SamplingParams params(String command, String stop, double logProbTemperature) {
            double t = Inputs.atLeast(command, "--temperature", temperature, 0.0);
            int k = Inputs.atLeast(command, "--top-k", topK, 0);
            int n = Inputs.atLeast(command, "--max-new-tokens", maxNewTokens, 1);
            try {
                return new SamplingParams(t, k, topP, minP, n, stop == null || stop.isEmpty() ? List.of() : List.of(stop), seed,
                        logProbTemperature);
            } catch (IllegalArgumentException e) { // top_p, min_p out of range
                throw new UserInputException(command + ": " + e.getMessage());
            }
        }
    }
}
