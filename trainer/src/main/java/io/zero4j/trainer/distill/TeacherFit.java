package io.zero4j.trainer.distill;

import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.policy.Policy;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether a teacher loaded here can score a student's tokens: the teacher reads the student's token
 * ids, so it must read them as the same text (one tokenizer), know every id the student can sample,
 * and hold a whole prompt and completion. A teacher that fails is one line before the first step,
 * not a wrong signal or a native error midway.
 */
public final class TeacherFit {
    /** Text that splits differently under different tokenizers: words, digits, tags, LaTeX, accents, CJK. */
    private static final String PROBE = "Start with 7. Add 3, add 8, keep the last digit. <think> 7+3=10, 0+8=08 </think>"
            + " <answer>8</answer> The answer is \\frac{1}{2} = 0.5; caf\u00e9 \u4f60\u597d \u2211 x\u00b2";

    private TeacherFit() {
    }

    /**
     * Reads the teacher folder's config and tokenizer only (its weights are loaded after).
     *
     * @param source the config file, named in the error
     */
    public static void check(Path teacherDir, Policy student, RunConfig.Sampling sampling, String source) {
        String where = source + ": key 'teacher.model': " + teacherDir;
        ModelConfig teacher = ModelLoader.check(teacherDir);
        int studentVocab = student.model().config().vocabSize();
        int teacherVocab = teacher.vocabSize();
        if (teacherVocab < studentVocab) {
            throw new UserInputException(where + " has a vocabulary of " + teacherVocab + ", the student " + studentVocab
                    + ": on-policy distillation needs a teacher that knows every token the student samples");
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(teacherDir)) {
            int[] theirs = tokenizer.encode(PROBE);
            int[] ours = student.encode(PROBE);
            if (!Arrays.equals(theirs, ours)) {
                throw new UserInputException(where + " tokenizes text differently from the student (" + theirs.length
                        + " tokens against " + ours.length + " for the same sentence): on-policy distillation needs one tokenizer");
            }
        }
        int needed = sampling.maxPromptLength() + sampling.maxCompletionLength();
        if (teacher.maxPositionEmbeddings() < needed) {
            throw new UserInputException(where + " has a context of " + teacher.maxPositionEmbeddings()
                    + " tokens, less than sampling.max_prompt_length + max_completion_length (" + needed + ")");
        }
    }
}
