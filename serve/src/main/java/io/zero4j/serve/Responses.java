package io.zero4j.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.zero4j.rollout.batching.ScoredToken;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs a generation request to its answer: waits for the batcher's events, sends stream chunks as
 * tokens come (each choice's first chunks when its first token does, so an echoed prompt's scores
 * are in), or one JSON body at the end, with heartbeats while waiting. A client that went away
 * frees its rows; an error after the status was sent ends the body with the error object.
 */
final class Responses {
    private Responses() {
    }

    /** What an endpoint answers, whole or in chunks. */
    interface Answer {
        SamplingRequest request();

        default void promptScored(int prompt, List<ScoredToken> tokens) {
        }

        /** The non-streamed answer. */
        String whole(List<ChoiceText> choices);

        /** Chunks that open a choice's stream (the chat role, an echoed prompt). */
        List<String> first(int choice);

        /** The chunk for a new token and the text it made sendable, or null to send nothing. */
        String delta(int choice, String text, ScoredToken token);

        /** The chunk that ends a choice, with the rest of its text. */
        String last(int choice, String text, ChoiceText t);

        /** The final chunk with usage ({@code stream_options.include_usage}). */
        String usageChunk(long completionTokens);
    }

    static void run(Context ctx, ServedModel served, Generations g, boolean stream, long heartbeatMillis, Answer answer) {
        ResponseChannel channel = new ResponseChannel(ctx.res(), stream);
        List<ChoiceText> choices = new ArrayList<>();
        boolean[] opened = new boolean[g.choices()];
        for (int c = 0; c < g.choices(); c++) {
            choices.add(new ChoiceText(served, answer.request()));
        }
        try {
            long lastWrite = System.currentTimeMillis();
            while (!g.done()) {
                Generations.Event e = g.next(250);
                long now = System.currentTimeMillis();
                if (now - lastWrite >= heartbeatMillis) { // however busy the events: a JSON answer sends nothing till the end
                    channel.heartbeat();
                    lastWrite = now;
                }
                if (e == null) {
                    continue;
                }
                if (e instanceof Generations.PromptScored p) {
                    answer.promptScored(p.prompt(), p.tokens());
                } else if (stream) {
                    send(e, choices, opened, answer, channel);
                    lastWrite = now;
                } else {
                    record(e, choices);
                }
            }
            if (stream) {
                if (answer.request().includeUsage()) {
                    channel.event(answer.usageChunk(choices.stream().mapToLong(t -> t.completion.length()).sum()));
                }
                channel.done();
            } else {
                channel.json(answer.whole(choices));
            }
        } catch (ResponseChannel.ClientGone gone) {
            g.cancel();
        } catch (ApiError e) {
            g.cancel();
            if (!channel.started()) {
                throw e;
            }
            try {
                channel.failLate(e.json());
            } catch (ResponseChannel.ClientGone ignored) { // nobody left to tell
            }
        } catch (InterruptedException e) {
            g.cancel();
            Thread.currentThread().interrupt();
        }
    }

    private static void record(Generations.Event e, List<ChoiceText> choices) {
        if (e instanceof Generations.Sampled s) {
            choices.get(s.choice()).add(s.token());
        } else if (e instanceof Generations.Finished f) {
            choices.get(f.choice()).finish(f.completion());
        }
    }

    private static void send(Generations.Event e, List<ChoiceText> choices, boolean[] opened, Answer answer,
                             ResponseChannel channel) {
        int choice = e instanceof Generations.Sampled s ? s.choice() : ((Generations.Finished) e).choice();
        if (!opened[choice]) {
            opened[choice] = true;
            answer.first(choice).forEach(channel::event);
        }
        ChoiceText t = choices.get(choice);
        if (e instanceof Generations.Sampled s) {
            String chunk = answer.delta(choice, t.add(s.token()), s.token());
            if (chunk != null) {
                channel.event(chunk);
            }
        } else {
            Generations.Finished f = (Generations.Finished) e;
            channel.event(answer.last(choice, t.finish(f.completion()), t));
        }
    }

    /** The fields every answer and chunk starts with. */
    static ObjectNode envelope(ServedModel served, String id, String object) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("object", object);
        o.put("created", served.created);
        o.put("model", served.id);
        return o;
    }

    /** The last chunk of a stream that asked for usage: no choices, the token counts. */
    static String usageChunk(ServedModel served, String id, String object, List<int[]> prompts, long completionTokens) {
        ObjectNode o = envelope(served, id, object);
        o.putArray("choices");
        o.set("usage", usage(prompts, completionTokens));
        return o.toString();
    }

    static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    static ObjectNode usage(List<int[]> prompts, long completionTokens) {
        long promptTokens = prompts.stream().mapToLong(p -> p.length).sum();
        ObjectNode u = JsonNodeFactory.instance.objectNode();
        u.put("prompt_tokens", promptTokens);
        u.put("completion_tokens", completionTokens);
        u.put("total_tokens", promptTokens + completionTokens);
        return u;
    }
}
