package dev.netsym.calculus;

import dev.netsym.model.Builtin;
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
public interface Arithmetic<T> {

    T zero();

    T one();

    /** The rational as a value; throws {@link DivisionByZeroException} if it has no image (modular). */
    T fromRational(Rational value);

    T add(T a, T b);

    T subtract(T a, T b);

    T multiply(T a, T b);

    /** Throws {@link DivisionByZeroException} when {@code b} is zero. */
    T divide(T a, T b);

    T negate(T a);

    /** {@code base^exponent} for any int exponent; a negative one divides, so base 0 throws. */
    T power(T base, int exponent);

    /** Whether {@link #apply} and {@link #derivative} work for this function. */
    boolean supports(Builtin function);

    /**
     * The builtin's value. Throws {@link UnsupportedArithmeticException} when
     * {@link #supports(Builtin)} is false.
     */
    @SuppressWarnings("unchecked")
    T apply(Builtin function, T... args);

    /**
     * A one-argument builtin. Generic code must use this (or pass an array from
     * {@link #newArray}) rather than the varargs form: for an erased T, Java would build an
     * {@code Object[]}, which an implementation's {@code Double[]} parameter rejects.
     */
    default T apply(Builtin function, T argument) {
        T[] args = newArray(1);
        args[0] = argument;
        return apply(function, args);
    }

    /** The partial derivative of the builtin with respect to argument {@code argIndex} (0-based). */
    @SuppressWarnings("unchecked")
    T derivative(Builtin function, int argIndex, T... args);

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

    /** Whether this arithmetic can evaluate every operation the tape uses. */
    default boolean supports(Tape tape) {
        for (Builtin function : tape.builtinsUsed()) {
            if (!supports(function)) return false;
        }
        return !tape.usesNonIntegerPowers() || (supports(Builtin.EXP) && supports(Builtin.LOG));
    }
}
