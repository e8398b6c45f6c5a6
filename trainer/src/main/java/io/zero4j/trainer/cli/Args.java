package io.zero4j.trainer.cli;

import ai.djl.Device;
import io.zero4j.model.Devices;
import io.zero4j.model.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of one subcommand: {@code --name value} pairs, {@code --flag} switches and
 * positional arguments. Unknown options and malformed values are user errors naming the option.
 */
final class Args {
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    Args(String command, String[] argv, Set<String> valueOptions, Set<String> flags) {
        this.command = command;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name) && inline == null) {
                    values.put(name, "true");
                } else if (valueOptions.contains(name)) {
                    if (inline == null && i + 1 >= argv.length) {
                        throw new UserInputException(command + ": option --" + name + " needs a value");
                    }
                    String value = inline != null ? inline : argv[++i];
                    values.put(name, value);
                    repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    List<String> known = new ArrayList<>();
                    valueOptions.forEach(o -> known.add("--" + o));
                    flags.forEach(o -> known.add("--" + o));
                    known.sort(null);
                    throw new UserInputException(command + ": unknown option " + a + "; known: " + String.join(", ", known));
                }
            } else {
                positional.add(a);
            }
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The device of {@code --device} ({@link Devices#DEFAULT} when absent), checked against this machine. */
    Device device() {
        return Devices.resolve(string("device", Devices.DEFAULT), "--device");
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UserInputException(command + ": option --" + name + " is required");
        }
        return v;
    }

    Path existingDir(String name) {
        Path p = Path.of(required(name));
        if (!Files.isDirectory(p)) {
            throw new UserInputException(command + ": --" + name + " " + p + ": no such folder");
        }
        return p;
    }

    int intValue(String name, int fallback, int min) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UserInputException(command + ": --" + name + " '" + v + "': expected an integer >= " + min);
        }
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException(command + ": --" + name + " '" + v + "': expected an integer");
        }
    }

    double doubleValue(String name, double fallback, double min) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UserInputException(command + ": --" + name + " '" + v + "': expected a number >= " + min);
        }
    }

    /** Every value of an option given more than once, in order. */
    List<String> all(String name) {
        return repeated.getOrDefault(name, List.of());
    }

    List<String> positional() {
        return positional;
    }
}
