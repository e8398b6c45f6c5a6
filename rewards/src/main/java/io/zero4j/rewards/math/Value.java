package io.zero4j.rewards.math;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * A number while evaluating an answer: an exact rational (BigInteger numerator over a positive
 * denominator, bounded in size), or a real (double) once an operation leaves the rationals, or a
 * signed infinity ({@code \infty}). An operation that would overflow yields NaN, which equals
 * nothing, so {@code 10^100000} is never mistaken for {@code \infty}.
 */
public record Value(BigInteger num, BigInteger den, double real, int infinity) {
    /** Rationals past this many bits fall back to doubles. */
    static final int MAX_BITS = 4096;
    public static final Value NAN = new Value(null, null, Double.NaN, 0);

    public static Value rational(BigInteger num, BigInteger den) {
        if (den.signum() == 0) {
            return NAN;
        }
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
            num = num.divide(g);
            den = den.divide(g);
        }
        if (num.bitLength() > MAX_BITS || den.bitLength() > MAX_BITS) {
            return real(new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL64).doubleValue());
        }
        return new Value(num, den, 0, 0);
    }

    public static Value integer(long n) {
        return rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    public static Value real(double d) {
        return Double.isFinite(d) ? new Value(null, null, d, 0) : NAN;
    }

    public static Value infinity(int sign) {
        return new Value(null, null, 0, sign);
    }

    public boolean isRational() {
        return num != null;
    }

    public boolean isInfinite() {
        return infinity != 0;
    }

    public boolean isNaN() {
        return num == null && infinity == 0 && Double.isNaN(real);
    }

    public double toDouble() {
        if (isInfinite()) {
            return infinity * Double.POSITIVE_INFINITY;
        }
        return isRational() ? new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL64).doubleValue() : real;
    }

    public Value negate() {
        if (isInfinite()) {
            return infinity(-infinity);
        }
        return isRational() ? rational(num.negate(), den) : real(-real);
    }

    public Value add(Value o) {
        if (isInfinite() || o.isInfinite()) {
            return isInfinite() && o.isInfinite() && infinity != o.infinity ? NAN : isInfinite() ? this : o;
        }
        if (isRational() && o.isRational()) {
            return rational(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }
        return real(toDouble() + o.toDouble());
    }

    public Value multiply(Value o) {
        if (isInfinite() || o.isInfinite()) {
            double s = Math.signum(toDouble()) * Math.signum(o.toDouble());
            return s == 0 || Double.isNaN(s) ? NAN : infinity((int) s);
        }
        if (isRational() && o.isRational()) {
            return rational(num.multiply(o.num), den.multiply(o.den));
        }
        return real(toDouble() * o.toDouble());
    }

    public Value divide(Value o) {
        if (o.isInfinite()) {
            return isInfinite() ? NAN : integer(0);
        }
        if (o.isRational()) {
            return o.num.signum() == 0 ? NAN : multiply(rational(o.den, o.num));
        }
        return o.real == 0 ? NAN : multiply(real(1 / o.real));
    }

    /** Exact for rational bases and small integer exponents; doubles otherwise; NaN past the caps. */
    public Value pow(Value e) {
        if (isInfinite() || e.isInfinite()) {
            return NAN;
        }
        if (isRational() && e.isRational() && e.den.equals(BigInteger.ONE) && e.num.bitLength() < 31) {
            int n = e.num.intValue();
            long bits = (long) Math.max(num.bitLength(), den.bitLength()) * Math.abs(n);
            if (bits <= MAX_BITS) {
                Value p = rational(num.pow(Math.abs(n)), den.pow(Math.abs(n)));
                return n >= 0 ? p : integer(1).divide(p);
            }
        }
        if (e.isRational() && e.den.equals(BigInteger.TWO) && isRational() && num.signum() >= 0) {
            Value root = sqrt();
            return root.isRational() ? root.pow(rational(e.num, BigInteger.ONE)) : real(Math.pow(toDouble(), e.toDouble()));
        }
        return real(Math.pow(toDouble(), e.toDouble()));
    }

    /** Exact when both parts are perfect squares. */
    public Value sqrt() {
        if (isRational() && num.signum() >= 0) {
            BigInteger rn = num.sqrt();
            BigInteger rd = den.sqrt();
            if (rn.multiply(rn).equals(num) && rd.multiply(rd).equals(den)) {
                return rational(rn, rd);
            }
        }
        double d = toDouble();
        return d < 0 ? NAN : real(Math.sqrt(d));
    }

    /** Equal exactly when both are rational, within a relative 1e-6 otherwise. */
    public boolean matches(Value o) {
        if (isNaN() || o.isNaN()) {
            return false;
        }
        if (isInfinite() || o.isInfinite()) {
            return infinity == o.infinity;
        }
        if (isRational() && o.isRational()) {
            return num.equals(o.num) && den.equals(o.den);
        }
        double a = toDouble();
        double b = o.toDouble();
        return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-12;
    }

    /** How an explanation shows this value: {@code 1/3}, {@code 0.3333333333333333}, {@code \infty}, {@code NaN}. */
    public String describe() {
        if (isInfinite()) {
            return infinity > 0 ? "\\infty" : "-\\infty";
        }
        if (isRational()) {
            return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
        }
        return Double.toString(real);
    }
}
