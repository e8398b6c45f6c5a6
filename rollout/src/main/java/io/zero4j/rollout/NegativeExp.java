package io.zero4j.rollout;

/**
 * {@code e^-d} for the sampler's depths ({@code d >= 0}), within 3 units in the last place of
 * {@link Math#exp} and faster on the JIT (a sampler row of a flat distribution needs one per token of
 * a 152k vocabulary; measured in the module README). {@code d = k ln2/256 + r} with {@code k} the
 * nearest integer (found by adding and subtracting 1.5 * 2^52, no conversion instructions), then
 * {@code 2^-(k/256)} from the exponent bits and a 256-entry table, and {@code e^-r} on
 * {@code |r| <= ln2/512} by its Taylor series to the 4th power (truncation below 4e-17), in Estrin's
 * order. fdlibm's split of ln 2 into a high part with trailing zero bits and a low part keeps
 * {@code r} as exact as {@code d} is.
 */
final class NegativeExp {
    private static final int TABLE_BITS = 8;
    private static final int TABLE_SIZE = 1 << TABLE_BITS;
    // ln 2 as fdlibm splits it: a high part with 32 significant bits (k * hi is exact for k < 2^21) and the rest.
    private static final double LN2_OVER_TABLE_HI = Double.longBitsToDouble(0x3fe62e42fee00000L) / TABLE_SIZE;
    private static final double LN2_OVER_TABLE_LO = Double.longBitsToDouble(0x3dea39ef35793c76L) / TABLE_SIZE;
    private static final double TABLE_OVER_LN2 = TABLE_SIZE / Math.log(2);
    /** Adding it rounds a double below 2^51 to an integer held in the low bits of the sum. */
    private static final double ROUNDING_SHIFT = 0x1.8p52;
    /** Past this, {@code 2^-(k/256)} would leave the normal doubles: {@link Math#exp} takes over. */
    private static final double LARGEST_FAST = 700;
    /** {@code 2^(-j/256)}, j = 0..255. */
    private static final double[] TWO_TO_MINUS_J = new double[TABLE_SIZE];

    static {
        for (int j = 0; j < TABLE_SIZE; j++) {
            TWO_TO_MINUS_J[j] = Math.exp(-j * (Math.log(2) / TABLE_SIZE));
        }
    }

    private NegativeExp() {
    }

    /** {@code e^-d}; NaN, negative or very large {@code d} are passed to {@link Math#exp}. */
    static double of(double d) {
        if (!(d >= 0 && d <= LARGEST_FAST)) {
            return Math.exp(-d);
        }
        double shifted = d * TABLE_OVER_LN2 + ROUNDING_SHIFT;
        int k = (int) Double.doubleToRawLongBits(shifted);                  // round(d * 256 / ln 2)
        double kd = shifted - ROUNDING_SHIFT;
        double r = (d - kd * LN2_OVER_TABLE_HI) - kd * LN2_OVER_TABLE_LO;  // |r| <= ln2/512, up to rounding
        double r2 = r * r;
        double expMinusR = (1 - r) + r2 * ((1.0 / 2 - r * (1.0 / 6)) + r2 * (1.0 / 24));
        double twoToMinusWhole = Double.longBitsToDouble((long) (1023 - (k >> TABLE_BITS)) << 52);
        return TWO_TO_MINUS_J[k & (TABLE_SIZE - 1)] * expMinusR * twoToMinusWhole;
    }
}
