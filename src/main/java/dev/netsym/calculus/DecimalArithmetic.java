package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Primitives;
import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * High-precision decimals for networks with transcendental activations, where neither exact
 * nor modular arithmetic applies: at 50 digits, two gradients that differ as functions but
 * agree to 40 digits at a random point are vanishingly unlikely.
 *
 * <p>The primitives builtins are written in (exp, e^x − 1, log, log(1 + x), √, erfc, π) are
 * computed here to the working precision, {@value #GUARD_DIGITS} digits beyond the configured
 * one (argument reduction and series), and each builtin's formula ({@link Builtin}) runs at the
 * working precision too and is rounded once at the end. The formulas keep relative accuracy
 * where a naive one cancels (tanh near 0, softplus of a very negative argument, derivatives of
 * saturated units, the normal tail in gelu).
 */
public final class DecimalArithmetic implements Arithmetic<BigDecimal> {
    public static final MathContext DEFAULT_CONTEXT = new MathContext(50, RoundingMode.HALF_EVEN);
    private static final int GUARD_DIGITS = 10;
    /** Beyond this |x|, exp(x) leaves BigDecimal's exponent range. */
    private static final double MAX_EXP_ARGUMENT = 1e8;
    private static final double LOG2_10 = 3.321928094887362;
    private static final BigInteger FIVE = BigInteger.valueOf(5);
    private static final int EXACT_POWER_LIMIT = 40_000;
    private static final BigDecimal MAX_EXP_DECIMAL = new BigDecimal(MAX_EXP_ARGUMENT);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal NEAR_ONE = new BigDecimal("0.1");

    private final MathContext context;
    private final MathContext working;
    private final BigDecimal equalityTolerance;
    private final SmoothGenericActivation generic;
    private final Working atWorkingPrecision = new Working();

    /**
     * @param toleranceDigits {@link #equal} accepts a relative difference below 10^-toleranceDigits
     */
    public DecimalArithmetic(long seed, MathContext context, int toleranceDigits) {
        this.context = context;
        this.working = new MathContext(context.getPrecision() + GUARD_DIGITS, context.getRoundingMode());
        this.equalityTolerance = BigDecimal.ONE.movePointLeft(toleranceDigits);
        this.generic = new SmoothGenericActivation(seed);
    }

    /** Tolerates the last 10 digits of rounding noise. */
    public DecimalArithmetic(long seed, MathContext context) {
        this(seed, context, Math.max(1, context.getPrecision() - 10));
    }

    public DecimalArithmetic(long seed) {
        this(seed, DEFAULT_CONTEXT);
    }

    public DecimalArithmetic() {
        this(0);
    }

    public MathContext context() { return context; }

    @Override public BigDecimal zero() { return BigDecimal.ZERO; }

    @Override public BigDecimal one() { return BigDecimal.ONE; }

    @Override public BigDecimal fromRational(Rational value) { return value.toBigDecimal(context); }

    @Override public BigDecimal add(BigDecimal a, BigDecimal b) { return a.add(b, context); }

    @Override public BigDecimal subtract(BigDecimal a, BigDecimal b) { return a.subtract(b, context); }

    @Override public BigDecimal multiply(BigDecimal a, BigDecimal b) { return a.multiply(b, context); }

    @Override
    public BigDecimal divide(BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) throw new DivisionByZeroException("division of " + a + " by zero");
        return a.divide(b, context);
    }

    @Override public BigDecimal negate(BigDecimal a) { return a.negate(); }

    @Override
    public BigDecimal power(BigDecimal base, int exponent) {
        if (exponent < 0 && base.signum() == 0) throw new DivisionByZeroException("0 to a negative power");
        return base.pow(exponent, context);
    }

    @Override public Builtin.Exactness reach() { return Builtin.Exactness.TRANSCENDENTAL; }

    @Override public int signum(BigDecimal a) { return a.signum(); }

    @Override public int compare(BigDecimal a, BigDecimal b) { return Arithmetic.orderWithinNoise(a, b, this); }

    @Override public BigDecimal exp(BigDecimal a) { return expAt(a).round(context); }

    @Override public BigDecimal expm1(BigDecimal a) { return atWorkingPrecision.expm1(a).round(context); }

    @Override public BigDecimal log(BigDecimal a) { return logAt(a).round(context); }

    @Override public BigDecimal log1p(BigDecimal a) { return log1pAt(a).round(context); }

    @Override public BigDecimal sqrt(BigDecimal a) { return atWorkingPrecision.sqrt(a).round(context); }

    @Override public BigDecimal erfc(BigDecimal a) { return erfcAt(a).round(context); }

    @Override public BigDecimal pi() { return piAt().round(context); }

    /** Builtins are computed at {@value #GUARD_DIGITS} digits more and rounded once at the end. */
    @Override public Primitives<BigDecimal> working() { return atWorkingPrecision; }

    @Override public BigDecimal rounded(BigDecimal value) { return value.round(context); }

    @Override
    public BigDecimal genericDerivative(String name, int order, BigDecimal z) {
        return generic.derivative(this, name, order, z);
    }

    @Override public boolean isZero(BigDecimal a) { return a.signum() == 0; }

    /**
     * Within the rounding noise of each other, relative to the larger value and never to less than
     * 1: the runs mix values of size about 1, whose last digits' noise can leave −10^-42 where the
     * exact value is 0, and a witness must not call that a move.
     */
    @Override
    public boolean equal(BigDecimal a, BigDecimal b) {
        BigDecimal scale = a.abs().max(b.abs()).max(BigDecimal.ONE);
        return a.subtract(b).abs().compareTo(scale.multiply(equalityTolerance)) <= 0;
    }

    @Override public BigDecimal[] newArray(int length) { return new BigDecimal[length]; }

    @Override
    public java.util.Optional<dev.netsym.model.Expr> genericFormula(String name, String variable) {
        return java.util.Optional.of(generic.formula(name, variable));
    }

    @Override public String toString() { return "decimal(" + context.getPrecision() + " digits)"; }

    // --- elementary functions, at working precision ---

    /**
     * e^x: halve x until it is below 2^-9, sum the Taylor series, square back. Below
     * e^-100000000 (about 10^-43429448) the result underflows to 0, as in floating point: a
     * saturated tanh or sigmoid then has slope 0 instead of failing to evaluate.
     *
     * <p>The series and the squarings run on binary integers (a fixed point, then a mantissa
     * and a power of two), where rounding is a shift: in decimals every product was rounded by
     * a long division by a power of ten, which made exp most of the time of a proof with softmax
     * or batch norm. The error stays below 64·2^h ulp of the binary precision (h halvings; each
     * squaring doubles the relative error), and that precision has h + 32 bits beyond the
     * working digits.
     */
    private BigDecimal expAt(BigDecimal x) {
        return expAt(x, working);
    }

    private static BigDecimal expAt(BigDecimal x, MathContext working) {
        if (x.signum() == 0) return BigDecimal.ONE;
        // |x| < 10^digits, read from the representation: doubleValue would print x out in decimal.
        int digits = x.precision() - x.scale();
        if (digits > 9 || x.abs().compareTo(MAX_EXP_DECIMAL) > 0) {
            if (x.signum() < 0) return BigDecimal.ZERO;
            throw new ArithmeticException("exp overflow at " + x);
        }
        int precisionBits = (int) Math.ceil(working.getPrecision() * LOG2_10);
        // Halve until |r| < 2^-reduced: about √bits halvings balance the squarings against the
        // series' terms (each about bits/reduced of them).
        int reduced = Math.max(9, (int) Math.sqrt(precisionBits));
        int halvings = Math.max(0, (int) Math.ceil(digits * LOG2_10) + reduced);
        int bits = precisionBits + halvings + 32;
        // r = x / 2^halvings with `bits` fraction bits.
        BigInteger r = x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(Math.max(0, bits - halvings))))
                .setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
        if (bits < halvings) r = r.shiftRight(halvings - bits);
        BigInteger term = r;
        BigInteger sum = r;
        for (int n = 2; term.signum() != 0; n++) {
            term = term.multiply(r).shiftRight(bits).divide(BigInteger.valueOf(n));
            sum = sum.add(term);
        }
        // e^r = mantissa · 2^exponent, kept to bits + 2 bits through the squarings.
        BigInteger mantissa = BigInteger.ONE.shiftLeft(bits).add(sum);
        long exponent = -bits;
        for (int i = 0; i < halvings; i++) {
            mantissa = mantissa.multiply(mantissa);
            exponent *= 2;
            int excess = mantissa.bitLength() - (bits + 2);
            if (excess > 0) {
                mantissa = mantissa.shiftRight(excess);
                exponent += excess;
            }
        }
        // mantissa · 2^exponent in decimals: exactly, then one rounding (2^-k = 5^k · 10^-k); a
        // power of two too large for that (e^x beyond 10^±10000) to two ulps by squarings.
        if (exponent >= 0 && exponent < EXACT_POWER_LIMIT) {
            return new BigDecimal(mantissa.shiftLeft((int) exponent)).round(working);
        }
        if (exponent < 0 && exponent > -EXACT_POWER_LIMIT) {
            int k = (int) -exponent;
            return new BigDecimal(mantissa.multiply(FIVE.pow(k)), k).round(working);
        }
        MathContext inner = new MathContext(working.getPrecision() + 10);
        return new BigDecimal(mantissa).multiply(TWO.pow(Math.toIntExact(exponent), inner), inner).round(working);
    }

    /** e^x − 1 by its Taylor series, accurate relative to the result for small |x| (|x| < 1). */
    private static BigDecimal expm1Series(BigDecimal x, MathContext mc) {
        BigDecimal term = x;
        BigDecimal sum = x;
        for (int n = 2; ; n++) {
            term = term.multiply(x, mc).divide(BigDecimal.valueOf(n), mc);
            if (negligible(term, sum, mc)) return sum;
            sum = sum.add(term, mc);
        }
    }

    private static boolean negligible(BigDecimal term, BigDecimal sum, MathContext mc) {
        if (term.signum() == 0) return true;
        // term < 10^-(precision+1) * |sum|, compared through decimal exponents to stay cheap
        int termExponent = term.precision() - term.scale();
        int sumExponent = sum.precision() - sum.scale();
        return termExponent < sumExponent - mc.getPrecision() - 1;
    }

    /** ln x: near 1 through atanh (relative accuracy), elsewhere Halley's iteration on exp. */
    private BigDecimal logAt(BigDecimal x) {
        requirePositive(x);
        // Compared before subtracting: x − 1 in full would have millions of digits for x = 10^(10^6).
        if (x.compareTo(BigDecimal.ONE.subtract(NEAR_ONE)) > 0 && x.compareTo(BigDecimal.ONE.add(NEAR_ONE)) < 0) {
            return log1pAt(x.subtract(BigDecimal.ONE));
        }
        int digits = x.precision() - x.scale();
        double mantissa = x.movePointLeft(digits).doubleValue();
        BigDecimal estimate = new BigDecimal(Math.log(mantissa) + digits * Math.log(10));
        for (int iteration = 0; iteration < 20; iteration++) {
            BigDecimal e = expAt(estimate);
            BigDecimal correction = TWO.multiply(x.subtract(e, working))
                    .divide(x.add(e, working), working);
            estimate = estimate.add(correction, working);
            if (negligible(correction, estimate, working)) break;
        }
        return estimate.round(working);
    }

    /** ln(1+y) = 2·atanh(y/(2+y)), whose series keeps relative accuracy for tiny y. */
    private BigDecimal log1pAt(BigDecimal y) {
        if (y.signum() == 0) return BigDecimal.ZERO;
        if (y.abs().compareTo(NEAR_ONE) >= 0) return logAt(BigDecimal.ONE.add(y, working));
        // 2 + y exactly for a y of P digits down to about 10^-(P+8); tinier ones are rounded far past
        // what the quotient keeps (in full, y = 10^(-10^6) would give a million digits).
        BigDecimal s = y.divide(TWO.add(y, new MathContext(2 * working.getPrecision() + 10)), working);
        BigDecimal s2 = s.multiply(s, working);
        BigDecimal power = s;
        BigDecimal sum = s;
        for (int k = 3; ; k += 2) {
            power = power.multiply(s2, working);
            BigDecimal term = power.divide(BigDecimal.valueOf(k), working);
            if (negligible(term, sum, working)) break;
            sum = sum.add(term, working);
        }
        return sum.multiply(TWO, working);
    }

    private static final BigDecimal THREE = BigDecimal.valueOf(3);

    /**
     * erfc x = 1 − erf x, relatively accurate also far in the tail. For 0 &lt; x &lt; 3, 1 − erf x
     * with erf x = (2/√π)·e^(−x²)·Σ (2x²)^n x / (1·3···(2n+1)), a series of positive terms,
     * computed with x²/ln 10 more digits than the subtraction loses; from 3 on, the continued
     * fraction e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) by Lentz's method (about
     * 330 terms at x = 3 and 60 digits, fewer beyond). For x &lt; 0, erfc x = 2 − erfc(−x).
     */
    private BigDecimal erfcAt(BigDecimal x) {
        if (x.signum() == 0) return BigDecimal.ONE;
        if (x.signum() < 0) return TWO.subtract(erfcAt(x.negate()), working);
        double magnitude = x.doubleValue();
        if (x.compareTo(THREE) < 0) {
            int extra = (int) Math.ceil(magnitude * magnitude / Math.log(10)) + 3;
            MathContext mc = new MathContext(working.getPrecision() + extra, RoundingMode.HALF_EVEN);
            return BigDecimal.ONE.subtract(erfSeries(x, mc), mc).round(working);
        }
        // Like exp: e^(−x²) below e^-100000000 underflows to 0.
        if (!(magnitude * magnitude <= MAX_EXP_ARGUMENT)) return BigDecimal.ZERO;
        MathContext mc = new MathContext(working.getPrecision() + 5, RoundingMode.HALF_EVEN);
        BigDecimal limit = BigDecimal.ONE.movePointLeft(working.getPrecision() + 2);
        BigDecimal f = x;
        BigDecimal c = x;
        BigDecimal d = BigDecimal.ZERO;
        for (int n = 1; n < 100_000; n++) {
            BigDecimal a = BigDecimal.valueOf(n).divide(TWO); // n/2, exact
            d = BigDecimal.ONE.divide(x.add(a.multiply(d, mc), mc), mc);
            c = x.add(a.divide(c, mc), mc);
            BigDecimal delta = c.multiply(d, mc);
            f = f.multiply(delta, mc);
            if (delta.subtract(BigDecimal.ONE).abs().compareTo(limit) < 0) break;
        }
        BigDecimal squared = x.multiply(x, mc);
        return expAt(squared.negate()).divide(f.multiply(sqrtPiAt(), mc), working);
    }

    /** erf x for 0 &lt; x &lt; 3 by the series of positive terms, at the given precision. */
    private BigDecimal erfSeries(BigDecimal x, MathContext mc) {
        BigDecimal twoXSquared = x.multiply(x, mc).multiply(TWO, mc);
        BigDecimal term = x;
        BigDecimal sum = x;
        for (int n = 1; ; n++) {
            term = term.multiply(twoXSquared, mc).divide(BigDecimal.valueOf(2L * n + 1), mc);
            if (negligible(term, sum, mc)) break;
            sum = sum.add(term, mc);
        }
        BigDecimal squared = x.multiply(x, mc);
        BigDecimal e = expAt(squared.negate(), mc);
        return sum.multiply(e, mc).multiply(TWO, mc).divide(sqrtPiAt(), mc);
    }

    private BigDecimal pi;
    private BigDecimal sqrtPi;

    /** π to 30 digits beyond the working precision: 16·atan(1/5) − 4·atan(1/239) (Machin). */
    private synchronized BigDecimal piAt() {
        if (pi == null) {
            MathContext mc = new MathContext(working.getPrecision() + 30, RoundingMode.HALF_EVEN);
            pi = atanOfInverse(5, mc).multiply(BigDecimal.valueOf(16), mc)
                    .subtract(atanOfInverse(239, mc).multiply(BigDecimal.valueOf(4), mc), mc);
        }
        return pi;
    }

    private synchronized BigDecimal sqrtPiAt() {
        if (sqrtPi == null) sqrtPi = piAt().sqrt(new MathContext(working.getPrecision() + 30, RoundingMode.HALF_EVEN));
        return sqrtPi;
    }

    /** atan(1/k) = Σ (−1)^n / ((2n + 1)·k^(2n+1)). */
    private static BigDecimal atanOfInverse(int k, MathContext mc) {
        BigDecimal inverse = BigDecimal.ONE.divide(BigDecimal.valueOf(k), mc);
        BigDecimal inverseSquared = inverse.multiply(inverse, mc);
        BigDecimal power = inverse;
        BigDecimal sum = inverse;
        for (int n = 1; ; n++) {
            power = power.multiply(inverseSquared, mc).negate();
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            if (negligible(term, sum, mc)) return sum;
            sum = sum.add(term, mc);
        }
    }

    /** The primitives at the working precision: what builtins are computed with. */
    private final class Working implements Primitives<BigDecimal> {
        @Override public BigDecimal zero() { return BigDecimal.ZERO; }

        @Override public BigDecimal one() { return BigDecimal.ONE; }

        @Override public BigDecimal fromRational(Rational value) { return value.toBigDecimal(working); }

        @Override public BigDecimal add(BigDecimal a, BigDecimal b) { return a.add(b, working); }

        @Override public BigDecimal subtract(BigDecimal a, BigDecimal b) { return a.subtract(b, working); }

        @Override public BigDecimal multiply(BigDecimal a, BigDecimal b) { return a.multiply(b, working); }

        @Override
        public BigDecimal divide(BigDecimal a, BigDecimal b) {
            if (b.signum() == 0) throw new DivisionByZeroException("division of " + a + " by zero");
            return a.divide(b, working);
        }

        @Override public BigDecimal negate(BigDecimal a) { return a.negate(); }

        @Override public int signum(BigDecimal a) { return a.signum(); }

        @Override
        public int compare(BigDecimal a, BigDecimal b) { return Arithmetic.orderWithinNoise(a, b, DecimalArithmetic.this); }

        @Override public BigDecimal exp(BigDecimal a) { return expAt(a); }

        /** The series for |a| &lt; 2, where e^a − 1 would cancel; e^a − 1 beyond. */
        @Override
        public BigDecimal expm1(BigDecimal a) {
            if (a.abs().compareTo(TWO) < 0) return expm1Series(a, working);
            return expAt(a).subtract(BigDecimal.ONE, working);
        }

        @Override public BigDecimal log(BigDecimal a) { return logAt(a); }

        @Override public BigDecimal log1p(BigDecimal a) { return log1pAt(a); }

        @Override
        public BigDecimal sqrt(BigDecimal a) {
            if (a.signum() < 0) throw new ArithmeticException("square root of negative " + a);
            return a.sqrt(working);
        }

        @Override public BigDecimal erfc(BigDecimal a) { return erfcAt(a); }

        @Override public BigDecimal pi() { return piAt().round(working); }
    }

    private static void requirePositive(BigDecimal x) {
        if (x.signum() <= 0) throw new ArithmeticException("log of non-positive " + x);
    }
}
