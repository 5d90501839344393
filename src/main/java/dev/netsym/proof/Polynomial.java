package dev.netsym.proof;

import dev.netsym.model.Rational;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A polynomial with exact rational coefficients in numbered variables, always expanded: two
 * polynomials are equal exactly when their difference has no terms, which is what a proof of a
 * polynomial identity needs. Sparse; meant for the small local equations of one unit.
 */
final class Polynomial {
    /** A monomial: its variables in increasing order, repeated by exponent (x²y = [x, x, y]). */
    private record Monomial(int[] variables) {
        static final Monomial ONE = new Monomial(new int[0]);

        Monomial times(Monomial o) {
            int[] merged = new int[variables.length + o.variables.length];
            int i = 0, j = 0, k = 0;
            while (i < variables.length || j < o.variables.length) {
                if (j == o.variables.length || (i < variables.length && variables[i] <= o.variables[j])) {
                    merged[k++] = variables[i++];
                } else {
                    merged[k++] = o.variables[j++];
                }
            }
            return new Monomial(merged);
        }

        int exponent(int variable) {
            int e = 0;
            for (int v : variables) if (v == variable) e++;
            return e;
        }

        /** This monomial with one factor of {@code variable} removed. */
        Monomial without(int variable) {
            int[] rest = new int[variables.length - 1];
            boolean removed = false;
            int k = 0;
            for (int v : variables) {
                if (v == variable && !removed) {
                    removed = true;
                } else {
                    rest[k++] = v;
                }
            }
            return new Monomial(rest);
        }

        @Override public boolean equals(Object o) { return o instanceof Monomial m && Arrays.equals(variables, m.variables); }

        @Override public int hashCode() { return Arrays.hashCode(variables); }
    }

    static final Polynomial ZERO = new Polynomial(Map.of());

    private final Map<Monomial, Rational> terms;

    private Polynomial(Map<Monomial, Rational> terms) {
        this.terms = terms;
    }

    static Polynomial constant(Rational c) {
        return c.isZero() ? ZERO : new Polynomial(Map.of(Monomial.ONE, c));
    }

    static Polynomial variable(int variable) {
        return new Polynomial(Map.of(new Monomial(new int[] {variable}), Rational.ONE));
    }

    boolean isZero() { return terms.isEmpty(); }

    int termCount() { return terms.size(); }

    Polynomial add(Polynomial o) {
        if (o.isZero()) return this;
        if (isZero()) return o;
        Map<Monomial, Rational> sum = new HashMap<>(terms);
        o.terms.forEach((m, c) -> sum.merge(m, c, Rational::add));
        sum.values().removeIf(Rational::isZero);
        return new Polynomial(sum);
    }

    Polynomial negate() { return scale(Rational.of(-1)); }

    Polynomial subtract(Polynomial o) { return add(o.negate()); }

    Polynomial scale(Rational factor) {
        if (factor.isZero()) return ZERO;
        Map<Monomial, Rational> scaled = new HashMap<>();
        terms.forEach((m, c) -> scaled.put(m, c.multiply(factor)));
        return new Polynomial(scaled);
    }

    Polynomial multiply(Polynomial o) {
        if (isZero() || o.isZero()) return ZERO;
        Map<Monomial, Rational> product = new HashMap<>();
        terms.forEach((m, c) -> o.terms.forEach((n, d) -> product.merge(m.times(n), c.multiply(d), Rational::add)));
        product.values().removeIf(Rational::isZero);
        return new Polynomial(product);
    }

    Polynomial power(int exponent) {
        Polynomial result = constant(Rational.ONE);
        for (int k = 0; k < exponent; k++) result = result.multiply(this);
        return result;
    }

    /** The constant term when this is a constant, else null. */
    Rational constantValue() {
        if (isZero()) return Rational.ZERO;
        return terms.size() == 1 ? terms.get(Monomial.ONE) : null;
    }

    /** The coefficient of the empty monomial. */
    Rational constantTerm() { return terms.getOrDefault(Monomial.ONE, Rational.ZERO); }

    Polynomial derivative(int variable) {
        Map<Monomial, Rational> d = new HashMap<>();
        terms.forEach((m, c) -> {
            int e = m.exponent(variable);
            if (e > 0) d.merge(m.without(variable), c.multiply(Rational.of(e)), Rational::add);
        });
        d.values().removeIf(Rational::isZero);
        return new Polynomial(d);
    }

    /** Whether {@code variable} occurs. */
    boolean mentions(int variable) {
        for (Monomial m : terms.keySet()) if (m.exponent(variable) > 0) return true;
        return false;
    }

    /** This polynomial with {@code variable} replaced by {@code value}. */
    Polynomial substitute(int variable, Polynomial value) {
        Polynomial result = ZERO;
        Map<Monomial, Rational> untouched = new HashMap<>();
        for (Map.Entry<Monomial, Rational> t : terms.entrySet()) {
            int e = t.getKey().exponent(variable);
            if (e == 0) {
                untouched.put(t.getKey(), t.getValue());
                continue;
            }
            Monomial rest = t.getKey();
            for (int k = 0; k < e; k++) rest = rest.without(variable);
            result = result.add(new Polynomial(Map.of(rest, t.getValue())).multiply(value.power(e)));
        }
        return result.add(new Polynomial(untouched));
    }
}
