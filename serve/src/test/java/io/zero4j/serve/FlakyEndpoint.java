package io.zero4j.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint on loopback (the JDK's server) in front of a {@link TinyServer}, the way a
 * hosted API sits in front of its model: each request goes through {@link Script}, which may answer
 * it (a 429, a 503, a 401, a broken body) instead of the model; the rest are forwarded as they are.
 * It records when each distinct request body came and with which {@code Authorization}.
 */
final class FlakyEndpoint implements AutoCloseable {
    /** What the endpoint answers instead of the model, or null to forward. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    /** Decides a request's fate from how many times this same body came before and its key. */
    interface Script {
        Answer answer(int earlierAttempts, String authorization, String body);
    }

    /** One request as it came: its body, its {@code Authorization} header (null: none), when. */
    record Attempt(String body, String authorization, long nanos) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI target;
    private final Script script;
    private final Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();

    FlakyEndpoint(TinyServer target, Script script) throws IOException {
        this.target = target.uri("");
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The OpenAI base URL this endpoint answers under. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Every distinct request body's attempts, in arrival order. */
    List<List<Attempt>> attemptsByRequest() {
        return new ArrayList<>(attempts.values());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        List<Attempt> earlier = attempts.computeIfAbsent(body, b -> new ArrayList<>());
        Answer answer;
        synchronized (earlier) {
            answer = script.answer(earlier.size(), authorization, body);
            earlier.add(new Attempt(body, authorization, System.nanoTime()));
        }
        if (answer == null) {
            answer = forward(exchange, body);
        }
        answer.headers().forEach(exchange.getResponseHeaders()::add);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Answer forward(HttpExchange exchange, String body) throws IOException {
        URI uri = target.resolve(exchange.getRequestURI().getPath());
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), Map.of("Content-Type", "application/json"), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** An OpenAI-style error answer. */
    static Answer error(int status, String message, Map<String, String> headers) {
        return new Answer(status, headers, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"test\",\"code\":" + status + "}}");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
