package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;

/**
 * Exact rationals: what a separation witness is computed in, so that "w1 and w3 differ after
 * step 2" is a fact, not a rounding artefact. Supports the piecewise rational builtins (relu,
 * leaky_relu: {@link Builtin.Exactness#PIECEWISE_RATIONAL}), with their conventions at the kinks.
 *
 * <p>A generic activation's derivatives f^(k) are independent hashed small rationals of
 * (seed, name, k, z). That is still a legitimate choice of a smooth f: at finitely many
 * points any values of f, f', f'', ... are matched by some polynomial (Hermite interpolation),
 * so a witness found here is a witness for a real function.
 */
public final class ExactArithmetic implements Arithmetic<Rational> {
    /** Generic activation values are p/q with |p| ≤ 16 and 1 ≤ q ≤ 4: small, to keep witnesses readable. */
    private static final int GENERIC_NUMERATOR_RANGE = 33;
    private static final int GENERIC_DENOMINATOR_RANGE = 4;

    private final long seed;

    public ExactArithmetic(long seed) {
        this.seed = seed;
    }

    public ExactArithmetic() {
        this(0);
    }

    @Override public Rational zero() { return Rational.ZERO; }

    @Override public Rational one() { return Rational.ONE; }

    @Override public Rational fromRational(Rational value) { return value; }

    @Override public Rational add(Rational a, Rational b) { return a.add(b); }

    @Override public Rational subtract(Rational a, Rational b) { return a.subtract(b); }

    @Override public Rational multiply(Rational a, Rational b) { return a.multiply(b); }

    @Override
    public Rational divide(Rational a, Rational b) {
        if (b.isZero()) throw new DivisionByZeroException("division of " + a + " by zero");
        return a.divide(b);
    }

    @Override public Rational negate(Rational a) { return a.negate(); }

    @Override
    public Rational power(Rational base, int exponent) {
        if (exponent < 0 && base.isZero()) throw new DivisionByZeroException("0 to a negative power");
        return base.pow(exponent);
    }

    @Override public Builtin.Exactness reach() { return Builtin.Exactness.PIECEWISE_RATIONAL; }

    @Override public int signum(Rational a) { return a.signum(); }

    @Override public int compare(Rational a, Rational b) { return Integer.signum(a.compareTo(b)); }

    @Override public Rational exp(Rational a) { throw irrational("exp"); }

    @Override public Rational expm1(Rational a) { throw irrational("exp"); }

    @Override public Rational log(Rational a) { throw irrational("log"); }

    @Override public Rational log1p(Rational a) { throw irrational("log"); }

    @Override public Rational sqrt(Rational a) { throw irrational("sqrt"); }

    @Override public Rational erfc(Rational a) { throw irrational("erfc"); }

    @Override public Rational pi() { throw irrational("pi"); }

    @Override
    public UnsupportedArithmeticException unsupported(Builtin function) { return irrational(function.specName()); }

    private static UnsupportedArithmeticException irrational(String function) {
        return new UnsupportedArithmeticException(function + " has no exact rational value; use decimal arithmetic");
    }

    @Override
    public Rational genericDerivative(String name, int order, Rational z) {
        long hash = SeedHash.ofString(seed, name);
        hash = SeedHash.combine(hash, order);
        hash = SeedHash.ofBigInteger(hash, z.numerator());
        hash = SeedHash.ofBigInteger(hash, z.denominator());
        long numerator = Math.floorMod(hash, GENERIC_NUMERATOR_RANGE) - GENERIC_NUMERATOR_RANGE / 2;
        long denominator = 1 + Math.floorMod(SeedHash.mix(hash), GENERIC_DENOMINATOR_RANGE);
        return Rational.of(numerator, denominator);
    }

    @Override public boolean isZero(Rational a) { return a.isZero(); }

    @Override public boolean equal(Rational a, Rational b) { return a.equals(b); }

    @Override public Rational[] newArray(int length) { return new Rational[length]; }

    @Override public String toString() { return "exact rationals"; }
}
