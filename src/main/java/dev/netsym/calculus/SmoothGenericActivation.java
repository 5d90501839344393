package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fixed smooth stand-in for a generic activation in floating arithmetics:
 * f(z) = tanh(c1·z + c2) + c3·z with constants derived from (seed, name). It is smooth,
 * non-polynomial and not odd, so it exposes identities that only hold for special f, and it
 * is computed through the host arithmetic so that decimal and double agree on it.
 *
 * <p>Derivatives of every order use d^k/du^k tanh(u) = P_k(tanh u), P_0(t) = t,
 * P_{k+1}(t) = P_k'(t)·(1 − t²).
 */
final class SmoothGenericActivation {
    private record Constants(Rational scale, Rational shift, Rational slope) {}

    private static final List<BigInteger[]> TANH_DERIVATIVE_POLYNOMIALS = new ArrayList<>();

    static {
        TANH_DERIVATIVE_POLYNOMIALS.add(new BigInteger[] {BigInteger.ZERO, BigInteger.ONE});
    }

    private final long seed;
    private final Map<String, Constants> constantsByName = new ConcurrentHashMap<>();

    SmoothGenericActivation(long seed) {
        this.seed = seed;
    }

    /** The function itself, tanh(c1·z + c2) + c3·z, so that a run that used it can be repeated. */
    Expr formula(String name, String variable) {
        Constants c = constantsByName.computeIfAbsent(name, this::constantsFor);
        Expr z = new Expr.Ref(variable);
        Expr inner = new Expr.Sum(List.of(new Expr.Product(List.of(new Expr.Num(c.scale()), z)), new Expr.Num(c.shift())));
        return new Expr.Sum(List.of(new Expr.Call(Builtin.TANH.specName(), List.of(inner)),
                new Expr.Product(List.of(new Expr.Num(c.slope()), z))));
    }

    <T> T derivative(Arithmetic<T> arithmetic, String name, int order, T z) {
        if (order < 0) throw new IllegalArgumentException("negative derivative order " + order);
        Constants c = constantsByName.computeIfAbsent(name, this::constantsFor);
        T scale = arithmetic.fromRational(c.scale());
        T u = arithmetic.add(arithmetic.multiply(scale, z), arithmetic.fromRational(c.shift()));
        T t = arithmetic.apply(Builtin.TANH, u);
        T slope = arithmetic.fromRational(c.slope());
        if (order == 0) return arithmetic.add(t, arithmetic.multiply(slope, z));
        T value = arithmetic.multiply(arithmetic.power(scale, order), evaluate(arithmetic, polynomial(order), t));
        return order == 1 ? arithmetic.add(value, slope) : value;
    }

    private Constants constantsFor(String name) {
        long hash = SeedHash.ofString(seed, name);
        long h1 = SeedHash.combine(hash, 1);
        long h2 = SeedHash.combine(hash, 2);
        long h3 = SeedHash.combine(hash, 3);
        return new Constants(
                Rational.of(50 + Math.floorMod(h1, 101), 100),   // c1 in [1/2, 3/2]
                Rational.of(Math.floorMod(h2, 101) - 50, 100),   // c2 in [-1/2, 1/2]
                Rational.of(10 + Math.floorMod(h3, 21), 100));   // c3 in [1/10, 3/10]
    }

    private static <T> T evaluate(Arithmetic<T> arithmetic, BigInteger[] coefficients, T t) {
        T result = arithmetic.zero();
        for (int i = coefficients.length - 1; i >= 0; i--) {
            result = arithmetic.add(arithmetic.multiply(result, t),
                    arithmetic.fromRational(Rational.of(coefficients[i], BigInteger.ONE)));
        }
        return result;
    }

    private static synchronized BigInteger[] polynomial(int order) {
        while (TANH_DERIVATIVE_POLYNOMIALS.size() <= order) {
            BigInteger[] previous = TANH_DERIVATIVE_POLYNOMIALS.get(TANH_DERIVATIVE_POLYNOMIALS.size() - 1);
            // P' has degree n-1; times (1 - t^2) gives degree n+1.
            BigInteger[] next = new BigInteger[previous.length + 1];
            java.util.Arrays.fill(next, BigInteger.ZERO);
            for (int i = 1; i < previous.length; i++) {
                BigInteger d = previous[i].multiply(BigInteger.valueOf(i));
                next[i - 1] = next[i - 1].add(d);
                next[i + 1] = next[i + 1].subtract(d);
            }
            TANH_DERIVATIVE_POLYNOMIALS.add(next);
        }
        return TANH_DERIVATIVE_POLYNOMIALS.get(order);
    }
}
