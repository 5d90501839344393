package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import java.math.BigInteger;

/**
 * Integers modulo the Mersenne prime p = 2^61 - 1. For a polynomial (or rational) network
 * two gradients that differ as functions differ at a random point with probability at least
 * 1 - degree/p (Schwartz–Zippel), so a few points decide equality for all practical purposes,
 * without the coefficient growth of exact rationals.
 *
 * <p>Generic activations are independent random functions: f^(k)(z) is a hash of
 * (seed, name, k, z), so an identity that holds for every f holds here, and any other
 * fails with high probability. No builtin is supported: relu needs an order, and the
 * transcendental functions have no meaning modulo p.
 */
public final class ModularArithmetic implements Arithmetic<Long> {
    public static final long MODULUS = (1L << 61) - 1;
    private static final BigInteger BIG_MODULUS = BigInteger.valueOf(MODULUS);

    private final long seed;

    public ModularArithmetic(long seed) {
        this.seed = seed;
    }

    public long seed() { return seed; }

    /** The canonical residue of any long. */
    public static long reduce(long value) {
        long r = value % MODULUS;
        return r < 0 ? r + MODULUS : r;
    }

    /** (a * b) mod p for residues: the 122-bit product folds because 2^61 = 1 (mod p). */
    static long mulmod(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        // product = high * 2^64 + unsigned(low) = (high << 3 | low >>> 61) * 2^61 + (low & p)
        long folded = (low & MODULUS) + ((high << 3) | (low >>> 61));
        return folded >= MODULUS ? folded - MODULUS : folded;
    }

    static long addmod(long a, long b) {
        long s = a + b;
        return s >= MODULUS ? s - MODULUS : s;
    }

    static long powmod(long base, long exponent) {
        long result = 1;
        long b = base;
        long e = exponent;
        while (e > 0) {
            if ((e & 1) != 0) result = mulmod(result, b);
            b = mulmod(b, b);
            e >>>= 1;
        }
        return result;
    }

    /** The inverse by Fermat's little theorem: a^(p-2). */
    static long inverse(long a) {
        if (a == 0) throw new DivisionByZeroException("division by zero modulo 2^61-1");
        return powmod(a, MODULUS - 2);
    }

    @Override public Long zero() { return 0L; }

    @Override public Long one() { return 1L; }

    @Override
    public Long fromRational(Rational value) {
        long num = value.numerator().mod(BIG_MODULUS).longValue();
        long den = value.denominator().mod(BIG_MODULUS).longValue();
        if (den == 0) {
            throw new DivisionByZeroException("denominator of " + value + " is a multiple of 2^61-1");
        }
        return mulmod(num, inverse(den));
    }

    @Override public Long add(Long a, Long b) { return addmod(a, b); }

    @Override public Long subtract(Long a, Long b) { return addmod(a, b == 0 ? 0 : MODULUS - b); }

    @Override public Long multiply(Long a, Long b) { return mulmod(a, b); }

    @Override public Long divide(Long a, Long b) { return mulmod(a, inverse(b)); }

    @Override public Long negate(Long a) { return a == 0 ? 0L : MODULUS - a; }

    @Override
    public Long power(Long base, int exponent) {
        if (exponent >= 0) return powmod(base, exponent);
        return inverse(powmod(base, -(long) exponent));
    }

    @Override public boolean supports(Builtin function) { return false; }

    @Override
    @SafeVarargs
    public final Long apply(Builtin function, Long... args) {
        throw unsupported(function);
    }

    @Override
    @SafeVarargs
    public final Long derivative(Builtin function, int argIndex, Long... args) {
        throw unsupported(function);
    }

    private static UnsupportedArithmeticException unsupported(Builtin function) {
        return new UnsupportedArithmeticException(
                function.specName() + " cannot be evaluated modulo a prime; use exact or decimal arithmetic");
    }

    @Override
    public Long genericDerivative(String name, int order, Long z) {
        long hash = SeedHash.ofString(seed, name);
        hash = SeedHash.combine(hash, order);
        hash = SeedHash.combine(hash, z);
        // 61 uniform bits; the single value p itself maps to 0 (bias 2^-61).
        long value = hash & MODULUS;
        return value == MODULUS ? 0L : value;
    }

    @Override public boolean isZero(Long a) { return a == 0; }

    @Override public boolean equal(Long a, Long b) { return a.longValue() == b.longValue(); }

    @Override public Long[] newArray(int length) { return new Long[length]; }

    @Override public String toString() { return "modulo 2^61-1"; }
}
