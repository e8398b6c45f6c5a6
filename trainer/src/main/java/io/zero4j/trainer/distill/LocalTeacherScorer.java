package io.zero4j.trainer.distill;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CompletionBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A teacher model in this process scoring the student's tokens, a micro-batch at a time, without gradients. */
public final class LocalTeacherScorer implements TeacherScorer {
    private final CausalLM teacher;
    private final int microBatchSize;

    /** @param teacher owned by this scorer from here on (closed with it) */
    public LocalTeacherScorer(CausalLM teacher, int microBatchSize) {
        this.teacher = teacher;
        this.microBatchSize = microBatchSize;
    }

    @Override
    public List<float[]> score(List<int[]> prompts, List<int[]> completions) {
        List<float[]> out = new ArrayList<>();
        boolean gradWas = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try (NDManager m = teacher.manager().newSubManager()) {
            for (int from = 0; from < prompts.size(); from += microBatchSize) {
                int to = Math.min(prompts.size(), from + microBatchSize);
                CompletionBatch b = CompletionBatch.of(prompts.subList(from, to), completions.subList(from, to));
                try (NDScope ignored = new NDScope()) {
                    float[] rows = b.score(teacher, m, 1.0, false).logProbs().toFloatArray();       // [b, C]
                    for (int r = 0; r < to - from; r++) {
                        int at = r * b.completionWidth();
                        out.add(Arrays.copyOfRange(rows, at, at + completions.get(from + r).length));
                    }
                }
            }
        } finally {
            Autograd.setEnabledOnThisThread(gradWas);
        }
        return out;
    }

    @Override
    public void close() {
        teacher.close();
    }
}
