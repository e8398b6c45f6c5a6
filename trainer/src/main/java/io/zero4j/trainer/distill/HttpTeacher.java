package io.zero4j.trainer.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.UserInputException;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.config.RunConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A teacher behind any OpenAI-compatible {@code /v1/completions}: one request per problem with
 * {@code n} samples and a seed, at most {@code concurrency} at once and {@code requests_per_second}
 * started per second; a 429, a 5xx, a 200 whose body is an error object (a failure after the status
 * was sent), a timeout or a lost connection is retried with exponential backoff (honouring
 * {@code Retry-After}, in seconds or as a date), another 4xx fails the collection with the server's message.
 * As a {@link TeacherScorer} it sends the prompt and the student's tokens as token ids with
 * {@code echo}, {@code logprobs: 0} and {@code max_tokens: 0}, and reads the completion's part of
 * the echoed {@code token_logprobs}.
 * A choice's {@code stop_reason} (vLLM's and zero4j serve's: the stop string that ended it) is put
 * back on its text, since OpenAI's API leaves it off and the rewards need it.
 */
public final class HttpTeacher implements Teacher, TeacherScorer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long MAX_RETRY_AFTER_MILLIS = 600_000;
    private final RunConfig.Teacher settings;
    private final String apiKey;
    private final HttpClient http;
    private final ExecutorService requests;
    private final long backoffMillis;
    private long nextStartNanos;

    /**
     * @param backoffMillis the first retry's wait, doubled for each next one
     * @param source        the config file, named in a mistake of its settings
     */
    public HttpTeacher(RunConfig.Teacher settings, Map<String, String> environment, long backoffMillis, String source) {
        this.settings = settings;
        this.apiKey = apiKey(settings, environment, source);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        this.requests = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "zero4j-teacher");
            t.setDaemon(true);
            return t;
        });
        this.backoffMillis = backoffMillis;
    }

    /**
     * The key sent as {@code Authorization: Bearer}: the value of the variable {@code api_key_env}
     * names, or null when it names none; a named variable that is not set is refused.
     */
    public static String apiKey(RunConfig.Teacher settings, Map<String, String> environment, String source) {
        if (settings.apiKeyEnv() == null) {
            return null;
        }
        String key = environment.get(settings.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw new UserInputException(source + ": key 'teacher.api_key_env': the environment variable " + settings.apiKeyEnv()
                    + " is not set (set it to the endpoint's key, or leave teacher.api_key_env out to send none)");
        }
        return key;
    }

    @Override
    public CompletableFuture<List<Sample>> sample(String prompt, int k, SamplingParams params) {
        String body = body(prompt, k, params).toString();
        return CompletableFuture.supplyAsync(() -> samples(send(body), k), requests);
    }

    @Override
    public List<float[]> score(List<int[]> prompts, List<int[]> completions) {
        List<CompletableFuture<float[]>> rows = new ArrayList<>();
        for (int r = 0; r < prompts.size(); r++) {
            int[] prompt = prompts.get(r);
            int[] completion = completions.get(r);
            rows.add(CompletableFuture.supplyAsync(() -> scored(send(scoringBody(prompt, completion).toString()), completion.length),
                    requests));
        }
        return rows.stream().map(TraceCollection::await).toList();
    }

    private ObjectNode scoringBody(int[] prompt, int[] completion) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", settings.servedModel());
        var ids = o.putArray("prompt");
        java.util.stream.IntStream.concat(java.util.Arrays.stream(prompt), java.util.Arrays.stream(completion)).forEach(ids::add);
        o.put("max_tokens", 0);
        o.put("echo", true);
        o.put("logprobs", 0);
        o.put("temperature", 1.0);
        return o;
    }

    /** The last {@code length} of the echoed prompt's token log-probabilities. */
    private float[] scored(String body, int length) {
        JsonNode lp;
        try {
            lp = JSON.readTree(body).path("choices").path(0).path("logprobs").path("token_logprobs");
        } catch (IOException e) {
            throw new UserInputException("distill: teacher.url " + settings.url() + " answered with no JSON: " + e.getMessage());
        }
        if (!lp.isArray() || lp.size() < length + 1) {
            throw new UserInputException("distill: teacher.url " + settings.url() + " did not score the echoed prompt"
                    + " (it needs echo with logprobs and max_tokens 0, as zero4j serve and vLLM answer)");
        }
        float[] out = new float[length];
        for (int t = 0; t < length; t++) {
            out[t] = (float) lp.get(lp.size() - length + t).asDouble();
        }
        return out;
    }

    private ObjectNode body(String prompt, int k, SamplingParams p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", settings.servedModel());
        o.put("prompt", prompt);
        o.put("n", k);
        o.put("max_tokens", p.maxNewTokens());
        o.put("temperature", p.temperature());
        o.put("top_p", p.topP());
        if (p.topK() > 0) {
            o.put("top_k", p.topK()); // vLLM's and zero4j's extensions: sent only when used
        }
        if (p.minP() > 0) {
            o.put("min_p", p.minP());
        }
        if (!p.stopStrings().isEmpty()) {
            p.stopStrings().forEach(o.putArray("stop")::add);
        }
        o.put("seed", p.seed());
        o.put("logprobs", 0); // the token list gives each choice's length, which rewards such as overlong read
        return o;
    }

    /** The answer's body, after as many retries as allowed. */
    private String send(String body) {
        URI uri = URI.create(settings.url().replaceAll("/+$", "") + "/completions");
        for (int attempt = 0; ; attempt++) {
            waitForRateLimit();
            String why;
            long wait = Math.min(MAX_BACKOFF_MILLIS, backoffMillis << Math.min(attempt, 20));
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis((long) (settings.timeoutSeconds() * 1000)))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                if (apiKey != null) {
                    request.header("Authorization", "Bearer " + apiKey);
                }
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String error = r.body().contains("\"error\"") ? errorMessage(r.body()) : null;
                if (r.statusCode() == 200 && error == null) {
                    return r.body();
                }
                why = "answered " + r.statusCode() + ": " + (error == null ? shortened(r.body()) : error);
                if (r.statusCode() != 200 && r.statusCode() != 429 && r.statusCode() < 500) {
                    throw new UserInputException("distill: teacher.url " + settings.url() + " " + why);
                }
                // a 200 with an error object is a failure found after the status was sent (vLLM, zero4j serve): retried
                wait = Math.max(wait, retryAfterMillis(r.headers()));
            } catch (IOException e) {
                why = "failed: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("distill: interrupted", e);
            }
            if (attempt >= settings.maxRetries()) {
                throw new UserInputException("distill: teacher.url " + settings.url() + " " + why + " (after "
                        + (attempt + 1) + " attempts; raise teacher.max_retries to try longer)");
            }
            sleep(wait);
        }
    }

    /** The message of the body's OpenAI-style error object; null when the body is not one. */
    private static String errorMessage(String body) {
        try {
            JsonNode e = JSON.readTree(body).path("error");
            return e.isObject() ? e.path("message").asText() : e.isTextual() ? e.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String shortened(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    /**
     * What a {@code Retry-After} header asks for, in milliseconds: delay-seconds or an HTTP-date
     * (RFC 9110), at most {@link #MAX_RETRY_AFTER_MILLIS}; 0 when there is none or it cannot be read.
     */
    static long retryAfterMillis(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").map(String::trim).orElse("");
        long millis = 0;
        if (value.matches("\\d+(\\.\\d+)?")) {
            millis = (long) (Double.parseDouble(value) * 1000);
        } else if (!value.isEmpty()) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                millis = Duration.between(Instant.now(), at).toMillis();
            } catch (DateTimeParseException unreadable) {
                millis = 0;
            }
        }
        return Math.max(0, Math.min(MAX_RETRY_AFTER_MILLIS, millis));
    }

    private synchronized void waitForRateLimit() {
        if (settings.requestsPerSecond() <= 0) {
            return;
        }
        long now = System.nanoTime();
        long start = Math.max(now, nextStartNanos);
        nextStartNanos = start + (long) (1e9 / settings.requestsPerSecond());
        sleep((start - now) / 1_000_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("distill: interrupted", e);
        }
    }

    private List<Sample> samples(String body, int k) {
        JsonNode choices;
        try {
            choices = JSON.readTree(body).path("choices");
        } catch (IOException e) {
            throw new UserInputException("distill: teacher.url " + settings.url() + " answered with no JSON: " + e.getMessage());
        }
        if (!choices.isArray() || choices.size() != k) {
            throw new UserInputException("distill: teacher.url " + settings.url() + " answered " + choices.size()
                    + " choices for n = " + k);
        }
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(null);
        }
        for (JsonNode c : choices) {
            int index = c.path("index").asInt(-1);
            if (index < 0 || index >= k || out.get(index) != null) {
                throw new UserInputException("distill: teacher.url " + settings.url() + " answered choice index " + c.path("index")
                        + " for n = " + k);
            }
            JsonNode stop = c.path("stop_reason");
            String text = c.path("text").asText() + (stop.isTextual() ? stop.asText() : "");
            out.set(index, new Sample(text, c.path("finish_reason").asText(), tokens(c, stop)));
        }
        return out;
    }

    /**
     * A choice's length in tokens: its logprobs' token list, plus the EOS token those lists leave out
     * when it stopped without a stop string ({@code stop_reason} null); -1 when the server sent no list.
     */
    private static int tokens(JsonNode choice, JsonNode stopReason) {
        JsonNode list = choice.path("logprobs").path("tokens");
        if (!list.isArray()) {
            return -1;
        }
        boolean endedOnEos = "stop".equals(choice.path("finish_reason").asText()) && !stopReason.isTextual();
        return list.size() + (endedOnEos ? 1 : 0);
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "http");
        p.put("url", settings.url());
        p.put("model", settings.servedModel());
        return p;
    }

    @Override
    public void close() {
        requests.shutdownNow();
    }
}
