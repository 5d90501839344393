package dev.netsym.proof;

import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.UnsupportedArithmeticException;
import dev.netsym.model.Primitives;
import dev.netsym.model.Rational;

/**
 * Residues modulo a prime with {@code order} nilpotent directions: F_p[ε_1..ε_k]/(ε_i²). An
 * element is the array of its 2^k coefficients, one per subset of the ε's (Montgomery
 * residues of {@link ModularArithmetic}). Evaluating a polynomial at θ + ε·v here gives its
 * value and its derivative along v at once; nesting k directions gives the k-th mixed
 * derivatives that Lie brackets of depth k+1 need, with no symbolic expression built.
 *
 * <p>The order of a piecewise-linear builtin (relu, abs, max, ...) is not a property of a
 * residue: {@link #replay} hands out the decisions an exact evaluation at a real point made,
 * so every evaluation here computes the polynomial of that activation region.
 */
final class JetRing implements Primitives<long[]> {
    final ModularArithmetic field;
    final int order;
    final int size;
    private int[] decisions = new int[0];
    private int cursor;

    JetRing(ModularArithmetic field, int order) {
        this.field = field;
        this.order = order;
        this.size = 1 << order;
    }

    /** The ring with one direction more, the new ε being coefficient bit {@code order}. */
    JetRing extended() { return new JetRing(field, order + 1); }

    /** The next signum and compare answers, in the order the builtin's formula asks for them. */
    void replay(int[] answers) {
        decisions = answers;
        cursor = 0;
    }

    long[] constant(long residue) {
        long[] c = new long[size];
        c[0] = residue;
        return c;
    }

    /** x + ε_new·d in the extended ring, for x and d in this one. */
    long[] withDirection(long[] x, long[] d) {
        long[] r = new long[2 * size];
        System.arraycopy(x, 0, r, 0, size);
        System.arraycopy(d, 0, r, size, size);
        return r;
    }

    /** The coefficient of ε_new (this ring being the extended one): the derivative along the direction. */
    long[] directionPart(long[] x) {
        int half = size / 2;
        long[] r = new long[half];
        System.arraycopy(x, half, r, 0, half);
        return r;
    }

    boolean isZeroJet(long[] a) {
        for (long c : a) if (c != 0) return false;
        return true;
    }

    long[] scale(long[] a, long s) {
        long[] r = new long[size];
        for (int i = 0; i < size; i++) r[i] = field.mulmod(a[i], s);
        return r;
    }

    /** acc += s·a, in place. */
    void addScaled(long[] acc, long[] a, long s) {
        for (int i = 0; i < size; i++) acc[i] = field.addmod(acc[i], field.mulmod(a[i], s));
    }

    @Override public long[] zero() { return new long[size]; }

    @Override public long[] one() { return constant(field.one()); }

    @Override public long[] fromRational(Rational value) { return constant(field.fromRational(value)); }

    @Override
    public long[] add(long[] a, long[] b) {
        long[] r = new long[size];
        for (int i = 0; i < size; i++) r[i] = field.addmod(a[i], b[i]);
        return r;
    }

    @Override
    public long[] subtract(long[] a, long[] b) {
        long[] r = new long[size];
        for (int i = 0; i < size; i++) r[i] = field.submod(a[i], b[i]);
        return r;
    }

    @Override
    public long[] negate(long[] a) {
        long[] r = new long[size];
        for (int i = 0; i < size; i++) r[i] = field.submod(0, a[i]);
        return r;
    }

    /** Coefficient S of a·b is the sum over T ⊆ S of a[T]·b[S∖T] (ε_i² = 0). */
    @Override
    public long[] multiply(long[] a, long[] b) {
        if (size == 1) return new long[] {field.mulmod(a[0], b[0])};
        long[] r = new long[size];
        for (int s = 0; s < size; s++) {
            long sum = 0;
            for (int t = s; ; t = (t - 1) & s) {
                if (a[t] != 0 && b[s ^ t] != 0) sum = field.addmod(sum, field.mulmod(a[t], b[s ^ t]));
                if (t == 0) break;
            }
            r[s] = sum;
        }
        return r;
    }

    /** 1/(a0 + n) = Σ_k (−n)^k / a0^(k+1), finite since n^(order+1) = 0. */
    long[] inverse(long[] a) {
        long inv0 = field.inverse(a[0]);
        long[] nilpotent = a.clone();
        nilpotent[0] = 0;
        long[] term = constant(inv0);
        long[] minusNOverA0 = scale(negate(nilpotent), inv0);
        long[] sum = term;
        for (int k = 0; k < order; k++) {
            term = multiply(term, minusNOverA0);
            sum = add(sum, term);
        }
        return sum;
    }

    @Override public long[] divide(long[] a, long[] b) { return multiply(a, inverse(b)); }

    long[] power(long[] base, int exponent) {
        if (exponent < 0) return inverse(power(base, -exponent));
        long[] result = one();
        long[] b = base;
        for (int e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) result = multiply(result, b);
            if (e > 1) b = multiply(b, b);
        }
        return result;
    }

    @Override public int signum(long[] a) { return next(); }

    @Override public int compare(long[] a, long[] b) { return next(); }

    private int next() {
        if (cursor >= decisions.length) throw new IllegalStateException("a piecewise builtin asked for an undecided order");
        return decisions[cursor++];
    }

    private static UnsupportedArithmeticException transcendental(String what) {
        return new UnsupportedArithmeticException(what + " has no polynomial form on an activation region");
    }

    @Override public long[] exp(long[] a) { throw transcendental("exp"); }
    @Override public long[] expm1(long[] a) { throw transcendental("exp"); }
    @Override public long[] log(long[] a) { throw transcendental("log"); }
    @Override public long[] log1p(long[] a) { throw transcendental("log"); }
    @Override public long[] sqrt(long[] a) { throw transcendental("sqrt"); }
    @Override public long[] erfc(long[] a) { throw transcendental("erfc"); }
    @Override public long[] pi() { throw transcendental("pi"); }
}
