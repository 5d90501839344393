package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The partial derivatives of one unit's definition with respect to every name it uses, in
 * one walk of the definition (reverse mode over a single expression). A dense unit summing
 * 784 products thus costs one walk, not 784 differentiations: the outer factor, e.g.
 * 1 − h², is built once and shared by every partial. No CAS is involved, so this is what
 * keeps big derivations near-linear in the number of weights.
 *
 * <p>Each builtin's partials are its own ({@link Builtin#localPartial}), the forms the symbolic
 * engine gives too: tanh′(z) = 1 − tanh(z)², relu′ stays relu′(z) (with relu′(0) = 0); a generic
 * f gives f′(z). Where the differentiated call is
 * the unit's whole definition, its value is written as the unit's name (1 − h², h·(1 − h)),
 * as a person writes it.
 */
final class LocalDerivative {

    private final Predicate<String> wanted;
    private final Expr root;
    private final Expr self;
    private final Map<String, List<Expr>> contributions = new LinkedHashMap<>();

    private LocalDerivative(Predicate<String> wanted, Expr root, Expr self) {
        this.wanted = wanted;
        this.root = root;
        this.self = self;
    }

    /**
     * ∂definition/∂name for each wanted name the definition mentions, in order of first
     * appearance; a name reached along several paths gets the sum of its contributions.
     *
     * @param self the unit's name, used for the value of its outermost call; null for none
     */
    static Map<String, Expr> partials(Expr definition, Predicate<String> wanted, String self) {
        LocalDerivative d = new LocalDerivative(wanted, definition, self == null ? null : new Expr.Ref(self));
        d.walk(definition, Seed.ONE);
        Map<String, Expr> out = new LinkedHashMap<>();
        d.contributions.forEach((name, terms) -> {
            List<Expr> nonZero = terms.stream().filter(t -> !isZero(t)).toList();
            out.put(name, nonZero.isEmpty() ? Expr.Num.of(0) : nonZero.size() == 1 ? nonZero.get(0) : new Expr.Sum(nonZero));
        });
        return out;
    }

    /** coefficient · factors / denominators: what multiplies the derivative of the part being walked. */
    private record Seed(Rational coefficient, List<Expr> factors, List<Expr> denominators) {
        static final Seed ONE = new Seed(Rational.ONE, List.of(), List.of());

        Seed times(Expr factor) {
            if (factor instanceof Expr.Num n) return new Seed(coefficient.multiply(n.value()), factors, denominators);
            if (factor instanceof Expr.Neg neg) return times(neg.operand()).negate();
            List<Expr> more = new ArrayList<>(factors.size() + 1);
            more.addAll(factors);
            more.add(factor);
            return new Seed(coefficient, more, denominators);
        }

        Seed negate() { return new Seed(coefficient.negate(), factors, denominators); }

        Seed over(Expr denominator) {
            List<Expr> more = new ArrayList<>(denominators.size() + 1);
            more.addAll(denominators);
            more.add(denominator);
            return new Seed(coefficient, factors, more);
        }

        Expr toExpr() {
            if (coefficient.isZero()) return Expr.Num.of(0);
            List<Expr> parts = new ArrayList<>();
            Rational c = coefficient.signum() < 0 ? coefficient.negate() : coefficient;
            if (!c.isOne() || factors.isEmpty()) parts.add(new Expr.Num(c));
            parts.addAll(factors);
            Expr numerator = parts.size() == 1 ? parts.get(0) : new Expr.Product(parts);
            if (!denominators.isEmpty()) {
                Expr denominator = denominators.size() == 1 ? denominators.get(0) : new Expr.Product(denominators);
                numerator = new Expr.Quotient(numerator, denominator);
            }
            return coefficient.signum() < 0 ? new Expr.Neg(numerator) : numerator;
        }
    }

    private void walk(Expr e, Seed seed) {
        if (seed.coefficient().isZero()) return;
        if (e instanceof Expr.Num) return;
        if (e instanceof Expr.Ref r) {
            if (wanted.test(r.name())) contributions.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(seed.toExpr());
        } else if (e instanceof Expr.Neg n) {
            walk(n.operand(), seed.negate());
        } else if (e instanceof Expr.Sum s) {
            for (Expr t : s.terms()) walk(t, seed);
        } else if (e instanceof Expr.Product p) {
            List<Expr> factors = p.factors();
            for (int k = 0; k < factors.size(); k++) {
                if (factors.get(k) instanceof Expr.Num) continue;
                Seed s = seed;
                for (int m = 0; m < factors.size(); m++) if (m != k) s = s.times(factors.get(m));
                walk(factors.get(k), s);
            }
        } else if (e instanceof Expr.Quotient q) {
            walk(q.numerator(), seed.over(q.denominator()));
            // ∂(n/d)/∂d = −n/d²
            walk(q.denominator(), seed.negate().times(q.numerator()).over(new Expr.Power(q.denominator(), Expr.Num.of(2))));
        } else if (e instanceof Expr.Power p) {
            power(p, seed);
        } else if (e instanceof Expr.Call c) {
            call(c, seed);
        } else if (e instanceof Expr.DerivativeCall d) {
            walk(d.arg(), seed.times(new Expr.DerivativeCall(d.function(), d.order() + 1, d.arg())));
        }
    }

    private void power(Expr.Power p, Seed seed) {
        Expr base = p.base();
        Expr exponent = p.exponent();
        if (exponent instanceof Expr.Num n) {
            Rational lower = n.value().subtract(Rational.ONE);
            Seed s = seed.times(exponent);
            if (!lower.isZero()) s = s.times(lower.isOne() ? base : new Expr.Power(base, new Expr.Num(lower)));
            walk(base, s);
            return;
        }
        // b^e = exp(e·log b): ∂/∂b = e·b^(e−1), ∂/∂e = b^e·log b
        walk(base, seed.times(exponent).times(new Expr.Power(base, new Expr.Sum(List.of(exponent, Expr.Num.of(-1))))));
        walk(exponent, seed.times(p).times(new Expr.Call("log", List.of(base))));
    }

    private void call(Expr.Call c, Seed seed) {
        Builtin builtin = Builtin.byName(c.function()).orElse(null);
        if (builtin == null) { // a declared f
            Expr z = c.args().get(0);
            walk(z, seed.times(new Expr.DerivativeCall(c.function(), 1, z)));
            return;
        }
        Expr value = c == root && self != null ? self : c;
        for (int k = 0; k < c.args().size(); k++) {
            walk(c.args().get(k), times(seed, builtin.localPartial(k, c.args(), value)));
        }
    }

    /** seed times a builtin's partial: a product factor by factor, a quotient as a denominator. */
    private static Seed times(Seed seed, Expr partial) {
        if (partial instanceof Expr.Quotient q) return times(seed, q.numerator()).over(q.denominator());
        if (partial instanceof Expr.Product p) {
            for (Expr factor : p.factors()) seed = seed.times(factor);
            return seed;
        }
        return seed.times(partial);
    }

    private static boolean isZero(Expr e) { return e instanceof Expr.Num n && n.value().isZero(); }
}
