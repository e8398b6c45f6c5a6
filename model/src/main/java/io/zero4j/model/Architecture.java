package io.zero4j.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder families we run. All three are the same pre-norm transformer (RMSNorm, RoPE, GQA,
 * SwiGLU); they differ only in flags that {@link ModelConfig} carries: Qwen2 puts a bias on q/k/v,
 * Qwen3 normalises q and k per head, Llama may put a bias on all four projections.
 */
public enum Architecture {
    LLAMA("LlamaForCausalLM", "llama"),
    QWEN2("Qwen2ForCausalLM", "qwen2"),
    QWEN3("Qwen3ForCausalLM", "qwen3");

    public final String hfClassName;
    public final String hfModelType;

    Architecture(String hfClassName, String hfModelType) {
        this.hfClassName = hfClassName;
        this.hfModelType = hfModelType;
    }

    public static Architecture fromHfClassName(String name, String source) {
        for (Architecture a : values()) {
            if (a.hfClassName.equals(name)) {
                return a;
            }
        }
        throw new UserInputException(source + ": field 'architectures': unsupported architecture '" + name
                + "', expected one of " + Arrays.stream(values()).map(a -> a.hfClassName).collect(Collectors.joining(", ")));
    }
}
