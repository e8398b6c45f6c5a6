package io.zero4j.trainer.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zero4j.model.JsonErrors;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.Choices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a run configuration: defaults, then the file (JSON, or YAML for {@code .yaml}/{@code .yml}),
 * then {@code --set key.path=value} overrides; binds it, rejecting unknown keys with the keys that
 * are allowed, a null where the default is not null, a number that is not finite, a fraction where
 * an integer belongs, text where a number belongs and anything after the top-level value; then
 * checks values. Every problem is one line naming the file and the key.
 */
public final class RunConfigLoader {
    /** What {@code ./zero4j train} runs without a config: the built-in toy, pretraining included. */
    public static final String DEFAULT_CONFIG = "configs/aha-toy.json";
    /** snake_case keys, unknown keys rejected: how configs are bound and written back. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(EnumNames.module())
            .build();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunConfigLoader() {
    }

    /** A config file as a command reads it: values checked, and the files it names present. */
    public static RunConfig load(Path file, List<String> overrides) {
        RunConfig config = resolve(readObject(file, "an object of sections (model, dataset, sampling, ...)"), overrides,
                file.toString());
        checkFiles(config, file.toString());
        return config;
    }

    /** The files a config names are there and of the right kind (what {@link #load} checks after binding). */
    public static void checkFiles(RunConfig config, String source) {
        RunConfigChecks.files(config, source);
    }

    /**
     * Defaults, then {@code user}, then overrides, bound and its values checked (not the files it names:
     * {@link #load} and {@link ResumedConfig} check those); {@code source} names the file in errors.
     */
    public static RunConfig resolve(ObjectNode user, List<String> overrides, String source) {
        RunConfig config = layered("defaults.json", user, overrides, RunConfig.class, source);
        RunConfigChecks.check(config, source);
        return config;
    }

    /**
     * Defaults from {@code resource}, then {@code user}, then overrides; every key keeps the kind of
     * value its default has (a section stays an object; a null only where the default is null; a
     * finite number), then the tree is bound to {@code type}.
     */
    public static <T> T layered(String resource, JsonNode user, List<String> overrides, Class<T> type, String source) {
        ObjectNode defaults = defaults(resource);
        ObjectNode tree = defaults.deepCopy();
        merge(tree, user);
        for (String o : overrides) {
            applyOverride(tree, o, source);
        }
        keepKinds(defaults, tree, "", source);
        rejectNonFinite(tree, "", source);
        return bind(tree, type, source);
    }

    private static void keepKinds(JsonNode defaults, JsonNode tree, String prefix, String source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode value = tree.get(e.getKey());
            if (e.getValue().isObject()) {
                if (value == null || !value.isObject()) {
                    throw new UserInputException(source + ": key '" + key + "': expected a section (an object with keys "
                            + new TreeSet<>(iterable(e.getValue().fieldNames())) + "), got " + describe(value));
                }
                keepKinds(e.getValue(), value, key + ".", source);
            } else if (!e.getValue().isNull() && (value == null || value.isNull())) {
                throw new UserInputException(source + ": key '" + key + "': must not be null (the default is "
                        + e.getValue() + ")");
            }
        }
    }

    private static void rejectNonFinite(JsonNode node, String path, String source) {
        if (node.isNumber() && !Double.isFinite(node.asDouble())) {
            throw new UserInputException(source + ": key '" + path + "': expected a finite number, got " + node.asText());
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNonFinite(node.get(i), path + "[" + i + "]", source);
            }
        }
        node.fields().forEachRemaining(e -> rejectNonFinite(e.getValue(), (path.isEmpty() ? "" : path + ".") + e.getKey(), source));
    }

    private static String describe(JsonNode value) {
        return value == null || value.isNull() ? "null" : value.isArray() ? "a list" : value.isTextual() ? "text" : value.toString();
    }

    /** A record (or map) as a snake_case JSON tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A JSON (or YAML, by extension) file whose top level must be an object; {@code what} says which. */
    public static ObjectNode readObject(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(file + ": is a folder, expected a config file (JSON or YAML)");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": config file does not exist");
        }
        JsonNode user;
        try {
            String name = file.getFileName().toString();
            user = (name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : MAPPER).readTree(file.toFile());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot parse: " + JsonErrors.describe(e));
        }
        if (user == null || !user.isObject()) {
            throw new UserInputException(file + ": expected " + what);
        }
        return (ObjectNode) user;
    }

    /** Binds a tree to a record with snake_case keys; an unknown key or a wrong type is one line naming the key. */
    private static <T> T bind(JsonNode tree, Class<T> type, String source) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String allowed = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new UserInputException(source + ": unknown key '" + path(e) + "'; allowed here: " + allowed);
        } catch (MismatchedInputException e) {
            if (e.getTargetType() != null && e.getTargetType().isEnum()) {
                String given = e instanceof InvalidFormatException f ? "'" + f.getValue() + "' is not one of " : "expected one of ";
                throw new UserInputException(source + ": key '" + path(e) + "': " + given
                        + Choices.allowed(e.getTargetType()));
            }
            throw new UserInputException(source + ": key '" + path(e) + "': expected " + expected(e));
        } catch (JsonMappingException e) {
            throw new UserInputException(source + ": key '" + path(e) + "': " + JsonErrors.describe(e));
        } catch (IOException e) {
            throw new UserInputException(source + ": " + JsonErrors.describe(e));
        }
    }

    /** R1-Zero's prompt template, the default of {@code prompt.template}. */
    public static String defaultTemplate() {
        return defaults("defaults.json").path("prompt").path("template").asText();
    }

    /** A defaults file from the resources beside this class. */
    private static ObjectNode defaults(String resource) {
        try (InputStream in = RunConfigLoader.class.getResourceAsStream(resource)) {
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException(resource + " missing from the trainer jar", e);
        }
    }

    /** Objects merge key by key; anything else (lists included) replaces. Unknown sections are kept for binding to reject. */
    private static void merge(ObjectNode into, JsonNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    /** The value at a dotted key ({@code sampling.stop}) of a config tree; a missing node when there is none. */
    public static JsonNode at(JsonNode tree, String dottedKey) {
        return tree.at("/" + dottedKey.replace('.', '/'));
    }

    /** {@code tree} as it reads back from the file it is written to (numbers keep their JSON kinds, as a saved one has them). */
    public static JsonNode asWritten(JsonNode tree) {
        try {
            return MAPPER.readTree(tree.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sampling.temperature=0.7}: the value is read as JSON when it parses (numbers, lists), else as text. */
    private static void applyOverride(ObjectNode tree, String override, String source) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new UserInputException("--set '" + override + "': expected key.path=value");
        }
        String[] keys = override.substring(0, eq).strip().split("\\.");
        String raw = override.substring(eq + 1).strip();
        JsonNode value;
        try {
            value = MAPPER.readTree(raw);
        } catch (IOException e) {
            value = null;
        }
        if (value == null || value.isMissingNode()) {
            value = MAPPER.getNodeFactory().textNode(raw);
        }
        ObjectNode node = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || !child.isObject()) {
                throw new UserInputException("--set '" + override + "': '" + keys[i] + "' is not a section; sections: "
                        + new TreeSet<>(iterable(tree.fieldNames())));
            }
            node = (ObjectNode) child;
        }
        String last = keys[keys.length - 1];
        if (!node.has(last)) {
            throw new UserInputException("--set '" + override + "': unknown key '" + last + "'; allowed here: "
                    + new TreeSet<>(iterable(node.fieldNames())));
        }
        node.set(last, value);
    }

    private static <T> List<T> iterable(Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        if (t == null) {
            return "another type";
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "an integer";
        }
        if (t == double.class || t == Double.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        return "an object";
    }
}
