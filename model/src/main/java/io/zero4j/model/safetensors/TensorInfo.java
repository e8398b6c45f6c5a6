package io.zero4j.model.safetensors;

import java.util.Arrays;

/**
 * One header entry: the tensor's type, shape and byte range relative to the start of the data
 * section.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
