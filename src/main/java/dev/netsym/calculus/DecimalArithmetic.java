package dev.netsym.calculus;

import dev.netsym.model.Builtin;
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
 * <p>exp, log, tanh, sigmoid and softplus are computed here to the configured precision
 * (argument reduction and Taylor series, a few guard digits, then rounded), each in a form
 * that keeps relative accuracy where the naive formula cancels (tanh near 0, softplus of a
 * very negative argument, derivatives of saturated units).
 */
public final class DecimalArithmetic implements Arithmetic<BigDecimal> {
    public static final MathContext DEFAULT_CONTEXT = new MathContext(50, RoundingMode.HALF_EVEN);
    private static final int GUARD_DIGITS = 10;
    /** Beyond this |x|, exp(x) leaves BigDecimal's exponent range. */
    private static final double MAX_EXP_ARGUMENT = 1e8;
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal NEAR_ONE = new BigDecimal("0.1");

    private final MathContext context;
    private final MathContext working;
    private final BigDecimal equalityTolerance;
    private final SmoothGenericActivation generic;

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

    @Override public boolean supports(Builtin function) { return true; }

    @Override
    @SafeVarargs
    public final BigDecimal apply(Builtin function, BigDecimal... args) {
        BigDecimal z = args[0];
        switch (function) {
            case RELU: return z.signum() > 0 ? z : BigDecimal.ZERO;
            case LEAKY_RELU: return z.signum() > 0 ? z : multiply(args[1], z);
            case TANH: return tanh(z).round(context);
            case SIGMOID: return sigmoid(z).round(context);
            case SOFTPLUS: return softplus(z).round(context);
            case EXP: return exp(z).round(context);
            case LOG: return log(z).round(context);
            default: throw new UnsupportedArithmeticException(function.specName());
        }
    }

    @Override
    @SafeVarargs
    public final BigDecimal derivative(Builtin function, int argIndex, BigDecimal... args) {
        BigDecimal z = args[0];
        boolean positive = z.signum() > 0;
        switch (function) {
            case RELU: return positive ? BigDecimal.ONE : BigDecimal.ZERO;
            case LEAKY_RELU:
                if (argIndex == 0) return positive ? BigDecimal.ONE : args[1];
                return positive ? BigDecimal.ZERO : z;
            case TANH: {
                // sech²(z) = 4t/(1+t)² with t = exp(-2|z|): no cancellation when |z| is large.
                BigDecimal t = exp(z.abs().multiply(TWO).negate());
                BigDecimal onePlusT = BigDecimal.ONE.add(t, working);
                return t.multiply(BigDecimal.valueOf(4), working)
                        .divide(onePlusT.multiply(onePlusT, working), context);
            }
            case SIGMOID: {
                // σ'(z) = e/(1+e)² with e = exp(-|z|), symmetric in z.
                BigDecimal e = exp(z.abs().negate());
                BigDecimal onePlusE = BigDecimal.ONE.add(e, working);
                return e.divide(onePlusE.multiply(onePlusE, working), context);
            }
            case SOFTPLUS: return sigmoid(z).round(context);
            case EXP: return exp(z).round(context);
            case LOG: {
                requirePositive(z);
                return BigDecimal.ONE.divide(z, context);
            }
            default: throw new UnsupportedArithmeticException(function.specName());
        }
    }

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
     */
    BigDecimal exp(BigDecimal x) {
        if (x.signum() == 0) return BigDecimal.ONE;
        double magnitude = x.abs().doubleValue();
        if (!(magnitude <= MAX_EXP_ARGUMENT)) {
            if (x.signum() < 0) return BigDecimal.ZERO;
            throw new ArithmeticException("exp overflow at " + x);
        }
        int halvings = Math.max(0, Math.getExponent(magnitude) + 9);
        // Each squaring doubles the relative error: about 0.3 decimal digits per halving.
        MathContext inner = new MathContext(working.getPrecision() + halvings * 3 / 10 + 2);
        BigDecimal r = x.divide(new BigDecimal(BigInteger.ONE.shiftLeft(halvings)), inner);
        BigDecimal result = BigDecimal.ONE.add(expm1Series(r, inner), inner);
        for (int i = 0; i < halvings; i++) result = result.multiply(result, inner);
        return result.round(working);
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
    BigDecimal log(BigDecimal x) {
        requirePositive(x);
        BigDecimal y = x.subtract(BigDecimal.ONE);
        if (y.abs().compareTo(NEAR_ONE) < 0) return log1p(y);
        int digits = x.precision() - x.scale();
        double mantissa = x.movePointLeft(digits).doubleValue();
        BigDecimal estimate = new BigDecimal(Math.log(mantissa) + digits * Math.log(10));
        for (int iteration = 0; iteration < 20; iteration++) {
            BigDecimal e = exp(estimate);
            BigDecimal correction = TWO.multiply(x.subtract(e, working))
                    .divide(x.add(e, working), working);
            estimate = estimate.add(correction, working);
            if (negligible(correction, estimate, working)) break;
        }
        return estimate.round(working);
    }

    /** ln(1+y) = 2·atanh(y/(2+y)), whose series keeps relative accuracy for tiny y. */
    private BigDecimal log1p(BigDecimal y) {
        if (y.signum() == 0) return BigDecimal.ZERO;
        if (y.abs().compareTo(NEAR_ONE) >= 0) return log(BigDecimal.ONE.add(y, working));
        BigDecimal s = y.divide(TWO.add(y), working);
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

    private BigDecimal tanh(BigDecimal x) {
        if (x.signum() == 0) return BigDecimal.ZERO;
        BigDecimal twiceAbs = x.abs().multiply(TWO);
        BigDecimal magnitude;
        if (twiceAbs.compareTo(TWO) < 0) {
            // tanh a = -u/(2+u) with u = e^(-2a) - 1 from the series: no cancellation near 0.
            BigDecimal u = expm1Series(twiceAbs.negate(), working);
            magnitude = u.negate().divide(TWO.add(u, working), working);
        } else {
            BigDecimal t = exp(twiceAbs.negate());
            magnitude = BigDecimal.ONE.subtract(t, working).divide(BigDecimal.ONE.add(t, working), working);
        }
        return x.signum() < 0 ? magnitude.negate() : magnitude;
    }

    private BigDecimal sigmoid(BigDecimal x) {
        if (x.signum() >= 0) {
            return BigDecimal.ONE.divide(BigDecimal.ONE.add(exp(x.negate()), working), working);
        }
        BigDecimal e = exp(x);
        return e.divide(BigDecimal.ONE.add(e, working), working);
    }

    /** log(1 + e^x), written so that neither large nor very negative x loses digits. */
    private BigDecimal softplus(BigDecimal x) {
        if (x.signum() > 0) return x.add(log1p(exp(x.negate())), working);
        return log1p(exp(x));
    }

    private static void requirePositive(BigDecimal x) {
        if (x.signum() <= 0) throw new ArithmeticException("log of non-positive " + x);
    }
}
