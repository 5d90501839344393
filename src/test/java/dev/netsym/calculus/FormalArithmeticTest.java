package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.calculus.FormalSizeArithmetic.Size;
import dev.netsym.model.Builtin;
import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pieces of the identity test for networks that are not rational: the comparison-free forms are the same
 * real functions as the accurate ones, unknowns are one per function and argument, and sizes
 * keep a shared denominator once.
 */
class FormalArithmeticTest {

    @Test
    void branchFreeFormsAreTheSameRealFunctions() {
        DecimalArithmetic decimals = new DecimalArithmetic();
        List<String> points = List.of("-3.7", "-0.4", "0", "0.3", "1.9", "6.25");
        int checked = 0;
        for (Builtin f : Builtin.values()) {
            assertTrue(f.hasBranchFreeForm(), f + " has a form");
            for (String z : points) {
                for (String w : f.arity() == 1 ? List.of("") : List.of(z, "-1.5", "0.25", "0")) {
                    BigDecimal[] at = f.arity() == 1 ? new BigDecimal[] {new BigDecimal(z)}
                            : new BigDecimal[] {new BigDecimal(z), new BigDecimal(w)};
                    if (f == Builtin.LOG || f == Builtin.SQRT) {
                        if (at[0].signum() == 0) continue;
                        at[0] = at[0].abs();
                    }
                    String where = f + " at " + java.util.Arrays.toString(at);
                    assertClose(f.value(decimals, at), f.branchFreeValue(decimals, at), where);
                    for (int k = 0; k < f.arity(); k++) {
                        assertClose(f.partial(decimals, k, at), f.branchFreePartial(decimals, k, at), where + ", ∂" + k);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    private static void assertClose(BigDecimal expected, BigDecimal actual, String what) {
        BigDecimal scale = expected.abs().max(BigDecimal.ONE);
        assertTrue(expected.subtract(actual).abs().compareTo(scale.movePointLeft(30)) < 0,
                what + ": " + expected + " vs " + actual);
    }

    @Test
    void unknownsAreOnePerFunctionAndArgument() {
        FormalModularArithmetic r = new FormalModularArithmetic(5);
        Long two = r.fromRational(Rational.of(2));
        Long alsoTwo = r.add(r.one(), r.one());
        assertEquals(r.exp(two), r.exp(alsoTwo));
        assertNotEquals(r.exp(two), r.log(two));
        assertNotEquals(r.exp(two), r.exp(r.one()));
        assertEquals(r.subtract(r.exp(two), r.one()), r.expm1(two));
        assertEquals(r.log(r.add(r.one(), two)), r.log1p(two));
        assertThrows(UnsupportedArithmeticException.class, () -> r.signum(two));
        assertNotEquals(r.step(two), r.sign(two), "each indicator its own unknown");
        assertEquals(r.multiply(two, r.step(two)), r.apply(Builtin.RELU, two), "relu(z) = z·step(z)");
        // σ is an unknown of its own, as the size arithmetic counts it, not 1/(1 + e^−z)
        assertEquals(r.logistic(two), r.logistic(alsoTwo));
        assertNotEquals(r.divide(r.one(), r.add(r.one(), r.exp(r.negate(two)))), r.logistic(two));
        assertEquals(r.logistic(two), r.apply(Builtin.SIGMOID, two));
        assertEquals(r.subtract(r.multiply(r.fromRational(Rational.of(2)), r.logistic(r.add(two, two))), r.one()),
                r.apply(Builtin.TANH, two), "tanh(z) = 2σ(2z) − 1");
        // A different seed, a different prime and other unknowns.
        assertNotEquals(r.modulus(), new FormalModularArithmetic(6).modulus());
    }

    /** Σ_i e_i/S over one S: the denominator is S once, however many terms share it. */
    @Test
    void aSharedDenominatorIsKeptOnce() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        List<Size> exps = new ArrayList<>();
        for (int i = 0; i < 50; i++) exps.add(sizes.exp(Size.variable()));
        Size total = exps.get(0);
        for (int i = 1; i < exps.size(); i++) total = sizes.add(total, exps.get(i));
        Size sum = sizes.zero();
        List<Size> weights = new ArrayList<>();
        for (Size e : exps) {
            Size w = sizes.divide(e, total);
            weights.add(w);
            sum = sizes.add(sum, w);
        }
        FormalSizeArithmetic.DifferenceBound bound = FormalSizeArithmetic.ofDifferences(List.of(sum));
        assertEquals(1, bound.degree(), "Σ e_i/S = (Σ e_i)/S: numerator of degree 1");
        assertEquals(50, sizes.unknowns());
        assertEquals(1, FormalSizeArithmetic.ofDifferences(weights).degree(), "e_i/S − e_j/S = (e_i − e_j)/S");
    }

    /** Without a shared object the bound multiplies: x/(x+1) + y/(y+1) has numerator degree 2 over degree 2. */
    @Test
    void distinctDenominatorsMultiply() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        Size x = Size.variable();
        Size y = Size.variable();
        Size a = sizes.divide(x, sizes.add(x, sizes.one()));
        Size b = sizes.divide(y, sizes.add(y, sizes.one()));
        FormalSizeArithmetic.DifferenceBound bound = FormalSizeArithmetic.ofDifferences(List.of(sizes.add(a, b)));
        assertEquals(2, bound.degree());
        assertTrue(bound.bits() >= 2, "x(y+1) + y(x+1) = 2xy + x + y: coefficients sum to 4 = 2^2");
    }

    /** Two variables are two objects: 1/x − 1/y = (y − x)/(x·y), not a difference over one shared factor. */
    @Test
    void everyVariableIsItsOwnFactor() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        Size x = Size.variable();
        Size y = Size.variable();
        Size difference = sizes.subtract(sizes.divide(sizes.one(), x), sizes.divide(sizes.one(), y));
        assertEquals(1, FormalSizeArithmetic.ofDifferences(List.of(difference)).degree(),
                "numerator y − x of degree 1 over x·y (a shared factor would make it 1 − 1, degree 0)");
        Size unknownsApart = sizes.subtract(sizes.divide(sizes.one(), sizes.exp(x)), sizes.divide(sizes.one(), sizes.exp(y)));
        assertEquals(1, FormalSizeArithmetic.ofDifferences(List.of(unknownsApart)).degree(),
                "e^x and e^y are two unknowns, two factors");
    }

    /**
     * One argument object is one unknown however often it is passed (a node's value and its
     * partial); its negative, and other functions, are others; pairs that may merge are per function.
     */
    @Test
    void unknownsAreCountedOncePerArgumentAndPairedPerFunction() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        Size z = Size.variable();
        Size first = sizes.exp(z);
        assertSame(first, sizes.exp(z), "the same argument, the same unknown");
        assertNotSame(first, sizes.exp(sizes.negate(z)), "e^−z is another unknown");
        sizes.log(z);
        sizes.pi();
        sizes.pi();
        assertEquals(4, sizes.unknowns(), "e^z, e^−z, log z and π");
        var byFunction = sizes.argumentsByFunction();
        assertEquals(2, byFunction.get("exp").size());
        assertEquals(1, byFunction.get("log").size());
        assertEquals(1, byFunction.get("pi").size(), "every π is one unknown");
        assertNotSame(sizes.zero(), sizes.one(), "0 and 1 are two functions, so two arguments");
    }

    /**
     * 1/(x_k + 1) for 50 variables: over all of them together a difference carries 49 factors,
     * but any one pair only its own two, so the pairs' bounds summed one by one are far smaller.
     */
    @Test
    void pairsBoundedOneByOneAgreeWithEachPairsOwnBound() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        List<Size> values = new ArrayList<>();
        for (int k = 0; k < 50; k++) values.add(sizes.divide(sizes.one(), sizes.add(Size.variable(), sizes.one())));
        FormalSizeArithmetic.PairSums sums = FormalSizeArithmetic.ofPairs(values);
        assertEquals(50 * 49 / 2, sums.pairs());
        double ownPairDegree = FormalSizeArithmetic.ofDifferences(List.of(values.get(0), values.get(1))).degree();
        double ownPairBits = FormalSizeArithmetic.ofDifferences(List.of(values.get(0), values.get(1))).bits();
        assertEquals(1, ownPairDegree, "(x_1 + 1) − (x_0 + 1)");
        assertTrue(sums.degree() >= sums.pairs() * ownPairDegree, "each pair's degree is within its share");
        assertTrue(sums.bits() >= sums.pairs() * ownPairBits, "each pair's bits are within their share");
        double together = FormalSizeArithmetic.ofDifferences(values).degree();
        assertEquals(49, together, "over the common denominator: 49 factors missing from each");
        assertTrue(sums.degree() < sums.pairs() * together / 10, "one by one: " + sums.degree() + " against " + sums.pairs() * together);
    }

    /**
     * Sums look up only the smaller denominator's factors, or walk both, and share the larger:
     * the bounds must be those of the plain lcm, here recomputed by a naive model of the same
     * rules over random expressions. The later trials divide by 40 variables, so that
     * denominators of dozens of factors meet denominators of one or two (both ways of testing
     * whether one divides the other).
     */
    @Test
    void sumsThatShareTheirDenominatorBoundAsThePlainLeastCommonMultiple() {
        java.util.Random random = new java.util.Random(5);
        for (int trial = 0; trial < 60; trial++) {
            int variables = trial < 40 ? 4 : 40;
            FormalSizeArithmetic sizes = new FormalSizeArithmetic();
            List<Size> values = new ArrayList<>();
            List<Naive> naive = new ArrayList<>();
            for (int v = 0; v < variables; v++) {
                values.add(Size.variable());
                naive.add(new Naive(1, 0, new java.util.HashMap<>()));
            }
            for (int step = 0; step < 6 * variables + 36; step++) {
                int i = random.nextInt(values.size());
                int j = random.nextInt(values.size());
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        values.add(sizes.add(values.get(i), values.get(j)));
                        naive.add(naive.get(i).plus(naive.get(j)));
                    }
                    case 2 -> {
                        values.add(sizes.multiply(values.get(i), values.get(j)));
                        naive.add(naive.get(i).times(naive.get(j)));
                    }
                    default -> {
                        // Divide only by variables and their sums: one factor object per divisor, as in the code.
                        int d = random.nextInt(variables);
                        values.add(sizes.divide(values.get(i), values.get(d)));
                        naive.add(naive.get(i).over(naive.get(d), d));
                    }
                }
            }
            for (int k = 0; k < values.size(); k++) {
                var bound = FormalSizeArithmetic.ofDifferences(List.of(values.get(k)));
                assertEquals(naive.get(k).degree(), bound.degree(), 1e-9, "degree of value " + k);
                assertEquals(naive.get(k).bits() + 1, bound.bits(), 1e-9, "bits of value " + k);
            }
        }
    }

    /**
     * A long denominator (x_1 ... x_40) meets a short one with one of its factors squared:
     * the sum's lcm has x_1 twice, whichever side is looked up.
     */
    @Test
    void aSquaredFactorOfAShortDenominatorCountsInTheSum() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        List<Size> xs = new ArrayList<>();
        for (int k = 0; k < 40; k++) xs.add(Size.variable());
        Size wide = sizes.divide(sizes.one(), xs.get(0));
        for (Size x : xs.subList(1, xs.size())) wide = sizes.add(wide, sizes.divide(sizes.one(), x));
        Size squared = sizes.divide(sizes.divide(sizes.one(), xs.get(0)), xs.get(0));
        // Σ 1/x_k = P/(x_1 ... x_40) with P of degree 39; plus 1/x_1²: over x_1²·x_2 ... x_40,
        // P·x_1 has degree 40 and the other numerator, x_2 ... x_40, degree 39.
        for (Size sum : List.of(sizes.add(wide, squared), sizes.add(squared, wide))) {
            assertEquals(40, FormalSizeArithmetic.ofDifferences(List.of(sum)).degree());
            assertEquals(41, FormalSizeArithmetic.ofDifferences(List.of(sum, sizes.zero())).degree(),
                    "against 0 over the same 41 factors: 0·L and the sum's numerator");
        }
    }

    /** Past its deadline the size arithmetic stops within a thousand or so operations; without one it never does. */
    @Test
    void sizesStopAtTheirDeadline() {
        FormalSizeArithmetic late = new FormalSizeArithmetic(System.nanoTime() - 1);
        Size x = Size.variable();
        assertThrows(FormalSizeArithmetic.OverTime.class, () -> {
            for (int i = 0; i < 5000; i++) late.add(late.divide(late.one(), x), x);
        });
        FormalSizeArithmetic unlimited = new FormalSizeArithmetic();
        for (int i = 0; i < 5000; i++) unlimited.add(unlimited.divide(unlimited.one(), x), x);
    }

    /**
     * σ is an unknown of its own, so tanh, sigmoid and gelu_tanh and their derivatives are
     * polynomials: a sum over many elements gathers no denominator (through e^x, each element's
     * 1 + e^2u was a factor of its own, and the sum's degree grew with the elements); and a
     * constant is one object per value, so its denominator is one factor however often it occurs.
     */
    @Test
    void tanhSigmoidAndGeluTanhBringNoDenominators() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        Size sum = sizes.zero();
        for (int i = 0; i < 50; i++) {
            Size u = Size.variable();
            sum = sizes.add(sum, sizes.apply(Builtin.TANH, u));
            sum = sizes.add(sum, sizes.derivative(Builtin.TANH, 0, u));
            sum = sizes.add(sum, sizes.derivative(Builtin.SIGMOID, 0, u));
            sum = sizes.add(sum, sizes.derivative(Builtin.GELU_TANH, 0, u));
        }
        Size total = sum;
        FormalSizeArithmetic.DifferenceBound bound = FormalSizeArithmetic.ofDifferences(List.of(total, Size.variable()));
        assertTrue(bound.degree() <= 8, () -> "degree " + bound.degree());
        // gelu_tanh's constants are one factor of the sum, not one per element (each ~20 bits)
        assertTrue(bound.bits() < 400, () -> bound + " for " + total);
    }

    /**
     * A builtin's value and its derivative at one argument make their intermediate values
     * once: tanh's σ(2u) is one unknown, not one per formula. Different arguments stay apart.
     */
    @Test
    void aBuiltinsValueAndDerivativeShareTheirUnknowns() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        Size u = Size.variable();
        for (Builtin f : List.of(Builtin.TANH, Builtin.SIGMOID, Builtin.GELU_TANH)) {
            sizes.apply(f, u);
            long afterValue = sizes.unknowns();
            sizes.derivative(f, 0, u);
            sizes.apply(f, u);
            assertEquals(afterValue, sizes.unknowns(), f + ": the derivative at u brings no unknown of its own");
        }
        long before = sizes.unknowns();
        sizes.apply(Builtin.TANH, Size.variable());
        assertTrue(sizes.unknowns() > before, "another argument, another unknown");
    }

    /**
     * Inside a builtin's formula the same operation on the same objects is the same object,
     * and different operations never are (a − b and a + b, a·b and a/b: a divisor shared by
     * mistake would make the bound too small). Outside, every result is new.
     */
    @Test
    void withinAFormulaOnlyTheSameOperationIsTheSameObject() {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
        Size a = Size.variable();
        Size b = Size.variable();
        sizes.inScope(new Size[] {a, b}, () -> {
            assertSame(sizes.add(a, b), sizes.add(a, b));
            assertNotSame(sizes.add(a, b), sizes.subtract(a, b));
            assertNotSame(sizes.add(a, b), sizes.add(b, a), "kept apart: only the loosest sharing is risked");
            assertSame(sizes.multiply(a, b), sizes.multiply(a, b));
            assertNotSame(sizes.multiply(a, b), sizes.divide(a, b));
            assertSame(sizes.power(a, 3), sizes.power(a, 3));
            assertNotSame(sizes.power(a, 3), sizes.power(a, 2));
            assertNotSame(sizes.negate(a), sizes.negate(b));
            assertSame(sizes.fromRational(Rational.of(2)), sizes.fromRational(Rational.of(2)));
            assertNotSame(sizes.fromRational(Rational.of(2)), sizes.fromRational(Rational.of(-2)));
            assertNotSame(sizes.zero(), sizes.one());
            return a;
        });
        assertNotSame(sizes.add(a, b), sizes.add(a, b), "outside a formula nothing is kept");
        // The same tuple of arguments finds its scope again; another tuple has its own.
        Size[] inFirst = new Size[1];
        sizes.inScope(new Size[] {a, b}, () -> inFirst[0] = sizes.multiply(a, a));
        sizes.inScope(new Size[] {a, b}, () -> {
            assertSame(inFirst[0], sizes.multiply(a, a));
            return a;
        });
        sizes.inScope(new Size[] {b, a}, () -> {
            assertNotSame(inFirst[0], sizes.multiply(a, a));
            return a;
        });
    }

    /** The rules of the size arithmetic, written the slow obvious way: every sum over the full lcm. */
    private record Naive(double degree, double bits, java.util.Map<Integer, Integer> denominator) {
        Naive plus(Naive o) {
            if (denominator.isEmpty() && o.denominator.isEmpty()) {
                return new Naive(Math.max(degree, o.degree), Math.max(bits, o.bits) + 1, java.util.Map.of());
            }
            java.util.Map<Integer, Integer> common = new java.util.HashMap<>(denominator);
            o.denominator.forEach((f, m) -> common.merge(f, m, Math::max));
            double d1 = degree, b1 = bits, d2 = o.degree, b2 = o.bits;
            for (var e : common.entrySet()) {
                d1 += e.getValue() - denominator.getOrDefault(e.getKey(), 0);
                d2 += e.getValue() - o.denominator.getOrDefault(e.getKey(), 0);
            }
            return new Naive(Math.max(d1, d2), Math.max(b1, b2) + 1, common);
        }

        Naive times(Naive o) {
            java.util.Map<Integer, Integer> product = new java.util.HashMap<>(denominator);
            o.denominator.forEach((f, m) -> product.merge(f, m, Integer::sum));
            return new Naive(degree + o.degree, bits + o.bits, product);
        }

        /** Divided by variable number d, a factor of degree 1 and 0 bits. */
        Naive over(Naive variable, int d) {
            java.util.Map<Integer, Integer> product = new java.util.HashMap<>(denominator);
            product.merge(d, 1, Integer::sum);
            return new Naive(degree, bits, product);
        }
    }
}
