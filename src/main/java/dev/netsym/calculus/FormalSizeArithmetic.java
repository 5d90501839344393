package dev.netsym.calculus;

import dev.netsym.model.Rational;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the same evaluation as {@link FormalModularArithmetic}, but on sizes. Each value is a
 * rational function N/D of the variables and unknowns, with D a product of powers of
 * <em>factors</em>: the numerators of the values divided by, each factor one object however often
 * it is divided by, so that a sum over a shared denominator (a softmax's Σ e^z, a norm's √) keeps
 * it once rather than multiplying it in per term. Kept are bounds on the total degree of N and on
 * log2 of the sum of the absolute values of its integer coefficients, and the factors with
 * theirs. Every unknown is a fresh variable (degree 1, coefficient 1); the arguments of the
 * unknowns are recorded too, per function, since two different arguments of one function that
 * happen to agree at a random point make two unknowns one.
 *
 * <p>A {@link Size} object stands for one rational function: every variable is an object of its
 * own ({@link Size#variable()}), and no operation hands back its input for a different value.
 * So one object divided by twice is one factor, and one object passed twice to one function (a
 * tape node's value, at its own evaluation and at its partial's) is one unknown.
 */
public final class FormalSizeArithmetic implements BranchFreeArithmetic<FormalSizeArithmetic.Size> {

    /**
     * A factor of denominators: the numerator of a divisor, with its degree and coefficient-size
     * bounds. Compared by identity: two factors of the same sizes are still two polynomials.
     */
    private static final class Factor {
        private final double degree;
        private final double bits;

        Factor(double degree, double bits) {
            this.degree = degree;
            this.bits = bits;
        }

        double degree() { return degree; }

        double bits() { return bits; }
    }

    /** A value's bounds: N's degree and coefficient size, and D as factor → multiplicity. */
    public static final class Size {
        /** The one argument of π (a constant): shared, so that every π is one unknown. */
        static final Size ONE = new Size(0, 0, Map.of());

        private final double numeratorDegree;
        private final double numeratorBits;
        /** Never changed once made: a sum that brings no new factor shares its summand's map. */
        private final Map<Factor, Integer> denominator;
        /** D's degree and bits (its factors with multiplicity), so that a sum need not walk D. */
        private double denominatorDegree = Double.NaN;
        private double denominatorBits;
        /** This value's numerator as a factor: one object for every division by this value. */
        private Factor asFactor;

        Size(double numeratorDegree, double numeratorBits, Map<Factor, Integer> denominator) {
            this.numeratorDegree = numeratorDegree;
            this.numeratorBits = numeratorBits;
            this.denominator = denominator;
        }

        private Size(double numeratorDegree, double numeratorBits, Map<Factor, Integer> denominator,
                double denominatorDegree, double denominatorBits) {
            this(numeratorDegree, numeratorBits, denominator);
            this.denominatorDegree = denominatorDegree;
            this.denominatorBits = denominatorBits;
        }

        private double denominatorDegree() {
            if (Double.isNaN(denominatorDegree)) {
                double degree = 0;
                double bits = 0;
                for (var e : denominator.entrySet()) {
                    degree += e.getValue() * e.getKey().degree();
                    bits += e.getValue() * e.getKey().bits();
                }
                denominatorBits = bits;
                denominatorDegree = degree;
            }
            return denominatorDegree;
        }

        private double denominatorBits() {
            denominatorDegree();
            return denominatorBits;
        }

        /**
         * A variable of its own: never shared, so that values built from different variables
         * never pass for one function (1/x − 1/y has degree 2 over degree 2, not 0 over 1).
         */
        public static Size variable() { return new Size(1, 0, Map.of()); }

        private Factor asFactor() {
            if (asFactor == null) asFactor = new Factor(numeratorDegree, numeratorBits);
            return asFactor;
        }

        @Override
        public String toString() {
            return "N of degree " + numeratorDegree + " and " + numeratorBits + " bits over " + denominator.size() + " factors";
        }
    }

    /** Bounds on the numerator of a difference of any two of a set of values, over their common denominator. */
    public record DifferenceBound(double degree, double bits) {}

    /**
     * Over every pair of a set of values, the sums of the bounds on the numerator of their
     * difference over the pair's own common denominator: a pair's degree and bits bounded one by one.
     */
    public record PairSums(double pairs, double degree, double bits) {}

    /**
     * For v = N/D, A = deg N + deg D and B = bits N + bits D (D's factors with multiplicity).
     * Over the pair's least common multiple L, v_i − v_j has numerator N_i·L/D_i − N_j·L/D_j,
     * and L/D_i divides D_j: degree at most A_i + A_j, bits at most B_i + B_j + 1. Summed over
     * i < j that is (n − 1)·ΣA and (n − 1)·ΣB + pairs. Much smaller than pairs times the bound
     * over all the values' common denominator when most values have few factors.
     */
    public static PairSums ofPairs(List<Size> values) {
        double n = values.size();
        double degrees = 0;
        double bits = 0;
        for (Size v : values) {
            degrees += v.numeratorDegree;
            bits += v.numeratorBits;
            for (var e : v.denominator.entrySet()) {
                degrees += e.getValue() * e.getKey().degree();
                bits += e.getValue() * e.getKey().bits();
            }
        }
        double pairs = n * (n - 1) / 2;
        return new PairSums(pairs, (n - 1) * degrees, (n - 1) * bits + pairs);
    }

    /**
     * Per function, the unknown drawn for each argument object. The same object is the same
     * rational function, so the same unknown in the residues: counted once. Different objects
     * may still be one function; counting them apart only loosens the bound.
     */
    private final Map<String, Map<Size, Size>> unknownsByFunction = new LinkedHashMap<>();

    /** How many unknowns the evaluations so far drew (a bound on the distinct ones). */
    public long unknowns() {
        long count = 0;
        for (Map<Size, Size> drawn : unknownsByFunction.values()) count += drawn.size();
        return count;
    }

    /**
     * The arguments of the unknowns drawn so far, per function. Only arguments of one function
     * can merge two unknowns: the residues draw each function's unknowns by a hash keyed with
     * the function's name.
     */
    public Map<String, List<Size>> argumentsByFunction() {
        Map<String, List<Size>> result = new LinkedHashMap<>();
        unknownsByFunction.forEach((function, drawn) -> result.put(function, new ArrayList<>(drawn.keySet())));
        return result;
    }

    private Size unknown(String function, Size argument) {
        return unknownsByFunction.computeIfAbsent(function, f -> new IdentityHashMap<>())
                .computeIfAbsent(argument, a -> Size.variable());
    }

    /**
     * For values v_k = N_k/D_k: over the least common multiple L of the D_k (as products of
     * factors), v_i − v_j = (N_i·L/D_i − N_j·L/D_j)/L, whose numerator has degree at most
     * max_k (deg N_k + deg L/D_k) and coefficients summing to at most twice the largest such product.
     */
    public static DifferenceBound ofDifferences(List<Size> values) {
        Map<Factor, Integer> common = new HashMap<>();
        for (Size v : values) v.denominator.forEach((f, m) -> common.merge(f, m, Math::max));
        double degree = 0;
        double bits = 0;
        for (Size v : values) {
            double d = v.numeratorDegree;
            double b = v.numeratorBits;
            for (var e : common.entrySet()) {
                int missing = e.getValue() - v.denominator.getOrDefault(e.getKey(), 0);
                d += missing * e.getKey().degree();
                b += missing * e.getKey().bits();
            }
            degree = Math.max(degree, d);
            bits = Math.max(bits, b);
        }
        return new DifferenceBound(degree, bits + 1);
    }

    @Override public Size exp(Size a) { return unknown("exp", a); }

    @Override public Size log(Size a) { return unknown("log", a); }

    @Override public Size sqrt(Size a) { return unknown("sqrt", a); }

    @Override public Size erfc(Size a) { return unknown("erfc", a); }

    @Override public Size pi() { return unknown("pi", Size.ONE); }

    @Override public Size step(Size z) { return unknown("step", z); }

    @Override public Size halfStep(Size d) { return unknown("halfStep", d); }

    @Override public Size sign(Size z) { return unknown("sign", z); }

    @Override public Size genericDerivative(String name, int order, Size z) { return unknown(name + "'" + order, z); }

    /** 0 and 1 are two functions: objects of their own, unlike π's marker {@link Size#ONE}. */
    @Override public Size zero() { return new Size(0, 0, Map.of()); }

    @Override public Size one() { return new Size(0, 0, Map.of()); }

    /** p/q: a numerator of p's size over the factor q (a number, degree 0). */
    @Override
    public Size fromRational(Rational value) {
        double bits = value.numerator().abs().bitLength();
        if (value.isInteger()) return new Size(0, bits, Map.of());
        return new Size(0, bits, Map.of(new Factor(0, value.denominator().bitLength()), 1));
    }

    /**
     * N₁/D₁ ± N₂/D₂ = (N₁·L/D₁ ± N₂·L/D₂)/L with L the least common multiple. Walks only the
     * smaller denominator: L is the larger one plus what the smaller adds, shared when it adds
     * nothing (a long sum of terms over factors it already has, as in an adjoint, used to copy
     * its whole map at every term: quadratic time and memory).
     */
    @Override
    public Size add(Size a, Size b) {
        if (a.denominator.isEmpty() && b.denominator.isEmpty()) {
            return new Size(Math.max(a.numeratorDegree, b.numeratorDegree), Math.max(a.numeratorBits, b.numeratorBits) + 1, Map.of());
        }
        Size large = a.denominator.size() >= b.denominator.size() ? a : b;
        Size small = large == a ? b : a;
        Map<Factor, Integer> added = new HashMap<>();
        double addedDegree = 0;
        double addedBits = 0;
        for (var e : small.denominator.entrySet()) {
            int more = e.getValue() - large.denominator.getOrDefault(e.getKey(), 0);
            if (more <= 0) continue;
            added.put(e.getKey(), more);
            addedDegree += more * e.getKey().degree();
            addedBits += more * e.getKey().bits();
        }
        Map<Factor, Integer> common = large.denominator;
        if (!added.isEmpty()) {
            Map<Factor, Integer> union = new HashMap<>(large.denominator);
            added.forEach((f, m) -> union.merge(f, m, Integer::sum));
            common = union;
        }
        double commonDegree = large.denominatorDegree() + addedDegree;
        double commonBits = large.denominatorBits() + addedBits;
        // L/D_large is what the smaller brought; L/D_small is the rest of L.
        double degreeLarge = large.numeratorDegree + addedDegree;
        double bitsLarge = large.numeratorBits + addedBits;
        double degreeSmall = small.numeratorDegree + (commonDegree - small.denominatorDegree());
        double bitsSmall = small.numeratorBits + (commonBits - small.denominatorBits());
        return new Size(Math.max(degreeLarge, degreeSmall), Math.max(bitsLarge, bitsSmall) + 1, common,
                commonDegree, commonBits);
    }

    @Override public Size subtract(Size a, Size b) { return add(a, b); }

    /** −N/D: a new object (another function), whose numerator is the same factor as N's. */
    @Override
    public Size negate(Size a) {
        Size negated = new Size(a.numeratorDegree, a.numeratorBits, a.denominator);
        negated.asFactor = a.asFactor();
        return negated;
    }

    @Override
    public Size multiply(Size a, Size b) {
        return new Size(a.numeratorDegree + b.numeratorDegree, a.numeratorBits + b.numeratorBits,
                product(a.denominator, b.denominator, 1), a.denominatorDegree() + b.denominatorDegree(),
                a.denominatorBits() + b.denominatorBits());
    }

    /** (N₁/D₁)/(N₂/D₂) = N₁·D₂/(D₁·N₂): D₂'s factors multiply into the numerator, N₂ becomes a factor. */
    @Override
    public Size divide(Size a, Size b) {
        double degree = a.numeratorDegree;
        double bits = a.numeratorBits;
        for (var e : b.denominator.entrySet()) {
            degree += e.getValue() * e.getKey().degree();
            bits += e.getValue() * e.getKey().bits();
        }
        return new Size(degree, bits, product(a.denominator, Map.of(b.asFactor(), 1), 1));
    }

    @Override
    public Size power(Size base, int exponent) {
        if (exponent < 0) return divide(Size.ONE, power(base, -exponent));
        return new Size(exponent * base.numeratorDegree, exponent * base.numeratorBits,
                product(Map.of(), base.denominator, exponent));
    }

    private static Map<Factor, Integer> product(Map<Factor, Integer> a, Map<Factor, Integer> b, int times) {
        if (b.isEmpty() || times == 0) return a;
        if (a.isEmpty() && times == 1) return b;
        if (times == 1 && a.size() < b.size()) return product(b, a, 1);
        Map<Factor, Integer> result = new HashMap<>(a);
        b.forEach((f, m) -> result.merge(f, m * times, Integer::sum));
        return result;
    }

    /** Never: a bound must cover every term the residues might have kept. */
    @Override public boolean isZero(Size a) { return false; }

    @Override public boolean equal(Size a, Size b) { return false; }

    @Override public Size[] newArray(int length) { return new Size[length]; }

    @Override public String toString() { return "sizes of rational functions"; }
}
