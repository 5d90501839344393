package dev.netsym.model;

/**
 * The operations a {@link Builtin}'s value and partial derivatives are written in: field
 * operations, the sign, and a few elementary kernels. Each number system implements these
 * once (to its own precision, or not at all where it has no such value); every builtin is then
 * one formula over them, so that a new function needs no case in any number system.
 *
 * <p>A number system that cannot compute a kernel (exact rationals have no e^x, residues
 * modulo a prime no order) throws an {@code UnsupportedArithmeticException}; callers ask
 * {@link Builtin#exactness()} first.
 *
 * @param <T> the value type; values are immutable
 */
public interface Primitives<T> {

    T zero();

    T one();

    /** The rational as a value; throws {@code DivisionByZeroException} if it has no image (modular). */
    T fromRational(Rational value);

    T add(T a, T b);

    T subtract(T a, T b);

    T multiply(T a, T b);

    /** Throws {@code DivisionByZeroException} when {@code b} is zero. */
    T divide(T a, T b);

    T negate(T a);

    /** −1, 0 or 1: the order that relu and the other piecewise functions branch on. */
    int signum(T a);

    /**
     * −1, 0 or 1 as a &lt; b, a = b, a &gt; b: where max and min branch, and where a tie splits
     * their slope. A floating number system throws ArithmeticException for two values that
     * differ, but by no more than rounding noise: their true order is unknown then (they may be
     * one value reached along two paths), and a branch taken on noise would make a witness lie.
     */
    int compare(T a, T b);

    /** e^a; below the number system's range it underflows to 0, above it throws ArithmeticException. */
    T exp(T a);

    /** e^a − 1, accurate relative to the result also where a is tiny. */
    T expm1(T a);

    /** ln a; throws ArithmeticException for a ≤ 0. */
    T log(T a);

    /** ln(1 + a), accurate relative to the result also where a is tiny; throws for a ≤ −1. */
    T log1p(T a);

    /** √a; throws ArithmeticException for a < 0. */
    T sqrt(T a);

    /**
     * erfc a = 1 − erf a = (2/√π)·∫_a^∞ e^(−t²) dt, accurate relative to the result also where
     * it is tiny (large a): the tail of the normal distribution, which gelu needs.
     */
    T erfc(T a);

    /** π. */
    T pi();

    /**
     * σ(a) = 1/(1 + e^−a), the kernel of the comparison-free forms of sigmoid, tanh, silu and
     * gelu_tanh. A number system whose e^x is an unknown makes σ one of its own too: then
     * σ′ = σ(1 − σ) is a polynomial, where 1/(1 + e^−a) gave every argument a denominator of its own.
     */
    default T logistic(T a) { return divide(one(), add(one(), exp(negate(a)))); }

    /**
     * 1 for z > 0, else 0: relu's slope. With {@link #halfStep} and {@link #sign}, the pieces of
     * the piecewise functions as values, so that their comparison-free forms
     * ({@link Builtin#branchFreeValue}) can be written; an arithmetic without an order makes them
     * unknowns.
     */
    default T step(T z) { return signum(z) > 0 ? one() : zero(); }

    /** 1 for d > 0, 1/2 at 0, 0 for d < 0: the share of max(a, b)'s slope that goes to a, d = a − b. */
    default T halfStep(T d) {
        int s = signum(d);
        return s > 0 ? one() : s < 0 ? zero() : divide(one(), add(one(), one()));
    }

    /** −1, 0 or 1: the sign of z, abs's slope. */
    default T sign(T z) {
        int s = signum(z);
        return s > 0 ? one() : s < 0 ? negate(one()) : zero();
    }
}
