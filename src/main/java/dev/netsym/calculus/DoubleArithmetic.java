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

    @Override public Double fromRational(Rational value) { return value.doubleValue(); }

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

    @Override public boolean supports(Builtin function) { return true; }

    @Override
    @SafeVarargs
    public final Double apply(Builtin function, Double... args) {
        double z = args[0];
        switch (function) {
            case RELU: return z > 0 ? z : 0.0;
            case LEAKY_RELU: return z > 0 ? z : args[1] * z;
            case TANH: return Math.tanh(z);
            case SIGMOID: return sigmoid(z);
            case SOFTPLUS: return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
            case EXP: return Math.exp(z);
            case LOG: return log(z);
            default: throw new UnsupportedArithmeticException(function.specName());
        }
    }

    @Override
    @SafeVarargs
    public final Double derivative(Builtin function, int argIndex, Double... args) {
        double z = args[0];
        switch (function) {
            case RELU: return z > 0 ? 1.0 : 0.0;
            case LEAKY_RELU:
                if (argIndex == 0) return z > 0 ? 1.0 : args[1];
                return z > 0 ? 0.0 : z;
            case TANH: {
                double t = Math.tanh(z);
                return 1 - t * t;
            }
            case SIGMOID: {
                double s = sigmoid(z);
                return s * (1 - s);
            }
            case SOFTPLUS: return sigmoid(z);
            case EXP: return Math.exp(z);
            case LOG: {
                log(z);
                return 1 / z;
            }
            default: throw new UnsupportedArithmeticException(function.specName());
        }
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double log(double z) {
        if (!(z > 0)) throw new ArithmeticException("log of non-positive " + z);
        return Math.log(z);
    }

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
