package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Primitives;
import dev.netsym.model.Rational;
import java.util.Optional;

/**
 * An arithmetic that hands every operation to another one: a subclass overrides only what it
 * changes (a size check, a record of the values used).
 */
public abstract class ForwardingArithmetic<T> implements Arithmetic<T> {
    protected final Arithmetic<T> inner;

    protected ForwardingArithmetic(Arithmetic<T> inner) {
        this.inner = inner;
    }

    @Override public T zero() { return inner.zero(); }
    @Override public T one() { return inner.one(); }
    @Override public T fromRational(Rational value) { return inner.fromRational(value); }
    @Override public T add(T a, T b) { return inner.add(a, b); }
    @Override public T subtract(T a, T b) { return inner.subtract(a, b); }
    @Override public T multiply(T a, T b) { return inner.multiply(a, b); }
    @Override public T divide(T a, T b) { return inner.divide(a, b); }
    @Override public T negate(T a) { return inner.negate(a); }
    @Override public T power(T base, int exponent) { return inner.power(base, exponent); }
    @Override public Builtin.Exactness reach() { return inner.reach(); }
    @Override public UnsupportedArithmeticException unsupported(Builtin function) { return inner.unsupported(function); }
    @Override public Primitives<T> working() { return inner.working(); }
    @Override public T rounded(T value) { return inner.rounded(value); }
    @Override public int signum(T a) { return inner.signum(a); }
    @Override public int compare(T a, T b) { return inner.compare(a, b); }
    @Override public T exp(T a) { return inner.exp(a); }
    @Override public T expm1(T a) { return inner.expm1(a); }
    @Override public T log(T a) { return inner.log(a); }
    @Override public T log1p(T a) { return inner.log1p(a); }
    @Override public T sqrt(T a) { return inner.sqrt(a); }
    @Override public T erfc(T a) { return inner.erfc(a); }
    @Override public T pi() { return inner.pi(); }
    @Override public T genericDerivative(String name, int order, T z) { return inner.genericDerivative(name, order, z); }
    @Override public Optional<Expr> genericFormula(String name, String variable) { return inner.genericFormula(name, variable); }
    @Override public boolean isZero(T a) { return inner.isZero(a); }
    @Override public boolean equal(T a, T b) { return inner.equal(a, b); }
    @Override public T[] newArray(int length) { return inner.newArray(length); }
    @Override public String toString() { return inner.toString(); }
}
