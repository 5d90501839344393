package dev.netsym.proof;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.UnsupportedArithmeticException;
import dev.netsym.model.Builtin;
import dev.netsym.model.Primitives;
import dev.netsym.model.Rational;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An arithmetic that notes every value of a generic activation it hands out, so that a witness
 * computed where f is only a choice of values (exact, modular) can state that choice.
 */
final class ActivationRecorder<T> implements Arithmetic<T> {
    private record Point<V>(String name, int order, V at) {}

    private final Arithmetic<T> inner;
    private final Map<Point<T>, T> used = new LinkedHashMap<>();

    ActivationRecorder(Arithmetic<T> inner) {
        this.inner = inner;
    }

    Arithmetic<T> inner() { return inner; }

    /** The values noted for {@code name}, in order of first use, shown with {@code show}. */
    List<WitnessRun.Value> values(String name, Function<T, String> show) {
        return used.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .map(e -> new WitnessRun.Value(e.getKey().order(), show.apply(e.getKey().at()), show.apply(e.getValue())))
                .toList();
    }

    @Override
    public T genericDerivative(String name, int order, T z) {
        T value = inner.genericDerivative(name, order, z);
        used.putIfAbsent(new Point<>(name, order, z), value);
        return value;
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
    @Override public boolean isZero(T a) { return inner.isZero(a); }
    @Override public boolean equal(T a, T b) { return inner.equal(a, b); }
    @Override public T[] newArray(int length) { return inner.newArray(length); }
    @Override public java.util.Optional<dev.netsym.model.Expr> genericFormula(String name, String variable) {
        return inner.genericFormula(name, variable);
    }
    @Override public String toString() { return inner.toString(); }
}
