package io.zero4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints against the engine itself: what the server answers is what RolloutEngine samples. */
class ServeCompletionsTest {
    @TempDir
    static Path dir;
    static TinyServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TinyServer(dir, true, 16, 64, 1 << 20);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static Completion alone(String prompt, int n, SamplingParams params) {
        return s.policy.engine().generate(List.of(s.policy.encode(prompt)), n, params.withLogProbTemperature(1.0)).get(0);
    }

    private static String body(String prompt, String extra) {
        return "{\"model\":\"tiny\",\"prompt\":" + TinyServer.JSON.valueToTree(prompt) + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void listsItsOneModel() throws Exception {
        TinyServer.Reply r = s.get("/v1/models");
        assertEquals(200, r.status());
        assertEquals("tiny", r.body().at("/data/0/id").asText());
        assertEquals(1024, r.body().at("/data/0/max_model_len").asInt());
    }

    @Test
    void aGreedyCompletionIsTheEnginesWithItsLogProbs() throws Exception {
        String prompt = "Start with 4. Add 3";
        TinyServer.Reply r = s.post("/v1/completions", body(prompt, "\"max_tokens\":24,\"temperature\":0,\"logprobs\":2"));
        assertEquals(200, r.status(), r.body().toString());
        Completion expected = alone(prompt, 1, SamplingParams.greedy(24));
        JsonNode choice = r.body().at("/choices/0");
        assertEquals(expected.text(), choice.get("text").asText());
        assertEquals(expected.finishReason().wireName(), choice.get("finish_reason").asText());
        JsonNode lp = choice.get("logprobs");
        int shown = expected.text().isEmpty() ? 0 : lp.get("tokens").size();
        for (int i = 0; i < shown; i++) {
            assertEquals(expected.logProbs()[i], lp.get("token_logprobs").get(i).floatValue(), 1e-4, "token " + i);
            int alternatives = lp.get("top_logprobs").get(i).size();
            assertTrue(alternatives >= 1 && alternatives <= 2, "two alternatives (fewer when two share a text)");
        }
        assertEquals(s.policy.encode(prompt).length, r.body().at("/usage/prompt_tokens").asInt());
        assertEquals(expected.length(), r.body().at("/usage/completion_tokens").asInt());
    }

    @Test
    void seededSamplingDrawsTheEnginesTokensForEveryChoice() throws Exception {
        String prompt = "Start with 9.";
        TinyServer.Reply r = s.post("/v1/completions",
                body(prompt, "\"max_tokens\":20,\"temperature\":0.8,\"top_k\":20,\"top_p\":0.95,\"n\":3,\"seed\":42"));
        assertEquals(200, r.status(), r.body().toString());
        List<Completion> expected = s.policy.engine().generate(List.of(s.policy.encode(prompt)), 3,
                new SamplingParams(0.8, 20, 42).withTopK(20).withTopP(0.95).withLogProbTemperature(1.0)).completions();
        for (int c = 0; c < 3; c++) {
            assertEquals(expected.get(c).text(), r.body().at("/choices/" + c + "/text").asText(), "choice " + c);
        }
    }

    @Test
    void aStreamSendsTheSameTextInPiecesThenDone() throws Exception {
        String prompt = "Start with 1. Add 5";
        String whole = s.post("/v1/completions", body(prompt, "\"max_tokens\":30,\"temperature\":0,\"stop\":[\"9\"]"))
                .body().at("/choices/0/text").asText();
        List<String> events = s.stream("/v1/completions",
                body(prompt, "\"max_tokens\":30,\"temperature\":0,\"stop\":[\"9\"],\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true}"));
        assertEquals("[DONE]", events.get(events.size() - 1));
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String e : events.subList(0, events.size() - 2)) {
            JsonNode chunk = TinyServer.JSON.readTree(e);
            text.append(chunk.at("/choices/0/text").asText());
            if (!chunk.at("/choices/0/finish_reason").isNull()) {
                finish = chunk.at("/choices/0/finish_reason").asText();
            }
        }
        assertEquals(whole, text.toString());
        assertTrue(!whole.contains("9"), "a stop string is not shown");
        assertTrue(finish != null);
        assertTrue(TinyServer.JSON.readTree(events.get(events.size() - 2)).at("/usage/total_tokens").asInt() > 0);
    }

    @Test
    void echoWithLogprobsAndNoNewTokensScoresThePrompt() throws Exception {
        String prompt = "Start with 2. Add 5, add 9";
        TinyServer.Reply r = s.post("/v1/completions", body(prompt, "\"max_tokens\":0,\"echo\":true,\"logprobs\":0"));
        assertEquals(200, r.status(), r.body().toString());
        JsonNode lp = r.body().at("/choices/0/logprobs");
        int[] ids = s.policy.encode(prompt);
        assertEquals(prompt, r.body().at("/choices/0/text").asText());
        assertEquals(ids.length, lp.get("tokens").size());
        assertTrue(lp.get("token_logprobs").get(0).isNull(), "nothing scores the first token");
        for (int i = 1; i < ids.length; i++) {
            assertTrue(lp.get("token_logprobs").get(i).asDouble() < 0);
        }
        assertEquals(0, r.body().at("/usage/completion_tokens").asInt());
    }

    @Test
    void aChatCompletionIsTheCompletionOfItsRenderedTemplate() throws Exception {
        String rendered = "user: Start with 3.\nassistant:";
        TinyServer.Reply chat = s.post("/v1/chat/completions", "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Start with 3.\"}],\"max_tokens\":20,\"temperature\":0,\"logprobs\":true,\"top_logprobs\":2}");
        assertEquals(200, chat.status(), chat.body().toString());
        assertEquals(alone(rendered, 1, SamplingParams.greedy(20)).text(), chat.body().at("/choices/0/message/content").asText());
        assertEquals("assistant", chat.body().at("/choices/0/message/role").asText());
        assertEquals(2, chat.body().at("/choices/0/logprobs/content/0/top_logprobs").size());
    }

    @Test
    void sixteenConcurrentRequestsEachGetTheirSequentialAnswer() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            bodies.add(body("Start with " + i + ".", "\"max_tokens\":" + (10 + 3 * i) + ",\"temperature\":"
                    + (i % 2 == 0 ? "0" : "0.9,\"seed\":" + i) + (i % 3 == 0 ? ",\"n\":2" : "")));
        }
        List<String> sequential = new ArrayList<>();
        for (String b : bodies) {
            sequential.add(s.post("/v1/completions", b).body().get("choices").toString());
        }
        long stepsBefore = s.served.batcher.stats().decodeSteps();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<TinyServer.Reply>> replies = new ArrayList<>();
            for (String b : bodies) {
                replies.add(pool.submit(() -> s.post("/v1/completions", b)));
            }
            for (int i = 0; i < 16; i++) {
                TinyServer.Reply r = replies.get(i).get();
                assertEquals(200, r.status());
                assertEquals(sequential.get(i), r.body().get("choices").toString(), "request " + i);
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(s.served.batcher.stats().widestStep() > 4, "requests shared decode steps: " + s.served.batcher.stats()
                + " after " + stepsBefore + " steps alone");
    }
}
