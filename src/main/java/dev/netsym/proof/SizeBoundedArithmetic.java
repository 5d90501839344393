package dev.netsym.proof;

import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.ForwardingArithmetic;
import dev.netsym.model.Primitives;
import dev.netsym.model.Rational;

/**
 * Exact rationals that give up once a number grows past a size: gradient descent on a
 * high-degree network doubles the digits at every step, and a witness is not worth minutes.
 */
final class SizeBoundedArithmetic extends ForwardingArithmetic<Rational> {
    /** Thrown when a value outgrows the bound; the caller falls back to another arithmetic. */
    static final class TooLarge extends RuntimeException {
        TooLarge() { super(null, null, false, false); }
    }

    private final int maxBits;

    SizeBoundedArithmetic(ExactArithmetic exact, int maxBits) {
        super(exact);
        this.maxBits = maxBits;
    }

    private Rational check(Rational r) {
        if (r.bitLength() > maxBits) throw new TooLarge();
        return r;
    }

    @Override public Rational fromRational(Rational value) { return check(inner.fromRational(value)); }
    @Override public Rational add(Rational a, Rational b) { return check(inner.add(a, b)); }
    @Override public Rational subtract(Rational a, Rational b) { return check(inner.subtract(a, b)); }
    @Override public Rational multiply(Rational a, Rational b) { return check(inner.multiply(a, b)); }
    @Override public Rational divide(Rational a, Rational b) { return check(inner.divide(a, b)); }
    @Override public Rational power(Rational base, int exponent) { return check(inner.power(base, exponent)); }
    /** Builtins' formulas run here too, so that their values are checked as well. */
    @Override public Primitives<Rational> working() { return this; }
    @Override public Rational rounded(Rational value) { return value; }

    @Override
    public Rational genericDerivative(String name, int order, Rational z) {
        return check(inner.genericDerivative(name, order, z));
    }

    @Override
    public String toString() { return "exact rationals of at most " + maxBits + " bits"; }
}
