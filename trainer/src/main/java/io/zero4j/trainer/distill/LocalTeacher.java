package io.zero4j.trainer.distill;

import io.zero4j.model.UserInputException;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.rollout.batching.ContinuousBatcher;
import io.zero4j.rollout.batching.GenerationListener;
import io.zero4j.rollout.batching.GenerationRequest;
import io.zero4j.trainer.policy.Policy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A teacher loaded from a model folder, its concurrent requests decoded together by a continuous batcher. */
public final class LocalTeacher implements Teacher {
    private final Path folder;
    private final Policy policy;
    private final ContinuousBatcher batcher;

    /** @param policy the loaded folder, which the caller closes after this */
    public LocalTeacher(Path folder, Policy policy, int maxRows) {
        this.folder = folder;
        this.policy = policy;
        this.batcher = new ContinuousBatcher(policy.model(), policy.detokenizer(), policy.eosIds(), maxRows, 1 << 16);
    }

    @Override
    public CompletableFuture<List<Sample>> sample(String prompt, int k, SamplingParams params) {
        int[] ids = policy.encode(prompt);
        if (ids.length == 0 || ids.length + params.maxNewTokens() > batcher.context()) {
            throw new UserInputException("distill: a prompt of " + ids.length + " tokens and sampling.max_completion_length "
                    + params.maxNewTokens() + " do not fit the teacher's context of " + batcher.context());
        }
        CompletableFuture<List<Sample>> done = new CompletableFuture<>();
        Sample[] samples = new Sample[k];
        batcher.submit(new GenerationRequest(ids, k, params, 0, false, new GenerationListener() {
            private int finished;

            @Override
            public void finished(int choice, Completion c) {
                samples[choice] = new Sample(c.text(), c.finishReason().wireName(), c.length());
                if (++finished == k) {
                    done.complete(Arrays.asList(samples));
                }
            }

            @Override
            public void failed(RuntimeException cause) {
                done.completeExceptionally(cause);
            }
        }));
        return done;
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "local");
        p.put("model", folder.toString());
        return p;
    }

    @Override
    public void close() {
        batcher.close();
    }
}
