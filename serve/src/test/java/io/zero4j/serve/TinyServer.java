package io.zero4j.serve;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Architecture;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.model.tokenizer.ByteLevelTokenizerBuilder;
import io.zero4j.trainer.policy.Policy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real server on loopback over a tiny model folder: the toy tokenizer (with a chat template
 * added), random sharp weights, a 1024-token context; and an HTTP client for it.
 */
final class TinyServer implements AutoCloseable {
    static final String CHAT_TEMPLATE = "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"
            + "{% if add_generation_prompt %}assistant:{% endif %}";
    static final ObjectMapper JSON = new ObjectMapper();
    final Policy policy;
    final ServedModel served;
    final OpenAiServer server;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Writes the model folder into {@code dir} (once per folder) and serves it. */
    TinyServer(Path dir, boolean withChatTemplate, int maxRows, int maxWaiting, long maxBodyBytes) throws Exception {
        this(dir, withChatTemplate, true, maxRows, maxWaiting, maxBodyBytes);
    }

    /** As above; without {@code endsOnEos} the model has no EOS token, so only the length limit ends a completion. */
    TinyServer(Path dir, boolean withChatTemplate, boolean endsOnEos, int maxRows, int maxWaiting, long maxBodyBytes)
            throws Exception {
        writeFolder(dir, withChatTemplate, endsOnEos, 5);
        policy = Policy.load(dir, ai.djl.Device.cpu());
        served = ServedModel.of("tiny", policy, dir, maxRows, maxWaiting, new PrintStream(log, true));
        server = new OpenAiServer(served, "127.0.0.1", 0, maxBodyBytes, 200, new PrintStream(log, true));
    }

    /**
     * The model folder, unless {@code dir} holds one: the toy tokenizer and sharp random weights of
     * {@code seed} (folders of one tokenizer and different seeds are a teacher and its student).
     */
    static void writeFolder(Path dir, boolean withChatTemplate, boolean endsOnEos, long seed) throws Exception {
        if (!Files.exists(dir.resolve("config.json"))) {
            ByteLevelTokenizerBuilder tokenizer = endsOnEos ? ModelPresets.toyTokenizer() : new ByteLevelTokenizerBuilder();
            tokenizer.writeTo(dir);
            ModelConfig shape = ModelConfig.of(Architecture.QWEN2, 32, 64, 2, 4, 2, tokenizer.vocabSize(), true, 1024)
                    .withEos(endsOnEos ? List.of(tokenizer.specialId(ModelPresets.EOS)) : List.of(), null);
            try (CausalLM model = TinyModels.sharpModel(shape, seed, DataType.FLOAT32)) {
                ModelExporter.export(model, null, dir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            }
            if (withChatTemplate) {
                Path config = dir.resolve("tokenizer_config.json");
                ObjectNode c = (ObjectNode) JSON.readTree(config.toFile());
                c.put("chat_template", CHAT_TEMPLATE);
                JSON.writeValue(config.toFile(), c);
            }
        }
    }

    /** {@code count} problems, "Start with i." with the answer i mod 10, as a dataset file. */
    static Path writeProblems(Path file, int count) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add("{\"question\":\"Start with " + i + ".\",\"answer\":\"" + (i % 10) + "\"}");
        }
        return Files.write(file, rows);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    record Reply(int status, JsonNode body) {
    }

    Reply post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    Reply get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    /** The {@code data:} payloads of a streamed answer, {@code [DONE]} included. */
    List<String> stream(String path, String body) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new AssertionError("status " + r.statusCode() + ": " + r.body().collect(Collectors.joining("\n")));
        }
        return r.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        server.close();
        served.close();
        policy.close();
    }
}
