package io.zero4j.serve;

import io.zero4j.model.Devices;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.policy.Policy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./zero4j serve}: an OpenAI-compatible server for one model folder, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over an OpenAI-compatible HTTP API (completions, chat completions).")
final class ServeCommand implements Callable<Integer> {
    /** A silent generation tells its client it is alive this often (and learns whether the client still is). */
    private static final long HEARTBEAT_MILLIS = 2_000;
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a Hugging Face model folder")
    private Path model;
    @Option(names = "--device", paramLabel = "D", description = Devices.CHOICES + "")
    private String device = Devices.DEFAULT;
    @Option(names = "--host", paramLabel = "HOST", description = "the address to listen on")
    private String host = "127.0.0.1";
    @Option(names = "--port", paramLabel = "PORT", description = "0 picks a free port (printed)")
    private int port = 8000;
    @Option(names = "--served-model-name", paramLabel = "NAME", description = "the id clients use (default: the folder's name)")
    private String name;
    @Option(names = "--max-batch-rows", paramLabel = "N", description = "the most completions decoded together")
    private int maxRows = 32;
    @Option(names = "--max-waiting", paramLabel = "N", description = "requests that may wait for room; more get a 429")
    private int maxWaiting = 64;
    @Option(names = "--max-body-bytes", paramLabel = "N", description = "the largest request body; larger get a 413")
    private long maxBodyBytes = 4L << 20;

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isDirectory(model)) {
            throw new UserInputException("serve: --model " + model + ": no such folder");
        }
        for (String[] check : new String[][] {{"--port", "" + port, "0", "65535"}, {"--max-batch-rows", "" + maxRows, "1", "4096"},
            {"--max-waiting", "" + maxWaiting, "1", "100000"}}) {
            long v = Long.parseLong(check[1]);
            if (v < Long.parseLong(check[2]) || v > Long.parseLong(check[3])) {
                throw new UserInputException("serve: " + check[0] + " " + v + ": expected " + check[2] + ".." + check[3]);
            }
        }
        String id = name != null ? name : model.toAbsolutePath().normalize().getFileName().toString();
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // Ctrl-C or a kill: close, then let the JVM go
            stopping.countDown();
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        try (Policy policy = Policy.load(model, Devices.resolve(device, "--device"));
             ServedModel served = ServedModel.of(id, policy, model, maxRows, maxWaiting, err);
             OpenAiServer server = new OpenAiServer(served, host, port, maxBodyBytes, HEARTBEAT_MILLIS, err)) {
            out.println("zero4j serve: model '" + id + "' (context " + served.context() + " tokens, chat template "
                    + served.chatTemplateState + ") at http://" + host + ":" + server.port() + "/v1");
            stopping.await();
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
