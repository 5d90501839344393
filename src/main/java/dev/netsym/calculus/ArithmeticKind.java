package dev.netsym.calculus;

import dev.netsym.model.Builtin;

/**
 * The cheapest arithmetic a network can be evaluated in exactly enough: modular for rational
 * functions (Schwartz–Zippel applies), exact rationals once relu/leaky_relu need an order,
 * decimals once a transcendental function or a non-integer power appears.
 */
public enum ArithmeticKind {
    MODULAR, EXACT, DECIMAL;

    public static ArithmeticKind requiredFor(Tape tape) {
        if (tape.usesNonIntegerPowers()) return DECIMAL;
        ArithmeticKind kind = MODULAR;
        for (Builtin function : tape.builtinsUsed()) {
            if (function == Builtin.RELU || function == Builtin.LEAKY_RELU) {
                kind = EXACT;
            } else {
                return DECIMAL;
            }
        }
        return kind;
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
