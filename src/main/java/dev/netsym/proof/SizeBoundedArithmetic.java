package dev.netsym.proof;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.UnsupportedArithmeticException;
import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;

/**
 * Exact rationals that give up once a number grows past a size: gradient descent on a
 * high-degree network doubles the digits at every step, and a witness is not worth minutes.
 */
final class SizeBoundedArithmetic implements Arithmetic<Rational> {
    /** Thrown when a value outgrows the bound; the caller falls back to another arithmetic. */
    static final class TooLarge extends RuntimeException {
        TooLarge() { super(null, null, false, false); }
    }

    private final ExactArithmetic exact;
    private final int maxBits;

    SizeBoundedArithmetic(ExactArithmetic exact, int maxBits) {
        this.exact = exact;
        this.maxBits = maxBits;
    }

    private Rational check(Rational r) {
        if (r.bitLength() > maxBits) throw new TooLarge();
        return r;
    }

    @Override public Rational zero() { return exact.zero(); }
    @Override public Rational one() { return exact.one(); }
    @Override public Rational fromRational(Rational value) { return check(exact.fromRational(value)); }
    @Override public Rational add(Rational a, Rational b) { return check(exact.add(a, b)); }
    @Override public Rational subtract(Rational a, Rational b) { return check(exact.subtract(a, b)); }
    @Override public Rational multiply(Rational a, Rational b) { return check(exact.multiply(a, b)); }
    @Override public Rational divide(Rational a, Rational b) { return check(exact.divide(a, b)); }
    @Override public Rational negate(Rational a) { return exact.negate(a); }
    @Override public Rational power(Rational base, int exponent) { return check(exact.power(base, exponent)); }
    @Override public Builtin.Exactness reach() { return exact.reach(); }
    @Override public UnsupportedArithmeticException unsupported(Builtin function) { return exact.unsupported(function); }
    @Override public int signum(Rational a) { return exact.signum(a); }
    @Override public int compare(Rational a, Rational b) { return exact.compare(a, b); }
    @Override public Rational exp(Rational a) { return exact.exp(a); }
    @Override public Rational expm1(Rational a) { return exact.expm1(a); }
    @Override public Rational log(Rational a) { return exact.log(a); }
    @Override public Rational log1p(Rational a) { return exact.log1p(a); }
    @Override public Rational sqrt(Rational a) { return exact.sqrt(a); }
    @Override public Rational erfc(Rational a) { return exact.erfc(a); }
    @Override public Rational pi() { return exact.pi(); }

    @Override
    public Rational genericDerivative(String name, int order, Rational z) {
        return check(exact.genericDerivative(name, order, z));
    }

    @Override public boolean isZero(Rational a) { return exact.isZero(a); }
    @Override public boolean equal(Rational a, Rational b) { return exact.equal(a, b); }
    @Override public Rational[] newArray(int length) { return exact.newArray(length); }

    @Override
    public String toString() { return "exact rationals of at most " + maxBits + " bits"; }
}
