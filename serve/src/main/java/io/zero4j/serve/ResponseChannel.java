package io.zero4j.serve;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The response of a generation request, written straight to the servlet stream: one JSON body, or
 * server-sent events ({@code data: {...}} and {@code data: [DONE]}). A write that fails means the
 * client went away ({@link ClientGone}), and the request's rows are freed. While a JSON answer is
 * being generated, a space is sent after each quiet interval (JSON allows leading whitespace; an event stream
 * gets a comment line instead), so a client that disconnected is noticed before its rows finish.
 */
final class ResponseChannel {
    /** The client closed the connection. */
    static final class ClientGone extends RuntimeException {
        ClientGone(IOException cause) {
            super(cause);
        }
    }

    private final HttpServletResponse response;
    private final boolean eventStream;
    private boolean started;

    ResponseChannel(HttpServletResponse response, boolean eventStream) {
        this.response = response;
        this.eventStream = eventStream;
    }

    boolean started() {
        return started;
    }

    private OutputStream open() throws IOException {
        if (!started) {
            response.setStatus(200);
            response.setContentType(eventStream ? "text/event-stream" : "application/json");
            response.setCharacterEncoding("utf-8");
            response.setHeader("Cache-Control", "no-cache");
            started = true;
        }
        return response.getOutputStream();
    }

    private void write(String text) {
        try {
            OutputStream out = open();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    /** Tells the client the request is alive (and learns whether the client is). */
    void heartbeat() {
        write(eventStream ? ": generating\n\n" : " ");
    }

    /** One server-sent event. */
    void event(String json) {
        write("data: " + json + "\n\n");
    }

    void done() {
        write("data: [DONE]\n\n");
    }

    /** The whole JSON answer. */
    void json(String body) {
        write(body);
    }

    /** An error after the status was sent: the error object as the body, or as the last event. */
    void failLate(String errorJson) {
        if (eventStream) {
            event(errorJson);
            done();
        } else {
            json(errorJson);
        }
    }
}
