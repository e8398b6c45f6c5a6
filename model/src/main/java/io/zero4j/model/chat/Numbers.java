package io.zero4j.model.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Python number behaviour: float repr, floor division and modulo, exact integer powers, round(). */
final class Numbers {
    private Numbers() {
    }

    /** Python's {@code repr(float)}: {@code 1.0}, {@code 0.1}, {@code 1e-05}, {@code 1e+16}, {@code nan}, {@code inf}. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        String sign = d < 0 ? "-" : "";
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale();
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    static Object floorDivide(Object a, Object b) {
        if (Values.isIntegral(a) && Values.isIntegral(b)) {
            long divisor = Values.toLong(b);
            requireNonZero(divisor);
            return Math.floorDiv(Values.toLong(a), divisor);
        }
        double divisor = Values.toDouble(b);
        requireNonZero(divisor);
        return Math.floor(Values.toDouble(a) / divisor);
    }

    static Object modulo(Object a, Object b) {
        if (Values.isIntegral(a) && Values.isIntegral(b)) {
            long divisor = Values.toLong(b);
            requireNonZero(divisor);
            return Math.floorMod(Values.toLong(a), divisor);
        }
        double divisor = Values.toDouble(b);
        requireNonZero(divisor);
        double r = Values.toDouble(a) % divisor;
        return r != 0 && (r < 0) != (divisor < 0) ? r + divisor : r;
    }

    static Object divide(Object a, Object b) {
        double divisor = Values.toDouble(b);
        requireNonZero(divisor);
        return Values.toDouble(a) / divisor;
    }

    static Object power(Object a, Object b) {
        if (Values.isIntegral(a) && Values.isIntegral(b) && Values.toLong(b) >= 0) {
            long base = Values.toLong(a);
            long exponent = Values.toLong(b);
            if (base == 0 || base == 1) {
                return exponent == 0 ? 1L : base;
            }
            if (base == -1) {
                return exponent % 2 == 0 ? 1L : -1L;
            }
            BigInteger result = exponent < 64 ? BigInteger.valueOf(base).pow((int) exponent) : null;
            if (result == null || result.bitLength() >= 64) {
                throw new TemplateException("integer overflow in " + base + " ** " + exponent);
            }
            return result.longValue();
        }
        return Math.pow(Values.toDouble(a), Values.toDouble(b));
    }

    /** {@code round(value, digits)} with Python's round-half-even on the exact binary value; ints stay ints. */
    static Object round(Object value, long digits, String method) {
        if (Values.isIntegral(value) && method.equals("common")) {
            return Values.toLong(value);
        }
        double d = Values.toDouble(value);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d;
        }
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new TemplateException("round() method must be 'common', 'ceil' or 'floor'");
        };
        return new BigDecimal(d).setScale((int) Math.max(-300, Math.min(300, digits)), mode).doubleValue();
    }

    private static void requireNonZero(double divisor) {
        if (divisor == 0) {
            throw new TemplateException("division by zero");
        }
    }
}
