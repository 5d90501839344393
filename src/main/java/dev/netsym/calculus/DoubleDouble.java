package dev.netsym.calculus;

import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.OptionalInt;

/**
 * A real number as the unevaluated sum hi + lo of two doubles with |lo| ≤ ulp(hi)/2: about
 * 106 bits (31 decimal digits) of precision at the cost of a few primitive operations, where
 * a 50-digit BigDecimal costs a division by a power of ten per rounding. The error-free
 * transformations are Knuth's two-sum and the fused multiply-add product.
 */
public final class DoubleDouble implements Comparable<DoubleDouble> {
    /** 5^k for the exponents a double can have, made on first use; before the static block, which uses it (a race only makes one twice). */
    private static final BigInteger[] POWERS_OF_FIVE = new BigInteger[1075];

    public static final DoubleDouble ZERO = new DoubleDouble(0, 0);
    public static final DoubleDouble ONE = new DoubleDouble(1, 0);
    /** ln 2 to 106 bits. */
    private static final DoubleDouble LN2 = new DoubleDouble(6.931471805599452862e-01, 2.319046813846299558e-17);
    private static final double[] INVERSE_FACTORIALS = new double[2 * 28];
    private static final int SERIES_TERMS = 28;
    /** The reduced argument of exp is halved this many times before the series. */
    private static final int HALVINGS = 10;

    static {
        // 1/n! as double-doubles, computed exactly as decimals then split.
        BigDecimal factorial = BigDecimal.ONE;
        MathContext mc = new MathContext(60);
        for (int n = 0; n < SERIES_TERMS; n++) {
            if (n > 0) factorial = factorial.multiply(BigDecimal.valueOf(n));
            DoubleDouble inverse = of(BigDecimal.ONE.divide(factorial, mc));
            INVERSE_FACTORIALS[2 * n] = inverse.hi;
            INVERSE_FACTORIALS[2 * n + 1] = inverse.lo;
        }
    }

    public final double hi;
    public final double lo;

    public DoubleDouble(double hi, double lo) {
        this.hi = hi;
        this.lo = lo;
    }

    public static DoubleDouble of(double value) {
        return new DoubleDouble(value, 0);
    }

    /** The nearest double-double to a decimal (to about 32 digits). */
    public static DoubleDouble of(BigDecimal value) {
        double hi = value.doubleValue();
        if (!Double.isFinite(hi)) throw new ArithmeticException("out of double range: " + value);
        if (hi == 0) return ZERO;
        double lo = value.subtract(exactly(hi)).doubleValue();
        return normalized(hi, lo);
    }

    public static DoubleDouble of(Rational value) {
        if (value.numerator().bitLength() < 53 && value.denominator().bitLength() < 53) {
            // n/d from exact doubles: the division's remainder n − hi·d is exact with a fused multiply-add.
            double n = value.numerator().doubleValue();
            double d = value.denominator().doubleValue();
            double hi = n / d;
            double lo = Math.fma(-hi, d, n) / d;
            return normalized(hi, lo);
        }
        return of(value.toBigDecimal(new MathContext(40)));
    }

    /** The exact value hi + lo. */
    public BigDecimal toBigDecimal() {
        return exactly(hi).add(exactly(lo));
    }

    /**
     * The value rounded half-up to {@code digits} significant digits and written out plainly: the
     * same text as the exact decimal value's {@code round}, {@code stripTrailingZeros} and
     * {@code toPlainString}. Up to 15 digits it is made from a scaled long where the rounding is
     * certain (a witness of a big proof shows hundreds of thousands of values; the exact decimal
     * of a double-double has about a hundred digits), through the exact decimal otherwise.
     */
    public String toPlainString(int digits) {
        if (digits <= MAX_QUICK_DIGITS && hi != 0 && isFinite()) {
            OptionalInt exponent = decimalExponent();
            int shift = exponent.isPresent() ? digits - 1 - exponent.getAsInt() : Integer.MAX_VALUE;
            if (Math.abs(shift) <= MAX_EXACT_POWER_OF_TEN) {
                // |x|·10^shift lies in [10^(digits−1), 10^digits): its nearest integer is the answer.
                DoubleDouble power = of(Math.pow(10, Math.abs(shift)));
                DoubleDouble scaled = shift >= 0 ? abs().multiply(power) : abs().divide(power);
                double whole = Math.floor(scaled.hi);
                double fraction = (scaled.hi - whole) + scaled.lo;
                if (fraction < 0) {
                    whole -= 1;
                    fraction += 1;
                }
                // Near a half, the digits beyond double-double's could decide: the exact way.
                if (Math.abs(fraction - 0.5) > 1e-6) {
                    long rounded = (long) whole + (fraction > 0.5 ? 1 : 0);
                    return BigDecimal.valueOf(hi < 0 ? -rounded : rounded, shift).stripTrailingZeros().toPlainString();
                }
            }
        }
        return toBigDecimal().round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    private static final int MAX_QUICK_DIGITS = 15;
    /** 10^k is a double exactly up to 10^22. */
    private static final int MAX_EXACT_POWER_OF_TEN = 22;

    /**
     * ⌊log10 |x|⌋, where it is certain from hi alone: empty for 0, for numbers out of the
     * normal range, and within a billionth (relative) of a power of ten.
     */
    public OptionalInt decimalExponent() {
        double a = Math.abs(hi);
        if (!(a >= Double.MIN_NORMAL) || a > Double.MAX_VALUE) return OptionalInt.empty();
        double log = Math.log10(a);
        double floor = Math.floor(log);
        if (log - floor < 1e-9 || floor + 1 - log < 1e-9) return OptionalInt.empty();
        return OptionalInt.of((int) floor);
    }

    /**
     * The exact decimal value of a finite double: m·2^e = m·5^−e·10^e for e < 0. The same value as
     * {@code new BigDecimal(x)}, several times faster where a big proof converts a value per
     * parameter: the power of five comes from a table instead of being computed each time.
     */
    static BigDecimal exactly(double x) {
        if (x == 0) return BigDecimal.ZERO;
        if (!Double.isFinite(x)) throw new NumberFormatException("not a finite number: " + x);
        long bits = Double.doubleToRawLongBits(x);
        int biased = (int) ((bits >>> 52) & 0x7ff);
        long mantissa = bits & ((1L << 52) - 1);
        if (biased == 0) biased = 1; else mantissa |= 1L << 52;
        int exponent = biased - 1075;
        int trailing = Long.numberOfTrailingZeros(mantissa);
        mantissa >>= trailing;
        exponent += trailing;
        BigInteger m = BigInteger.valueOf(x < 0 ? -mantissa : mantissa);
        if (exponent >= 0) return new BigDecimal(m.shiftLeft(exponent));
        BigInteger five = POWERS_OF_FIVE[-exponent];
        if (five == null) {
            five = BigInteger.valueOf(5).pow(-exponent);
            POWERS_OF_FIVE[-exponent] = five;
        }
        return new BigDecimal(m.multiply(five), -exponent);
    }

    public double doubleValue() { return hi + lo; }

    public int signum() { return hi > 0 ? 1 : hi < 0 ? -1 : lo > 0 ? 1 : lo < 0 ? -1 : 0; }

    public boolean isZero() { return hi == 0 && lo == 0; }

    public boolean isFinite() { return Double.isFinite(hi) && Double.isFinite(lo); }

    // --- error-free building blocks ---

    private static DoubleDouble normalized(double a, double b) {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    public DoubleDouble add(DoubleDouble y) {
        double s = hi + y.hi;
        double bb = s - hi;
        double e = (hi - (s - bb)) + (y.hi - bb);
        double t = lo + y.lo;
        double bt = t - lo;
        double f = (lo - (t - bt)) + (y.lo - bt);
        e += t;
        double s2 = s + e;
        e = e - (s2 - s);
        e += f;
        double s3 = s2 + e;
        return new DoubleDouble(s3, e - (s3 - s2));
    }

    public DoubleDouble negate() { return new DoubleDouble(-hi, -lo); }

    public DoubleDouble subtract(DoubleDouble y) { return add(y.negate()); }

    public DoubleDouble abs() { return signum() < 0 ? negate() : this; }

    public DoubleDouble multiply(DoubleDouble y) {
        double p = hi * y.hi;
        double e = Math.fma(hi, y.hi, -p);
        e += hi * y.lo + lo * y.hi;
        double s = p + e;
        return new DoubleDouble(s, e - (s - p));
    }

    public DoubleDouble multiply(double y) {
        double p = hi * y;
        double e = Math.fma(hi, y, -p);
        e += lo * y;
        double s = p + e;
        return new DoubleDouble(s, e - (s - p));
    }

    // --- the same two operations on pairs stored in a double[] (hi at 2i, lo at 2i + 1), for
    // passes over millions of values that must not allocate an object per value; step for step
    // as add and multiply above, so that both give the same bits (tested) ---

    /** x[i] ← x[i] + (yHi, yLo). */
    static void addTo(double[] x, int i, double yHi, double yLo) {
        double hi = x[2 * i];
        double lo = x[2 * i + 1];
        double s = hi + yHi;
        double bb = s - hi;
        double e = (hi - (s - bb)) + (yHi - bb);
        double t = lo + yLo;
        double bt = t - lo;
        double f = (lo - (t - bt)) + (yLo - bt);
        e += t;
        double s2 = s + e;
        e = e - (s2 - s);
        e += f;
        double s3 = s2 + e;
        x[2 * i] = s3;
        x[2 * i + 1] = e - (s3 - s2);
    }

    /** x[i] ← (aHi, aLo)·(bHi, bLo). */
    static void multiplyInto(double[] x, int i, double aHi, double aLo, double bHi, double bLo) {
        double p = aHi * bHi;
        double e = Math.fma(aHi, bHi, -p);
        e += aHi * bLo + aLo * bHi;
        double s = p + e;
        x[2 * i] = s;
        x[2 * i + 1] = e - (s - p);
    }

    /** Exact for powers of two (short of overflow and underflow). */
    public DoubleDouble scalb(int exponent) {
        return new DoubleDouble(Math.scalb(hi, exponent), Math.scalb(lo, exponent));
    }

    /** Three correction steps of long division: each adds about 53 bits. */
    public DoubleDouble divide(DoubleDouble y) {
        if (y.isZero()) throw new DivisionByZeroException("division of " + this + " by zero");
        double q1 = hi / y.hi;
        DoubleDouble r = subtract(y.multiply(q1));
        double q2 = r.hi / y.hi;
        r = r.subtract(y.multiply(q2));
        double q3 = r.hi / y.hi;
        return normalized(q1, q2).add(of(q3));
    }

    public DoubleDouble power(int exponent) {
        if (exponent < 0) {
            if (isZero()) throw new DivisionByZeroException("0 to a negative power");
            return ONE.divide(power(-exponent));
        }
        DoubleDouble result = ONE;
        DoubleDouble base = this;
        for (int e = exponent; e > 0; e >>>= 1) {
            if ((e & 1) != 0) result = result.multiply(base);
            if (e > 1) base = base.multiply(base);
        }
        return result;
    }

    // --- elementary functions, each to about 31 digits ---

    /** e^x: x = k·ln 2 + r, r halved ten times, the series for e^r − 1, then squared back in the e^r − 1 form. */
    public static DoubleDouble exp(DoubleDouble x) {
        if (x.hi > 709) throw new ArithmeticException("exp overflow at " + x);
        if (x.hi < -745) return ZERO;
        double k = Math.rint(x.hi / LN2.hi);
        DoubleDouble r = x.subtract(LN2.multiply(k));
        DoubleDouble m = expm1Reduced(r);
        return m.add(ONE).scalb((int) k);
    }

    /** e^x − 1, accurate relative to the result also for tiny |x|. */
    public static DoubleDouble expm1(DoubleDouble x) {
        if (Math.abs(x.hi) < 0.5) return expm1Reduced(x);
        return exp(x).subtract(ONE);
    }

    /** e^r − 1 for |r| < 1: (e^s − 1)(e^s + 1) = e^(2s) − 1 keeps relative accuracy through the squarings. */
    private static DoubleDouble expm1Reduced(DoubleDouble r) {
        if (r.isZero()) return ZERO;
        DoubleDouble s = r.scalb(-HALVINGS);
        DoubleDouble term = s;
        DoubleDouble sum = s;
        for (int n = 2; n < SERIES_TERMS; n++) {
            term = term.multiply(s);
            DoubleDouble t = term.multiply(new DoubleDouble(INVERSE_FACTORIALS[2 * n], INVERSE_FACTORIALS[2 * n + 1]));
            sum = sum.add(t);
            if (Math.abs(t.hi) < Math.abs(sum.hi) * 1e-34) break;
        }
        DoubleDouble two = of(2);
        for (int i = 0; i < HALVINGS; i++) sum = sum.multiply(sum.add(two));
        return sum;
    }

    /** ln x: near 1 through log1p; elsewhere two Newton steps y ← y + x·e^(−y) − 1 from the double logarithm. */
    public static DoubleDouble log(DoubleDouble x) {
        if (x.signum() <= 0) throw new ArithmeticException("log of non-positive " + x);
        DoubleDouble t = x.subtract(ONE);
        if (Math.abs(t.hi) < 0.25) return log1p(t);
        DoubleDouble y = of(Math.log(x.hi));
        for (int i = 0; i < 2; i++) y = y.add(x.multiply(exp(y.negate())).subtract(ONE));
        return y;
    }

    /** ln(1 + t) for t > −1, relatively accurate for tiny t: y ← y + t + (1 + t)·(e^(−y) − 1). */
    public static DoubleDouble log1p(DoubleDouble t) {
        if (t.isZero()) return ZERO;
        if (!(t.hi > -1)) throw new ArithmeticException("log of non-positive 1 + " + t);
        DoubleDouble onePlusT = ONE.add(t);
        DoubleDouble y = of(Math.log1p(t.hi));
        for (int i = 0; i < 2; i++) y = y.add(t.add(onePlusT.multiply(expm1(y.negate()))));
        return y;
    }

    /** √x: the double square root, then one Newton step y + (x − y²)/(2y), which doubles its bits. */
    public static DoubleDouble sqrt(DoubleDouble x) {
        if (x.signum() < 0) throw new ArithmeticException("square root of negative " + x);
        if (x.isZero()) return ZERO;
        DoubleDouble y = of(Math.sqrt(x.hi));
        return y.add(x.subtract(y.multiply(y)).divide(y.scalb(1)));
    }

    /**
     * erfc x = 1 − erf x, relatively accurate also far in the tail. Below {@link #ERFC_SERIES_BELOW},
     * 1 − erf x with erf x = (2/√π)·e^(−x²)·Σ (2x²)^n x / (1·3···(2n+1)), a series of positive
     * terms (at most about 2.3 of the 31 digits go to the subtraction); above, the continued
     * fraction e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) by Lentz's method,
     * which needs about 230 terms at x = 2 and fewer beyond. For x &lt; 0, erfc x = 2 − erfc(−x).
     */
    public static DoubleDouble erfc(DoubleDouble x) {
        if (x.signum() < 0) return of(2).subtract(erfc(x.negate()));
        if (x.hi < ERFC_SERIES_BELOW) return ONE.subtract(erfSeries(x));
        if (x.hi >= 26.5) return ZERO; // erfc(26.5) < 10^-306: at the end of the double range
        DoubleDouble f = x;
        DoubleDouble c = x;
        DoubleDouble d = ZERO;
        for (int n = 1; n < 2000; n++) {
            DoubleDouble a = of(n).scalb(-1);
            d = ONE.divide(x.add(a.multiply(d)));
            c = x.add(a.divide(c));
            DoubleDouble delta = c.multiply(d);
            f = f.multiply(delta);
            if (Math.abs(delta.hi - 1) + Math.abs(delta.lo) < 1e-33) break;
        }
        return exp(x.multiply(x).negate()).divide(f.multiply(SQRT_PI));
    }

    private static final double ERFC_SERIES_BELOW = 2;
    /** π and √π to 106 bits. */
    public static final DoubleDouble PI = new DoubleDouble(3.141592653589793116e+00, 1.224646799147353207e-16);
    private static final DoubleDouble SQRT_PI = new DoubleDouble(1.772453850905516104e+00, -7.666586499825799e-17);

    /** erf x for 0 ≤ x &lt; 2 by the series of positive terms. */
    private static DoubleDouble erfSeries(DoubleDouble x) {
        if (x.isZero()) return ZERO;
        DoubleDouble twoXSquared = x.multiply(x).scalb(1);
        DoubleDouble term = x;
        DoubleDouble sum = x;
        for (int n = 1; n < 400; n++) {
            term = term.multiply(twoXSquared).divide(of(2 * n + 1));
            sum = sum.add(term);
            if (Math.abs(term.hi) < Math.abs(sum.hi) * 1e-34) break;
        }
        return sum.multiply(exp(x.multiply(x).negate())).scalb(1).divide(SQRT_PI);
    }

    @Override
    public int compareTo(DoubleDouble o) {
        int c = Double.compare(hi, o.hi);
        return c != 0 ? c : Double.compare(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleDouble d && d.hi == hi && d.lo == lo;
    }

    @Override
    public int hashCode() { return Double.hashCode(hi) * 31 + Double.hashCode(lo); }

    @Override
    public String toString() { return toBigDecimal().round(new MathContext(32)).toString(); }
}
