package io.zero4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a 4xx with OpenAI's error object and the server goes on; a client that leaves frees its rows. */
class ServeErrorsTest {
    @TempDir
    static Path dir;
    @TempDir
    static Path plainDir;
    static TinyServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TinyServer(dir, true, false, 4, 2, 4096); // no EOS: a request of 1000 tokens runs until cancelled
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static void refused(int status, String param, String path, String body) throws Exception {
        TinyServer.Reply r = s.post(path, body);
        assertEquals(status, r.status(), body + " -> " + r.body());
        assertTrue(r.body().at("/error/message").asText().length() > 5, r.body().toString());
        assertTrue(r.body().at("/error/type").isTextual(), r.body().toString());
        if (param != null) {
            assertEquals(param, r.body().at("/error/param").asText(), r.body().toString());
        }
        assertEquals(200, s.post("/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"ok\",\"max_tokens\":2}").status(),
                "still serving after " + body);
    }

    @Test
    void eachBadInputGetsItsStatusAndTheServerGoesOn() throws Exception {
        refused(400, null, "/v1/completions", "{\"model\": \"tiny\", \"prompt\": ");
        refused(400, null, "/v1/completions", "[1, 2]");
        refused(404, "model", "/v1/completions", "{\"model\":\"gpt-5\",\"prompt\":\"hi\"}");
        refused(400, "max_tokens", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"max_tokens\":5000}");
        refused(400, "temperature", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"temperature\":-0.5}");
        refused(400, "top_p", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"top_p\":0}");
        refused(400, "n", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"n\":0}");
        refused(400, "prompt", "/v1/completions", "{\"model\":\"tiny\"}");
        refused(400, "prompt", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":[[1, 99999]]}");
        refused(400, "presence_penalty", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"presence_penalty\":1}");
        refused(400, "best_of", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"best_of\":3}");
        refused(400, "frobnicate", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"frobnicate\":1}");
        refused(400, "max_tokens", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"max_tokens\":0}");
        refused(400, "stop", "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"stop\":[\"\"]}");
        refused(400, "messages", "/v1/chat/completions", "{\"model\":\"tiny\",\"messages\":[]}");
        refused(400, "tools", "/v1/chat/completions",
                "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[]}");
        refused(400, "top_logprobs", "/v1/chat/completions",
                "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}");
        refused(413, null, "/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"" + "x".repeat(5000) + "\"}");
        refused(404, null, "/v1/embeddings", "{\"model\":\"tiny\",\"input\":\"x\"}");
    }

    @Test
    void aModelWithoutAChatTemplateRefusesChatClearly() throws Exception {
        try (TinyServer plain = new TinyServer(plainDir, false, 2, 2, 4096)) {
            TinyServer.Reply r = plain.post("/v1/chat/completions",
                    "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertEquals(400, r.status());
            assertTrue(r.body().at("/error/message").asText().contains("has no chat template"), r.body().toString());
            assertEquals(200, plain.post("/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"ok\"}").status());
        }
        // a template the renderer cannot compile leaves completions served, chat refused with the reason, and says so at start
        Path broken = plainDir.resolve("broken");
        TinyServer.writeFolder(broken, false, true, 5);
        Files.writeString(broken.resolve("chat_template.jinja"), "{% for m in messages %}{{ m.content ");
        try (TinyServer server = new TinyServer(broken, false, 2, 2, 4096)) {
            String warning = server.log.toString(StandardCharsets.UTF_8);
            assertTrue(warning.startsWith("zero4j serve: the chat template of model 'tiny' cannot be rendered here: "), warning);
            TinyServer.Reply r = server.post("/v1/chat/completions",
                    "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertEquals(400, r.status());
            assertTrue(r.body().at("/error/message").asText().contains("cannot be rendered here"), r.body().toString());
            assertEquals(200, server.post("/v1/completions", "{\"model\":\"tiny\",\"prompt\":\"ok\"}").status());
        }
    }

    @Test
    void aTakenPortIsOneLineAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String line = DistillAgainstServeTest.refused("serve", "--model", dir.toString(), "--port", "" + taken.getLocalPort());
            assertTrue(line.startsWith("zero4j: serve: --host 127.0.0.1 --port " + taken.getLocalPort() + ": cannot listen there"),
                    line);
        }
    }

    @Test
    void aFullQueueIsA429AndTheOthersAreServed() throws Exception {
        // 4 rows and 2 waiting places: of 12 requests of n = 4 sent at once, one runs, two wait, the rest are refused
        String slow = "{\"model\":\"tiny\",\"prompt\":\"x\",\"max_tokens\":1000,\"n\":4}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<TinyServer.Reply>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                replies.add(pool.submit(() -> s.post("/v1/completions", slow)));
            }
            int refused = 0;
            for (java.util.concurrent.Future<TinyServer.Reply> f : replies) {
                TinyServer.Reply r = f.get();
                assertTrue(r.status() == 200 || r.status() == 429, r.status() + ": " + r.body().at("/error"));
                if (r.status() == 429) {
                    refused++;
                    assertEquals("server_overloaded", r.body().at("/error/code").asText());
                }
            }
            assertTrue(refused >= 1 && refused <= 9, refused + " refused");
        } finally {
            pool.shutdown();
        }
        waitForRows(0);
    }

    @Test
    void clientsThatDisconnectFreeTheirRows() throws Exception {
        for (String stream : new String[] {"true", "false"}) {
            long before = s.served.batcher.stats().rowSteps();
            long cancelledBefore = s.served.batcher.stats().cancelledRows();
            Socket client = send("{\"model\":\"tiny\",\"prompt\":\"x\",\"max_tokens\":1000,\"n\":2,\"stream\":" + stream + "}");
            waitForRows(2);
            client.close();
            waitForRows(0);
            long spent = s.served.batcher.stats().rowSteps() - before;
            assertTrue(spent < 2 * 1000, "stream " + stream + ": the rows left early, after " + spent + " row-steps");
            for (int i = 0; i < 200 && s.served.batcher.stats().cancelledRows() < cancelledBefore + 2; i++) {
                Thread.sleep(10); // counted when the batch drops them, a moment after they stop running
            }
            assertEquals(cancelledBefore + 2, s.served.batcher.stats().cancelledRows(), "both rows cancelled, none finished");
        }
    }

    private static Socket send(String body) throws Exception {
        Socket socket = new Socket("127.0.0.1", s.server.port());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static void waitForRows(int rows) throws InterruptedException {
        for (int i = 0; i < 400 && s.served.batcher.runningRows() != rows; i++) {
            Thread.sleep(25);
        }
        assertEquals(rows, s.served.batcher.runningRows(), "running rows");
    }
}
