package dev.netsym.model;

import java.util.List;

/**
 * An expression of the spec language, as written by the user or produced by the calculus.
 * Sums and products are n-ary so that a unit summing thousands of terms stays a flat list
 * (no deep recursion when it is walked). Subtraction is a sum with a negated term.
 */
public sealed interface Expr {

    /** An exact rational constant. */
    record Num(Rational value) implements Expr {
        public static Num of(long n) { return new Num(Rational.of(n)); }
    }

    /** A name: input, target, unit, parameter, or a symbolic initial value. */
    record Ref(String name) implements Expr {}

    record Neg(Expr operand) implements Expr {}

    record Sum(List<Expr> terms) implements Expr {
        public Sum { terms = List.copyOf(terms); }
    }

    record Product(List<Expr> factors) implements Expr {
        public Product { factors = List.copyOf(factors); }
    }

    record Quotient(Expr numerator, Expr denominator) implements Expr {}

    record Power(Expr base, Expr exponent) implements Expr {}

    /** A built-in function ({@link Builtin}), a declared generic activation, or its derivative. */
    record Call(String function, List<Expr> args) implements Expr {
        public Call { args = List.copyOf(args); }
    }

    /**
     * The derivative of a declared generic activation, f'(z): kept symbolic so results hold
     * for every such function.
     */
    record DerivativeCall(String function, int order, Expr arg) implements Expr {}
}
