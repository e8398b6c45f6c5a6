package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.SafeTensorsFile;
import io.zero4j.model.safetensors.SafeTensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Ways {@link BadInputTableTest} damages a copy of a model or checkpoint file. */
final class DamagedFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DamagedFiles() {
    }

    /** A copy of {@code from} (files and folders) at {@code target}. */
    static Path copyTree(Path from, Path target) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path to = target.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    /** Rewrites an optimizer file without its first tensor, or with every tensor one value short. */
    static void rewriteOptimizer(Path file, boolean dropFirst) throws Exception {
        List<SafeTensorsWriter.Tensor> tensors = new ArrayList<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            boolean first = true;
            for (String name : f.tensors().keySet()) {
                java.nio.FloatBuffer b = f.readFloats(name);
                float[] v = new float[b.remaining() - (dropFirst ? 0 : 1)];
                b.get(v);
                if (!(dropFirst && first)) {
                    tensors.add(new SafeTensorsWriter.Tensor(name, new long[] {v.length}, () -> v));
                }
                first = false;
            }
        }
        SafeTensorsWriter.write(file, tensors, DType.F32, null);
    }

    static void editConfig(Path dir, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        edit.accept(c);
        Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(c));
    }

    /** A consistent model whose vocabulary (config and tensors) is smaller than its tokenizer's. */
    static void shrinkVocab(Path dir) throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        int hidden = c.get("hidden_size").asInt();
        int vocab = 200;
        c.put("vocab_size", vocab);
        Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(c));
        List<SafeTensorsWriter.Tensor> tensors = new ArrayList<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve("model.safetensors"))) {
            for (String name : f.tensors().keySet()) {
                java.nio.FloatBuffer b = f.readFloats(name);
                long[] shape = f.tensors().get(name).shape();
                if (name.equals("model.embed_tokens.weight")) {
                    shape = new long[] {vocab, hidden};
                }
                float[] v = new float[(int) java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
                b.get(v, 0, v.length);
                long[] s = shape;
                tensors.add(new SafeTensorsWriter.Tensor(name, s, () -> v));
            }
        }
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), tensors, DType.F32, null);
    }

    static void nanWeights(Path dir) throws Exception {
        List<SafeTensorsWriter.Tensor> tensors = new ArrayList<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve("model.safetensors"))) {
            for (String name : f.tensors().keySet()) {
                java.nio.FloatBuffer b = f.readFloats(name);
                float[] v = new float[b.remaining()];
                b.get(v);
                if (name.equals("model.norm.weight")) {
                    v[3] = Float.NaN;
                }
                tensors.add(new SafeTensorsWriter.Tensor(name, f.tensors().get(name).shape(), () -> v));
            }
        }
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), tensors, DType.F32, null);
    }
}
