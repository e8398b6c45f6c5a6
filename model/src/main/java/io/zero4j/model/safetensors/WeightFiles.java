package io.zero4j.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.JsonErrors;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists. Reading maps tensors one at a time; writing shards
 * above a size and writes the index last, so an index never points at a missing shard.
 */
public final class WeightFiles implements AutoCloseable {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SafeTensorsFile> fileOfTensor;
    private final List<SafeTensorsFile> files;

    private WeightFiles(Map<String, SafeTensorsFile> fileOfTensor, List<SafeTensorsFile> files) {
        this.fileOfTensor = fileOfTensor;
        this.files = files;
    }

    public static WeightFiles open(Path dir) {
        Path index = dir.resolve(INDEX);
        Path single = dir.resolve(SINGLE);
        Map<String, SafeTensorsFile> byTensor = new LinkedHashMap<>();
        List<SafeTensorsFile> opened = new ArrayList<>();
        try {
            if (Files.exists(index)) {
                JsonNode map;
                try {
                    map = JSON.readTree(index.toFile()).get("weight_map");
                } catch (IOException e) {
                    throw new UserInputException(index + ": cannot read JSON: " + JsonErrors.describe(e));
                }
                if (map == null || !map.isObject()) {
                    throw new UserInputException(index + ": field 'weight_map': expected an object of tensor name to file");
                }
                Map<String, SafeTensorsFile> byFile = new LinkedHashMap<>();
                for (var it = map.fields(); it.hasNext(); ) {
                    var e = it.next();
                    String fileName = e.getValue().asText();
                    if (fileName.contains("/") || fileName.contains("\\")) {
                        throw new UserInputException(index + ": tensor '" + e.getKey() + "': shard name '" + fileName
                                + "' must be a file in the same folder");
                    }
                    SafeTensorsFile f = byFile.get(fileName);
                    if (f == null) {
                        Path shard = dir.resolve(fileName);
                        if (!Files.exists(shard)) {
                            throw new UserInputException(index + ": tensor '" + e.getKey() + "': shard '" + fileName
                                    + "' does not exist");
                        }
                        f = SafeTensorsFile.open(shard);
                        opened.add(f);
                        byFile.put(fileName, f);
                    }
                    if (!f.tensors().containsKey(e.getKey())) {
                        throw new UserInputException(f.path() + ": tensor '" + e.getKey()
                                + "' is listed in the index but missing from the shard");
                    }
                    byTensor.put(e.getKey(), f);
                }
            } else if (Files.exists(single)) {
                SafeTensorsFile f = SafeTensorsFile.open(single);
                opened.add(f);
                f.tensors().keySet().forEach(name -> byTensor.put(name, f));
            } else {
                throw new UserInputException(dir + ": no " + SINGLE + " or " + INDEX + " in the model folder");
            }
        } catch (RuntimeException e) {
            opened.forEach(SafeTensorsFile::close);
            throw e;
        }
        return new WeightFiles(byTensor, opened);
    }

    public boolean contains(String name) {
        return fileOfTensor.containsKey(name);
    }

    public TensorInfo info(String name) {
        SafeTensorsFile f = fileOfTensor.get(name);
        return f == null ? null : f.tensors().get(name);
    }

    /** Where a tensor lives, for error messages. */
    public Path fileOf(String name) {
        return fileOfTensor.get(name).path();
    }

    public FloatBuffer readFloats(String name) {
        SafeTensorsFile f = fileOfTensor.get(name);
        if (f == null) {
            throw new UserInputException("tensor '" + name + "' is in none of the weight files");
        }
        return f.readFloats(name);
    }

    /** The on-disk dtypes, for {@code info}. */
    public Map<DType, Long> dtypeCounts() {
        Map<DType, Long> counts = new LinkedHashMap<>();
        for (SafeTensorsFile f : files) {
            f.tensors().values().forEach(t -> counts.merge(t.dtype(), t.elementCount(), Long::sum));
        }
        return counts;
    }

    /**
     * Writes {@code model.safetensors}, or, when the data passes {@code maxShardBytes}, numbered shards
     * and the index. Stale weight files from an earlier export are removed first.
     */
    public static void write(Path dir, List<SafeTensorsWriter.Tensor> tensors, DType dtype, long maxShardBytes)
            throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(INDEX));
        Files.deleteIfExists(dir.resolve(SINGLE));
        try (var old = Files.newDirectoryStream(dir, "model-?????-of-?????.safetensors")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        Map<String, String> meta = Map.of("format", "pt");
        long total = SafeTensorsWriter.dataBytes(tensors, dtype);
        if (total <= maxShardBytes) {
            SafeTensorsWriter.write(dir.resolve(SINGLE), tensors, dtype, meta);
            return;
        }
        List<List<SafeTensorsWriter.Tensor>> shards = new ArrayList<>();
        List<SafeTensorsWriter.Tensor> current = new ArrayList<>();
        long currentBytes = 0;
        for (SafeTensorsWriter.Tensor t : tensors) {
            long bytes = SafeTensorsWriter.dataBytes(List.of(t), dtype);
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += bytes;
        }
        shards.add(current);
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode weightMap = index.putObject("weight_map");
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafeTensorsWriter.write(dir.resolve(name), shards.get(i), dtype, meta);
            shards.get(i).forEach(t -> weightMap.put(t.name(), name));
        }
        Path tmp = dir.resolve(INDEX + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), index);
        Files.move(tmp, dir.resolve(INDEX), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        files.forEach(SafeTensorsFile::close);
    }
}
