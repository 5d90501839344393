package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Primitives;

/**
 * An arithmetic that evaluates every builtin by its comparison-free formula
 * ({@link Builtin#branchFreeValue}) and has no order: what an evaluation in which e^x, log, √,
 * erfc, π, σ and the indicators of pieces are unknowns can follow.
 */
interface BranchFreeArithmetic<T> extends Arithmetic<T> {

    @Override default Builtin.Exactness reach() { return Builtin.Exactness.TRANSCENDENTAL; }

    @Override default boolean supports(Builtin function) { return function.hasBranchFreeForm(); }

    @Override
    default UnsupportedArithmeticException unsupported(Builtin function) {
        return new UnsupportedArithmeticException(function.specName() + " has no form without comparisons, which "
                + this + " cannot make");
    }

    @Override default Primitives<T> working() { return this; }

    @Override default T rounded(T value) { return value; }

    @Override
    @SuppressWarnings("unchecked")
    default T apply(Builtin function, T... args) {
        if (!supports(function)) throw unsupported(function);
        return function.branchFreeValue(this, args);
    }

    @Override
    default T apply(Builtin function, T argument) {
        T[] args = newArray(1);
        args[0] = argument;
        return apply(function, args);
    }

    @Override
    @SuppressWarnings("unchecked")
    default T derivative(Builtin function, int argIndex, T... args) {
        if (!supports(function)) throw unsupported(function);
        return function.branchFreePartial(this, argIndex, args);
    }

    @Override default int signum(T a) { throw new UnsupportedArithmeticException(this + " has no order"); }

    @Override default int compare(T a, T b) { throw new UnsupportedArithmeticException(this + " has no order"); }

    @Override default T expm1(T a) { return subtract(exp(a), one()); }

    @Override default T log1p(T a) { return log(add(one(), a)); }
}
