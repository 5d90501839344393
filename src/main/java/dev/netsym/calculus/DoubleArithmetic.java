package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;

/**
 * Plain doubles: fast, for quick checks and finite differences. Generic activations use the
 * same smooth stand-in as {@link DecimalArithmetic} with the same seed, so the two agree.
 */
public final class DoubleArithmetic implements Arithmetic<Double> {
    private final SmoothGenericActivation generic;
    private final double relativeTolerance;

    /** @param relativeTolerance what {@link #equal} allows, relative to the larger magnitude */
    public DoubleArithmetic(long seed, double relativeTolerance) {
        this.generic = new SmoothGenericActivation(seed);
        this.relativeTolerance = relativeTolerance;
    }

    public DoubleArithmetic(long seed) {
        this(seed, 1e-9);
    }

    public DoubleArithmetic() {
        this(0);
    }

    @Override public Double zero() { return 0.0; }

    @Override public Double one() { return 1.0; }

    /**
     * The constants of formulas (gelu's 0.044715, an exponent's n) come back at every element:
     * remembered, the first few thousand, since converting a fraction goes through a decimal division.
     */
    private final java.util.Map<Rational, Double> converted = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Double fromRational(Rational value) {
        Double known = converted.get(value);
        if (known != null) return known;
        double d = value.doubleValue();
        if (converted.size() < 4096) converted.put(value, d);
        return d;
    }

    @Override public Double add(Double a, Double b) { return a + b; }

    @Override public Double subtract(Double a, Double b) { return a - b; }

    @Override public Double multiply(Double a, Double b) { return a * b; }

    @Override
    public Double divide(Double a, Double b) {
        if (b == 0) throw new DivisionByZeroException("division of " + a + " by zero");
        return a / b;
    }

    @Override public Double negate(Double a) { return -a; }

    @Override
    public Double power(Double base, int exponent) {
        if (exponent < 0 && base == 0) throw new DivisionByZeroException("0 to a negative power");
        return Math.pow(base, exponent);
    }

    @Override public Builtin.Exactness reach() { return Builtin.Exactness.TRANSCENDENTAL; }

    @Override public int signum(Double a) { return a > 0 ? 1 : a < 0 ? -1 : 0; }

    @Override public int compare(Double a, Double b) { return Arithmetic.orderWithinNoise(a, b, this); }

    @Override public Double exp(Double a) { return Math.exp(a); }

    @Override public Double expm1(Double a) { return Math.expm1(a); }

    @Override
    public Double log(Double a) {
        if (!(a > 0)) throw new ArithmeticException("log of non-positive " + a);
        return Math.log(a);
    }

    @Override
    public Double log1p(Double a) {
        if (!(a > -1)) throw new ArithmeticException("log of non-positive 1 + " + a);
        return Math.log1p(a);
    }

    @Override
    public Double sqrt(Double a) {
        if (a < 0) throw new ArithmeticException("square root of negative " + a);
        return Math.sqrt(a);
    }

    /** Through the double-double erfc, rounded: Java has no erfc of its own. */
    @Override public Double erfc(Double a) { return DoubleDouble.erfc(DoubleDouble.of(a)).doubleValue(); }

    @Override public Double pi() { return Math.PI; }

    @Override
    public Double genericDerivative(String name, int order, Double z) {
        return generic.derivative(this, name, order, z);
    }

    @Override public boolean isZero(Double a) { return a == 0; }

    @Override
    public boolean equal(Double a, Double b) {
        return Math.abs(a - b) <= relativeTolerance * Math.max(Math.abs(a), Math.abs(b));
    }

    @Override public Double[] newArray(int length) { return new Double[length]; }

    @Override
    public java.util.Optional<dev.netsym.model.Expr> genericFormula(String name, String variable) {
        return java.util.Optional.of(generic.formula(name, variable));
    }

    @Override public String toString() { return "double"; }
}
