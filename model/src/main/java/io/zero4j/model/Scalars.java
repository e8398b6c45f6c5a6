package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Reading a scalar tensor back to the host. */
public final class Scalars {
    private Scalars() {
    }

    /** A scalar array's value as a double, whatever its float type. */
    public static double value(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }
}
