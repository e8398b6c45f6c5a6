package io.zero4j.model.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.JsonErrors;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ParameterLayout;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.SafeTensorsFile;
import io.zero4j.model.safetensors.SafeTensorsWriter;
import io.zero4j.model.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PEFT LoRA adapter folder, as {@code PeftModel.from_pretrained(base, dir)} reads it:
 * {@code adapter_config.json} (peft_type LORA, task_type CAUSAL_LM, r, lora_alpha, lora_dropout,
 * target_modules, base_model_name_or_path) and {@code adapter_model.safetensors}, whose tensors are
 * named {@code base_model.model.} + the adapter parameter name, e.g.
 * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}.
 */
public final class PeftAdapterFolder {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    static final String PREFIX = "base_model.model.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PeftAdapterFolder() {
    }

    public static boolean isAdapterFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG));
    }

    /** Writes the adapters (in {@code dtype}) and their config, naming {@code baseModel} as the base. */
    public static void write(LoraAdapters adapters, String baseModel, Path dir, DType dtype) throws IOException {
        Files.createDirectories(dir);
        List<SafeTensorsWriter.Tensor> tensors = new ArrayList<>();
        adapters.parameters().forEach((name, p) -> tensors.add(
                new SafeTensorsWriter.Tensor(PREFIX + name, p.getShape().getShape(), p::toFloatArray)));
        SafeTensorsWriter.write(dir.resolve(WEIGHTS), tensors, dtype, Map.of("format", "pt"));
        ModelExporter.writeJson(dir.resolve(CONFIG), config(adapters.config(), baseModel));
    }

    static ObjectNode config(LoraConfig c, String baseModel) {
        ObjectNode o = JSON.createObjectNode();
        o.put("peft_type", "LORA");
        o.put("task_type", "CAUSAL_LM");
        o.put("base_model_name_or_path", baseModel);
        o.put("r", c.r());
        o.put("lora_alpha", c.alpha());
        o.put("lora_dropout", c.dropout());
        ArrayNode modules = o.putArray("target_modules");
        c.modules().forEach(modules::add);
        o.put("bias", "none");
        o.put("fan_in_fan_out", false);
        o.put("init_lora_weights", true);
        o.put("inference_mode", true);
        o.put("use_rslora", false);
        o.put("use_dora", false);
        o.putNull("modules_to_save");
        o.putNull("layers_to_transform");
        return o;
    }

    /** The config of an adapter folder, and the base model it names. */
    public record Header(LoraConfig config, String baseModel) {
    }

    public static Header readHeader(Path dir) {
        Path file = dir.resolve(CONFIG);
        JsonNode o;
        try {
            o = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read the adapter config: " + JsonErrors.describe(e));
        }
        if (o == null || !o.isObject() || !"LORA".equals(o.path("peft_type").asText())) {
            throw new UserInputException(file + ": field 'peft_type': expected \"LORA\"");
        }
        for (String unsupported : List.of("use_rslora", "use_dora", "fan_in_fan_out")) {
            if (o.path(unsupported).asBoolean(false)) {
                throw new UserInputException(file + ": field '" + unsupported + "': true is not supported (only plain LoRA)");
            }
        }
        if (!o.path("r").isInt() || !o.path("lora_alpha").isNumber()) {
            throw new UserInputException(file + ": fields 'r' and 'lora_alpha': expected numbers");
        }
        List<String> modules = new ArrayList<>();
        JsonNode t = o.path("target_modules");
        if (t.isTextual()) {
            modules.add(t.asText());
        } else {
            t.forEach(m -> modules.add(m.asText()));
        }
        LoraConfig c = new LoraConfig(o.get("r").asInt(), o.get("lora_alpha").asDouble(), o.path("lora_dropout").asDouble(0),
                modules);
        LoraConfig.Problem problem = c.enabled() ? c.problem() : new LoraConfig.Problem("r", "expected a rank >= 1, got 0");
        if (problem != null) {
            throw new UserInputException(file + ": field '" + problem.field() + "': " + problem.expected());
        }
        return new Header(c, o.path("base_model_name_or_path").asText(null));
    }

    /** Reads the adapters for a base of config {@code model}; every tensor is checked for presence and shape. */
    public static LoraAdapters read(Path dir, ModelConfig model, Device device) {
        LoraConfig c = readHeader(dir).config();
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(dir + ": no " + WEIGHTS + " in the adapter folder");
        }
        Map<String, long[]> shapes = ParameterLayout.shapes(model);
        NDManager manager = NDManager.newBaseManager(device);
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            Map<String, LoraAdapters.Adapter> out = new LinkedHashMap<>();
            for (String weight : LoraAdapters.targetWeights(c, model)) {
                long[] w = shapes.get(weight);
                NDArray a = tensor(f, LoraAdapters.parameterName(weight, "lora_A"), new long[] {c.r(), w[1]}, manager);
                NDArray b = tensor(f, LoraAdapters.parameterName(weight, "lora_B"), new long[] {w[0], c.r()}, manager);
                out.put(weight, new LoraAdapters.Adapter(a, b));
            }
            return new LoraAdapters(c, manager, out);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDArray tensor(SafeTensorsFile f, String name, long[] shape, NDManager manager) {
        TensorInfo info = f.tensors().get(PREFIX + name);
        if (info == null) {
            throw new UserInputException(f.path() + ": tensor '" + PREFIX + name + "' is missing");
        }
        if (!Arrays.equals(info.shape(), shape)) {
            throw new UserInputException(f.path() + ": tensor '" + PREFIX + name + "' has shape " + info.shapeString()
                    + ", the base model and r need " + Arrays.toString(shape));
        }
        FloatBuffer values = f.readFloats(PREFIX + name);
        return manager.create(values, new Shape(shape));
    }
}
