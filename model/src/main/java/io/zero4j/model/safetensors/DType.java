package io.zero4j.model.safetensors;

/** The element types a safetensors header may name, with their width in bytes. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** The weight types, as messages and option descriptions name them. */
    public static final String FLOAT_WEIGHTS = "F32, F16 or BF16";

    /** Whether we read and write this type as model weights (converted to float32 in memory). */
    public boolean isFloatWeight() {
        return this == F32 || this == F16 || this == BF16;
    }

    public String torchName() {
        return switch (this) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> name().toLowerCase();
        };
    }
}
