package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Primitives;
import dev.netsym.model.Rational;

/**
 * A number system the {@link Tape} can evaluate in. One interface over exact rationals,
 * integers modulo a prime, high-precision decimals and doubles lets the same forward and
 * reverse pass serve identity testing (modular, exact), witnesses (exact) and numeric checks.
 *
 * <p>A declared generic activation f is evaluated through {@link #genericDerivative(String, int, Object)}:
 * each instance fixes one function per name and keeps f, f', f'', ... consistent with each
 * other within that instance, so gradients computed here are gradients of some real network.
 *
 * @param <T> the value type; values are immutable
 */
public interface Arithmetic<T> extends Primitives<T> {

    /** {@code base^exponent} for any int exponent; a negative one divides, so base 0 throws. */
    T power(T base, int exponent);

    /**
     * The least exact kind of function this arithmetic evaluates: residues modulo a prime only
     * rational functions, exact rationals also piecewise ones (they need an order), floating
     * arithmetics everything.
     */
    Builtin.Exactness reach();

    /** Whether {@link #apply} and {@link #derivative} work for this function. */
    default boolean supports(Builtin function) {
        return function.exactness().compareTo(reach()) <= 0;
    }

    /** Why this arithmetic cannot evaluate the function. */
    default UnsupportedArithmeticException unsupported(Builtin function) {
        return new UnsupportedArithmeticException(function.specName() + " is not supported in " + this);
    }

    /**
     * The primitives a builtin's formula is evaluated with: this arithmetic itself, or (for
     * decimals) the same at a few guard digits more, whose result {@link #rounded} brings back.
     */
    default Primitives<T> working() { return this; }

    /** A result computed with {@link #working()}, at this arithmetic's own precision. */
    default T rounded(T value) { return value; }

    /**
     * The builtin's value. Throws {@link UnsupportedArithmeticException} when
     * {@link #supports(Builtin)} is false.
     */
    @SuppressWarnings("unchecked")
    default T apply(Builtin function, T... args) {
        if (!supports(function)) throw unsupported(function);
        return rounded(function.value(working(), args));
    }

    /**
     * A one-argument builtin. Generic code must use this (or pass an array from
     * {@link #newArray}) rather than the varargs form, which for an erased T builds an
     * {@code Object[]}.
     */
    default T apply(Builtin function, T argument) {
        T[] args = newArray(1);
        args[0] = argument;
        return apply(function, args);
    }

    /** The partial derivative of the builtin with respect to argument {@code argIndex} (0-based). */
    @SuppressWarnings("unchecked")
    default T derivative(Builtin function, int argIndex, T... args) {
        if (!supports(function)) throw unsupported(function);
        return rounded(function.partial(working(), argIndex, args));
    }

    /**
     * The {@code order}-th derivative of this instance's generic activation {@code name} at z;
     * order 0 is f itself. Every arithmetic supports generic activations.
     */
    T genericDerivative(String name, int order, T z);

    /**
     * The generic activation {@code name} of this instance as a formula in {@code variable},
     * where it has one; empty where it is defined only by its values (exact, modular).
     */
    default java.util.Optional<dev.netsym.model.Expr> genericFormula(String name, String variable) {
        return java.util.Optional.empty();
    }

    /** f(z) for the generic activation {@code name}. */
    default T applyGeneric(String name, T z) {
        return genericDerivative(name, 0, z);
    }

    /** f'(z) for the generic activation {@code name}, consistent with {@link #applyGeneric}. */
    default T genericDerivative(String name, T z) {
        return genericDerivative(name, 1, z);
    }

    /** Exactly zero (no tolerance, even for floating arithmetics). */
    boolean isZero(T a);

    /**
     * Whether two values are equal: exactly for exact and modular arithmetic, to a relative
     * tolerance for floating ones (two rounding paths to the same real rarely give the same bits).
     */
    boolean equal(T a, T b);

    /** A new array of this value type, filled with nulls (Java cannot create {@code T[]} itself). */
    T[] newArray(int length);

    /**
     * {@link Primitives#compare} for a floating arithmetic: the order of two values, or an
     * ArithmeticException where they differ but are {@link #equal} (only within rounding noise).
     */
    static <T extends Comparable<T>> int orderWithinNoise(T a, T b, Arithmetic<T> arithmetic) {
        int c = a.compareTo(b);
        if (c != 0 && arithmetic.equal(a, b)) {
            throw new ArithmeticException("the arguments of max or min differ only within rounding noise (" + a + " and "
                    + b + "): their order is unknown");
        }
        return Integer.signum(c);
    }

    /** Whether this arithmetic can evaluate every operation the tape uses. */
    default boolean supports(Tape tape) {
        for (Builtin function : tape.builtinsUsed()) {
            if (!supports(function)) return false;
        }
        return !tape.usesNonIntegerPowers() || (supports(Builtin.EXP) && supports(Builtin.LOG));
    }
}
