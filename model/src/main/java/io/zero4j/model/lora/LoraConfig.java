package io.zero4j.model.lora;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.zero4j.model.ParameterLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Low-rank adapters as PEFT's {@code LoraConfig} names them: rank {@code r} (0 = no adapters),
 * {@code alpha} (the update is scaled by {@code alpha / r}), {@code dropout} on the adapter's input
 * while training, and {@code target_modules}, the projections that get an adapter: any of
 * {@link #MODULES}, or {@value #ALL_LINEAR} for all of them (PEFT's word; the output head is never
 * adapted). PEFT's defaults: r 8, alpha 8, dropout 0, and q_proj, v_proj for Llama and Qwen.
 */
public record LoraConfig(int r, double alpha, double dropout,
                         @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> targetModules) {
    public static final String ALL_LINEAR = "all-linear";
    /** Module name (PEFT's, the last part of the Hugging Face tensor name) to its weight's layer suffix. */
    public static final Map<String, String> MODULES = moduleSuffixes();

    private static Map<String, String> moduleSuffixes() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String suffix : List.of(ParameterLayout.Q_PROJ, ParameterLayout.K_PROJ, ParameterLayout.V_PROJ,
                ParameterLayout.O_PROJ, ParameterLayout.GATE_PROJ, ParameterLayout.UP_PROJ, ParameterLayout.DOWN_PROJ)) {
            String module = suffix.substring(suffix.indexOf('.') + 1, suffix.lastIndexOf('.'));
            m.put(module, suffix);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    public boolean enabled() {
        return r > 0;
    }

    /** {@code alpha / r}, the factor on {@code B A x}. */
    public double scaling() {
        return alpha / r;
    }

    /** The adapted modules, {@value #ALL_LINEAR} expanded, in layer order. */
    public List<String> modules() {
        List<String> out = new ArrayList<>();
        for (String module : MODULES.keySet()) {
            if (targetModules.contains(ALL_LINEAR) || targetModules.contains(module)) {
                out.add(module);
            }
        }
        return out;
    }

    /** What is wrong with one field. */
    public record Problem(String field, String expected) {
    }

    /** Why this config cannot be used, or null when it can. */
    public Problem problem() {
        if (r < 0) {
            return new Problem("r", "expected a rank >= 0 (0 = no adapters), got " + r);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            return new Problem("alpha", "expected a number > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            return new Problem("dropout", "expected a probability in [0, 1), got " + dropout);
        }
        String allowed = MODULES.keySet() + " or \"" + ALL_LINEAR + "\"";
        if (targetModules == null || targetModules.isEmpty()) {
            return new Problem("target_modules", "expected a list of " + allowed);
        }
        for (String module : targetModules) {
            if (!module.equals(ALL_LINEAR) && !MODULES.containsKey(module)) {
                return new Problem("target_modules", "'" + module + "' is not one of " + allowed);
            }
        }
        return null;
    }
}
