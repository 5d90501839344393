package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
     * bounds. Compared by identity (its serial number): two factors of the same sizes are still
     * two polynomials.
     */
    private static final class Factor {
        private static final AtomicLong SERIALS = new AtomicLong();

        private final long serial = SERIALS.getAndIncrement();
        private final double degree;
        private final double bits;

        Factor(double degree, double bits) {
            this.degree = degree;
            this.bits = bits;
        }
    }

    /**
     * A product of powers of factors, sorted by serial number, with its degree and bits (factors
     * counted with multiplicity). Never changed once made, so values share them freely. Sorted
     * arrays rather than maps: an adjoint's denominator gathers thousands of factors, and every
     * product copies one.
     */
    private static final class Denominator {
        static final Denominator NONE = new Denominator(new long[0], new Factor[0], new int[0], 0, 0);

        private final long[] serials;
        private final Factor[] factors;
        private final int[] multiplicities;
        private final double degree;
        private final double bits;

        private Denominator(long[] serials, Factor[] factors, int[] multiplicities, double degree, double bits) {
            this.serials = serials;
            this.factors = factors;
            this.multiplicities = multiplicities;
            this.degree = degree;
            this.bits = bits;
        }

        static Denominator of(Factor factor) {
            return new Denominator(new long[] {factor.serial}, new Factor[] {factor}, new int[] {1}, factor.degree, factor.bits);
        }

        int size() { return factors.length; }

        boolean isEmpty() { return factors.length == 0; }

        /** The multiplicity of the factor with this serial number, 0 when absent. */
        int multiplicity(long serial) {
            int at = Arrays.binarySearch(serials, serial);
            return at < 0 ? 0 : multiplicities[at];
        }

        /**
         * The least common multiple with {@code other}: this very object when {@code other}
         * brings nothing new (a long sum over factors it already has), found by looking up
         * only {@code other}'s factors.
         */
        Denominator lcm(Denominator other) {
            return other == this || divides(other) ? this : merge(this, other, 1, false);
        }

        /** Whether {@code other} divides this: a walk along both, or lookups when it is much shorter. */
        private boolean divides(Denominator other) {
            if (other.size() > size()) return false;
            if (other.size() * 16L < size()) {
                for (int k = 0; k < other.size(); k++) {
                    if (other.multiplicities[k] > multiplicity(other.serials[k])) return false;
                }
                return true;
            }
            int i = 0;
            for (int k = 0; k < other.size(); k++) {
                long serial = other.serials[k];
                while (i < size() && serials[i] < serial) i++;
                if (i == size() || serials[i] != serial || multiplicities[i] < other.multiplicities[k]) return false;
            }
            return true;
        }

        /** this · other^times. */
        Denominator times(Denominator other, int times) {
            if (other.isEmpty() || times == 0) return this;
            if (isEmpty() && times == 1) return other;
            return merge(this, other, times, true);
        }

        /**
         * The factors of both, with multiplicities a + times·b when summed, max(a, b) when not;
         * {@link ArithmeticException} when a multiplicity would not fit an int.
         */
        private static Denominator merge(Denominator a, Denominator b, int times, boolean sum) {
            int n = a.size() + b.size();
            long[] serials = new long[n];
            Factor[] factors = new Factor[n];
            int[] multiplicities = new int[n];
            int i = 0;
            int j = 0;
            int k = 0;
            double degree = 0;
            double bits = 0;
            while (i < a.size() || j < b.size()) {
                long sa = i < a.size() ? a.serials[i] : Long.MAX_VALUE;
                long sb = j < b.size() ? b.serials[j] : Long.MAX_VALUE;
                int m;
                Factor f;
                if (sa < sb) {
                    f = a.factors[i];
                    m = a.multiplicities[i++];
                } else if (sb < sa) {
                    f = b.factors[j];
                    m = Math.multiplyExact(times, b.multiplicities[j++]);
                } else {
                    // Exact: a multiplicity that wrapped around would shrink the bound.
                    f = a.factors[i];
                    m = sum ? Math.addExact(a.multiplicities[i++], Math.multiplyExact(times, b.multiplicities[j++]))
                            : Math.max(a.multiplicities[i++], b.multiplicities[j++]);
                }
                serials[k] = f.serial;
                factors[k] = f;
                multiplicities[k++] = m;
                degree += m * f.degree;
                bits += m * f.bits;
            }
            return new Denominator(Arrays.copyOf(serials, k), Arrays.copyOf(factors, k), Arrays.copyOf(multiplicities, k),
                    degree, bits);
        }
    }

    /** A value's bounds: N's degree and coefficient size, and D as a product of factors. */
    public static final class Size {
        /** The one argument of π (a constant): shared, so that every π is one unknown. */
        static final Size ONE = new Size(0, 0, Denominator.NONE);

        private final double numeratorDegree;
        private final double numeratorBits;
        private final Denominator denominator;
        /** This value's numerator as a factor: one object for every division by this value. */
        private Factor asFactor;

        private Size(double numeratorDegree, double numeratorBits, Denominator denominator) {
            this.numeratorDegree = numeratorDegree;
            this.numeratorBits = numeratorBits;
            this.denominator = denominator;
        }

        /**
         * A variable of its own: never shared, so that values built from different variables
         * never pass for one function (1/x − 1/y has degree 2 over degree 2, not 0 over 1).
         */
        public static Size variable() { return new Size(1, 0, Denominator.NONE); }

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
            degrees += v.numeratorDegree + v.denominator.degree;
            bits += v.numeratorBits + v.denominator.bits;
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

    /** Thrown when the evaluation runs past its deadline: a big network's denominators gather many factors. */
    public static final class OverTime extends RuntimeException {
        OverTime() {
            super("the sizes of the gradients were not worked out in the time given", null, false, false);
        }
    }

    /** When to give up ({@link System#nanoTime()}), checked every {@link #CHECK_EVERY} operations. */
    private final long deadlineNanos;
    private static final int CHECK_EVERY = 1024;
    private int operations;

    /** Sizes with no deadline. */
    public FormalSizeArithmetic() {
        this(Long.MAX_VALUE);
    }

    /** Sizes whose operations throw {@link OverTime} once {@code deadlineNanos} has passed. */
    public FormalSizeArithmetic(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * The values made inside builtins' formulas, per tuple of argument objects: the formula of
     * tanh at u, and that of its derivative at u, both make e^(2u) + 1, and made twice it would
     * be two unknowns and two factors where the residues have one (they draw an unknown per
     * argument value). Within a scope, the same operation on the same objects gives the same
     * object back: the same rational function. Kept per builtin call only, not for the sums and
     * products of a whole pass, whose results are many and big.
     */
    private final Map<List<Size>, Map<Object, Size>> scopes = new HashMap<>();
    private Map<Object, Size> scope;

    /** An operation and its operands, compared by identity (Size keeps Object's equals). */
    private record Operation(char kind, Size a, Size b, int exponent) {}

    @Override
    public Size apply(Builtin function, Size... args) {
        return inScope(args, () -> BranchFreeArithmetic.super.apply(function, args));
    }

    @Override
    public Size derivative(Builtin function, int argIndex, Size... args) {
        return inScope(args, () -> BranchFreeArithmetic.super.derivative(function, argIndex, args));
    }

    /** Runs {@code formula} in the scope of {@code args} (package-private for tests). */
    Size inScope(Size[] args, Supplier<Size> formula) {
        if (scope != null) return formula.get();
        // List.equals compares elements by equals: Size's is identity.
        scope = scopes.computeIfAbsent(List.of(args), k -> new HashMap<>());
        try {
            return formula.get();
        } finally {
            scope = null;
        }
    }

    private Size remembered(Object key, Supplier<Size> make) {
        if (scope == null) return make.get();
        Size known = scope.get(key);
        if (known != null) return known;
        Size made = make.get();
        // The scope may have been left and entered by nothing else: make never applies a builtin.
        scope.put(key, made);
        return made;
    }

    private void tick() {
        if (++operations % CHECK_EVERY == 0 && deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw new OverTime();
        }
    }

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
        // Values of one sum share their denominator: each is merged once.
        Set<Denominator> merged = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Size v : values) {
            Denominator d = v.denominator;
            if (merged.add(d)) for (int k = 0; k < d.size(); k++) common.merge(d.factors[k], d.multiplicities[k], Math::max);
        }
        double commonDegree = 0;
        double commonBits = 0;
        for (var e : common.entrySet()) {
            commonDegree += e.getValue() * e.getKey().degree;
            commonBits += e.getValue() * e.getKey().bits;
        }
        double degree = 0;
        double bits = 0;
        for (Size v : values) {
            // L/D_v is L's factors less v's own (each at most L's multiplicity): their sizes subtract.
            degree = Math.max(degree, v.numeratorDegree + commonDegree - v.denominator.degree);
            bits = Math.max(bits, v.numeratorBits + commonBits - v.denominator.bits);
        }
        return new DifferenceBound(degree, bits + 1);
    }

    @Override public Size exp(Size a) { return unknown("exp", a); }

    @Override public Size log(Size a) { return unknown("log", a); }

    @Override public Size sqrt(Size a) { return unknown("sqrt", a); }

    @Override public Size erfc(Size a) { return unknown("erfc", a); }

    @Override public Size pi() { return unknown("pi", Size.ONE); }

    @Override public Size logistic(Size a) { return unknown("logistic", a); }

    @Override public Size step(Size z) { return unknown("step", z); }

    @Override public Size halfStep(Size d) { return unknown("halfStep", d); }

    @Override public Size sign(Size z) { return unknown("sign", z); }

    @Override public Size genericDerivative(String name, int order, Size z) { return unknown(name + "'" + order, z); }

    /** 0 and 1 are two functions: objects of their own, unlike π's marker {@link Size#ONE}. */
    @Override public Size zero() { return remembered("0", () -> new Size(0, 0, Denominator.NONE)); }

    @Override public Size one() { return remembered("1", () -> new Size(0, 0, Denominator.NONE)); }

    /** Constants by value, in every scope and outside them: the same number is the same function. */
    private final Map<Rational, Size> constants = new HashMap<>();

    /**
     * p/q: a numerator of p's size over the factor q (a number, degree 0), one object per value, so
     * that gelu_tanh's 0.044715 at a thousand elements is one factor of their sum, not a thousand.
     */
    @Override
    public Size fromRational(Rational value) {
        return constants.computeIfAbsent(value, FormalSizeArithmetic::constant);
    }

    private static Size constant(Rational value) {
        double bits = value.numerator().abs().bitLength();
        if (value.isInteger()) return new Size(0, bits, Denominator.NONE);
        return new Size(0, bits, Denominator.of(new Factor(0, value.denominator().bitLength())));
    }

    /**
     * N₁/D₁ ± N₂/D₂ = (N₁·L/D₁ ± N₂·L/D₂)/L with L the least common multiple. Walks only the
     * smaller denominator: L is the larger one plus what the smaller adds, shared when it adds
     * nothing (a long sum of terms over factors it already has, as in an adjoint, used to copy
     * its whole map at every term: quadratic time and memory).
     */
    @Override
    public Size add(Size a, Size b) {
        return remembered(new Operation('+', a, b, 0), () -> sum(a, b));
    }

    /** The same bounds for a − b as for a + b; a different function, so another object. */
    @Override
    public Size subtract(Size a, Size b) {
        return remembered(new Operation('-', a, b, 0), () -> sum(a, b));
    }

    private Size sum(Size a, Size b) {
        tick();
        if (a.denominator.isEmpty() && b.denominator.isEmpty()) {
            return new Size(Math.max(a.numeratorDegree, b.numeratorDegree), Math.max(a.numeratorBits, b.numeratorBits) + 1,
                    Denominator.NONE);
        }
        Size large = a.denominator.size() >= b.denominator.size() ? a : b;
        Size small = large == a ? b : a;
        Denominator common = large.denominator.lcm(small.denominator);
        // L/D_large is what the smaller brought; L/D_small is the rest of L.
        double degreeLarge = large.numeratorDegree + (common.degree - large.denominator.degree);
        double bitsLarge = large.numeratorBits + (common.bits - large.denominator.bits);
        double degreeSmall = small.numeratorDegree + (common.degree - small.denominator.degree);
        double bitsSmall = small.numeratorBits + (common.bits - small.denominator.bits);
        return new Size(Math.max(degreeLarge, degreeSmall), Math.max(bitsLarge, bitsSmall) + 1, common);
    }

    /** −N/D: a new object (another function), whose numerator is the same factor as N's. */
    @Override
    public Size negate(Size a) {
        return remembered(new Operation('n', a, null, 0), () -> {
            Size negated = new Size(a.numeratorDegree, a.numeratorBits, a.denominator);
            negated.asFactor = a.asFactor();
            return negated;
        });
    }

    @Override
    public Size multiply(Size a, Size b) {
        return remembered(new Operation('*', a, b, 0), () -> {
            tick();
            return new Size(a.numeratorDegree + b.numeratorDegree, a.numeratorBits + b.numeratorBits,
                    a.denominator.times(b.denominator, 1));
        });
    }

    /** (N₁/D₁)/(N₂/D₂) = N₁·D₂/(D₁·N₂): D₂'s factors multiply into the numerator, N₂ becomes a factor. */
    @Override
    public Size divide(Size a, Size b) {
        return remembered(new Operation('/', a, b, 0), () -> {
            tick();
            return new Size(a.numeratorDegree + b.denominator.degree, a.numeratorBits + b.denominator.bits,
                    a.denominator.times(Denominator.of(b.asFactor()), 1));
        });
    }

    @Override
    public Size power(Size base, int exponent) {
        if (exponent < 0) return divide(Size.ONE, power(base, -exponent));
        return remembered(new Operation('^', base, null, exponent), () -> new Size(exponent * base.numeratorDegree,
                exponent * base.numeratorBits, Denominator.NONE.times(base.denominator, exponent)));
    }

    /** Never: a bound must cover every term the residues might have kept. */
    @Override public boolean isZero(Size a) { return false; }

    @Override public boolean equal(Size a, Size b) { return false; }

    @Override public Size[] newArray(int length) { return new Size[length]; }

    @Override public String toString() { return "sizes of rational functions"; }
}
