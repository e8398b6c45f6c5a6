package io.zero4j.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinException;
import io.zero4j.model.UserInputException;
import java.io.PrintStream;

/**
 * The OpenAI-compatible HTTP API over one {@link ServedModel}, on Javalin (Jetty): {@code GET
 * /v1/models}, {@code POST /v1/completions}, {@code POST /v1/chat/completions}. Every refusal is a
 * 4xx with OpenAI's error object (a body past the size limit is a 413, an unknown path a 404); a
 * bug in a handler is a 500 with the same object, and the server keeps serving.
 */
public final class OpenAiServer implements AutoCloseable {
    private static final String JSON = "application/json";
    private final Javalin app;

    /**
     * Starts serving on {@code host:port} (port 0: any free port, see {@link #port()}).
     *
     * @param maxBodyBytes the largest request body accepted
     * @param heartbeatMillis how long a generation waits silently before telling the client it is alive
     * @param log          where handler failures are reported
     */
    OpenAiServer(ServedModel served, String host, int port, long maxBodyBytes, long heartbeatMillis, PrintStream log) {
        CompletionsEndpoint completions = new CompletionsEndpoint(served, heartbeatMillis);
        ChatEndpoint chat = new ChatEndpoint(served, heartbeatMillis);
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = maxBodyBytes;
        });
        app.get("/v1/models", ctx -> ctx.contentType(JSON).result(models(served)));
        app.post("/v1/completions", completions::handle);
        app.post("/v1/chat/completions", chat::handle);
        app.get("/health", ctx -> ctx.result("ok"));
        app.exception(ApiError.class, (e, ctx) -> answer(ctx, e.status, e.json()));
        app.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(),
                ApiError.body(e.getStatus(), "invalid_request_error", null, null, e.getMessage()
                        + (e.getStatus() == 413 ? ": the body may hold at most " + maxBodyBytes + " bytes" : ""))));
        app.exception(Exception.class, (e, ctx) -> {
            log.println("zero4j serve: " + ctx.method() + " " + ctx.path() + " failed: " + e);
            answer(ctx, 500, ApiError.internal("internal error: " + e).json());
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{\"error\"")) {
                answer(ctx, 404, ApiError.body(404, "invalid_request_error", null, null,
                        "no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
        try {
            app.start(host, port);
        } catch (JavalinException e) { // the port is taken, or the host is not this machine's
            app.stop();
            throw new UserInputException("serve: --host " + host + " --port " + port + ": cannot listen there ("
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + ")");
        }
    }

    private static void answer(Context ctx, int status, String json) {
        ctx.status(status).contentType(JSON).result(json);
    }

    private static String models(ServedModel served) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        ObjectNode m = root.putArray("data").addObject();
        m.put("id", served.id);
        m.put("object", "model");
        m.put("created", served.created);
        m.put("owned_by", "zero4j");
        m.put("max_model_len", served.context());
        return root.toString();
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
