package dev.netsym.calculus;

import dev.netsym.model.Builtin;

/**
 * The cheapest arithmetic a network can be evaluated in exactly enough: modular for rational
 * functions (Schwartz–Zippel applies), exact rationals once a piecewise function (relu) needs
 * an order, decimals once a transcendental function or a non-integer power appears: each
 * builtin says which it needs ({@link Builtin#exactness()}).
 */
public enum ArithmeticKind {
    MODULAR, EXACT, DECIMAL;

    public static ArithmeticKind requiredFor(Tape tape) {
        if (tape.usesNonIntegerPowers()) return DECIMAL;
        Builtin.Exactness needed = Builtin.Exactness.RATIONAL;
        for (Builtin function : tape.builtinsUsed()) {
            if (function.exactness().compareTo(needed) > 0) needed = function.exactness();
        }
        return switch (needed) {
            case RATIONAL -> MODULAR;
            case PIECEWISE_RATIONAL -> EXACT;
            case TRANSCENDENTAL -> DECIMAL;
        };
    }

    /** A fresh arithmetic of this kind; the seed fixes its generic activations. */
    public Arithmetic<?> create(long seed) {
        switch (this) {
            case MODULAR: return new ModularArithmetic(seed);
            case EXACT: return new ExactArithmetic(seed);
            default: return new DecimalArithmetic(seed);
        }
    }
}
