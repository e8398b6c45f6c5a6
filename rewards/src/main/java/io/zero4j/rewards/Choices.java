package io.zero4j.rewards;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way a name users type becomes an enum constant, across zero4j: the name users type is the
 * constant's name in lower case ({@code DR_GRPO} is {@code dr_grpo}), and a name that is not one of
 * them fails with the allowed names. Configs, command-line options and reward parameters all go
 * through here, so each allowed name is written once: as the constant.
 */
public final class Choices {
    private Choices() {
    }

    /** The names users type for {@code type}, in declaration order. */
    public static List<String> allowed(Class<?> type) {
        List<String> out = new ArrayList<>();
        for (Object e : type.getEnumConstants()) {
            out.add(name((Enum<?>) e));
        }
        return out;
    }

    /**
     * The constant named {@code text}; otherwise an {@link IllegalArgumentException} that says
     * "unknown {@code what} 'text', expected one of [a, b, c]".
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E e : type.getEnumConstants()) {
            if (name(e).equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "', expected one of " + allowed(type));
    }

    /** The name users type for {@code e}. */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
