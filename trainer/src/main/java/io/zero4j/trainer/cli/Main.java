package io.zero4j.trainer.cli;

import ai.djl.engine.EngineException;
import io.zero4j.model.UserInputException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code ./zero4j SUBCOMMAND ...}. User errors print one line and exit with code 2; a bug prints
 * its stack trace and exits with code 1.
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: ./zero4j COMMAND [OPTIONS]",
            "",
            "commands:",
            "  init --out DIR [--preset toy|qwen2.5-0.5b] [--seed S] [--tokenizer DIR] [--dtype F32|F16|BF16]",
            "                                    write a model folder with seeded random weights",
            "  train [CONFIG] [--set key=value]... [--resume RUN_DIR]",
            "                                    GRPO from a run config (JSON or YAML); without CONFIG, the",
            "                                    built-in default configs/aha-toy.json (pretrains its base model first)",
            "  pretrain CONFIG [--set key=value]... [--out DIR] [--force] [--device D]",
            "                                    make the toy base model (configs/toy-base.json), cached",
            "  eval --model DIR --dataset FILE [--reward NAME,...] [--k K] [--limit N] [--output REPORT.json] [--device D]",
            "                                    greedy pass@1 (and pass@k, maj@k) on a dataset, as JSON",
            "  export CHECKPOINT|RUN_DIR OUT_DIR [--dtype F32|F16|BF16]",
            "                                    a checkpoint as a Hugging Face folder for transformers or vLLM",
            "  info --model DIR [--json]         architecture, parameters, dtype on disk, vocabulary, context",
            "  info --devices [--device D | --config CONFIG [--set key=value]...] [--json]",
            "                                    what the engine sees (libtorch, CUDA, GPUs, memory) and the device",
            "                                    --device or the config's run.device resolves to here (cpu, gpu, gpu:N, auto)",
            "  generate --model DIR --prompt TEXT [--max-new-tokens N] [--temperature T] [--top-k K]",
            "           [--top-p P] [--min-p P] [--stop TEXT] [--seed S] [--logprobs] [--json] [--device D]",
            "                                    continue a prompt (temperature 0, the default, is greedy)",
            "  gpu-check [--device gpu:N]        whether the GPU computes what the CPU does on a tiny seeded model:",
            "                                    forward, one GRPO update, forward again (1e-4); scripts/gpu-check.sh runs it",
            "  score --reward NAME[=WEIGHT][,NAME...] --input IN.jsonl [--output OUT.jsonl] [--params k=v,...]",
            "        [--timeout-ms N]            score completions with rule-based rewards (accuracy, format,",
            "                                    countdown, overlong); a summary goes to stderr");

    /**
     * What to do when DJL finds no libtorch it can load. Seen with DJL 0.33's cu124 natives on a machine
     * with a CUDA runtime (libcudart.so of CUDA 13) but no GPU or driver: DJL then wants to download
     * another libtorch, which offline fails.
     */
    static final String ENGINE_HINT = "the cuda build uses its bundled libtorch only where DJL's CUDA probe"
            + " (libcudart.so on the library path) finds a GPU, and otherwise wants to download another libtorch;"
            + " check nvidia-smi and LD_LIBRARY_PATH (e.g. /usr/local/cuda-12.4/lib64), or build without -Pcuda";

    private Main() {
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : e.getMessage() + ": " + t.getMessage();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "init" -> InitCommand.run(rest, out);
                case "info" -> InfoCommand.run(rest, out);
                case "score" -> ScoreCommand.run(rest, out, err);
                case "train" -> TrainCommand.run(rest, out, err);
                case "pretrain" -> PretrainCommand.run(rest, out, err);
                case "eval" -> EvalCommand.run(rest, out);
                case "export" -> ExportCommand.run(rest, out);
                case "generate" -> GenerateCommand.run(rest, out);
                case "gpu-check" -> {
                    return GpuCheckCommand.run(rest, out) ? 0 : 1;
                }
                default -> throw new UserInputException("unknown command '" + args[0] + "'; run ./zero4j help");
            }
            return 0;
        } catch (UserInputException e) {
            err.println("zero4j: " + e.getMessage());
            return 2;
        } catch (EngineException e) {
            err.println("zero4j: PyTorch did not load (" + rootMessage(e) + "): " + ENGINE_HINT);
            return 2;
        }
    }
}
