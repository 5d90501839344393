package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;

/**
 * Double-double numbers (about 31 digits) for networks too big for 50-digit decimals: the
 * same functions as {@link DecimalArithmetic}, with the same cancellation-free forms, at a
 * small fraction of the cost. Non-finite results throw {@link ArithmeticException}, which
 * callers treat like a bad random point.
 */
public final class DoubleDoubleArithmetic implements Arithmetic<DoubleDouble> {
    /**
     * {@link #equal} accepts a difference up to this fraction of the larger magnitude: about
     * 11 of the 31 digits are left for rounding noise accumulated over long sums and deep graphs.
     */
    public static final double RELATIVE_TOLERANCE = 1e-20;
    /**
     * With values of size about 1 (the search scales its random points so), a result below
     * this is rounding noise around 0, and two results closer than this are not told apart.
     */
    public static final double ABSOLUTE_TOLERANCE = 1e-24;

    private final SmoothGenericActivation generic;

    public DoubleDoubleArithmetic(long seed) {
        this.generic = new SmoothGenericActivation(seed);
    }

    @Override public DoubleDouble zero() { return DoubleDouble.ZERO; }

    @Override public DoubleDouble one() { return DoubleDouble.ONE; }

    @Override public DoubleDouble fromRational(Rational value) { return DoubleDouble.of(value); }

    @Override public DoubleDouble add(DoubleDouble a, DoubleDouble b) { return a.add(b); }

    @Override public DoubleDouble subtract(DoubleDouble a, DoubleDouble b) { return a.subtract(b); }

    @Override public DoubleDouble multiply(DoubleDouble a, DoubleDouble b) { return finite(a.multiply(b)); }

    @Override public DoubleDouble divide(DoubleDouble a, DoubleDouble b) { return finite(a.divide(b)); }

    @Override public DoubleDouble negate(DoubleDouble a) { return a.negate(); }

    @Override public DoubleDouble power(DoubleDouble base, int exponent) { return finite(base.power(exponent)); }

    @Override public Builtin.Exactness reach() { return Builtin.Exactness.TRANSCENDENTAL; }

    @Override public int signum(DoubleDouble a) { return a.signum(); }

    @Override public int compare(DoubleDouble a, DoubleDouble b) { return Arithmetic.orderWithinNoise(a, b, this); }

    @Override public DoubleDouble exp(DoubleDouble a) { return DoubleDouble.exp(a); }

    @Override public DoubleDouble expm1(DoubleDouble a) { return DoubleDouble.expm1(a); }

    @Override public DoubleDouble log(DoubleDouble a) { return DoubleDouble.log(a); }

    @Override public DoubleDouble log1p(DoubleDouble a) { return DoubleDouble.log1p(a); }

    @Override public DoubleDouble sqrt(DoubleDouble a) { return DoubleDouble.sqrt(a); }

    @Override public DoubleDouble erfc(DoubleDouble a) { return DoubleDouble.erfc(a); }

    @Override public DoubleDouble pi() { return DoubleDouble.PI; }

    @Override
    public DoubleDouble genericDerivative(String name, int order, DoubleDouble z) {
        return generic.derivative(this, name, order, z);
    }

    @Override public boolean isZero(DoubleDouble a) { return a.isZero(); }

    /** Equal up to rounding noise: see {@link #RELATIVE_TOLERANCE} and {@link #ABSOLUTE_TOLERANCE}. */
    @Override
    public boolean equal(DoubleDouble a, DoubleDouble b) {
        return close(a.doubleValue(), b.doubleValue(), a.subtract(b).doubleValue());
    }

    /** Whether two values whose difference is {@code difference} are within rounding noise of each other. */
    public static boolean close(double a, double b, double difference) {
        return Math.abs(difference) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)) + ABSOLUTE_TOLERANCE;
    }

    @Override public DoubleDouble[] newArray(int length) { return new DoubleDouble[length]; }

    @Override
    public java.util.Optional<dev.netsym.model.Expr> genericFormula(String name, String variable) {
        return java.util.Optional.of(generic.formula(name, variable));
    }

    @Override public String toString() { return "double-double (about 31 digits)"; }

    private static DoubleDouble finite(DoubleDouble value) {
        if (!value.isFinite()) throw new ArithmeticException("overflow in double-double arithmetic");
        return value;
    }
}
