package dev.netsym.calculus;

import static dev.netsym.calculus.TestNetworks.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gradients on primitive arrays, in double-doubles and in doubles, have the same bits as the
 * boxed evaluation.
 */
class PrimitiveGradientTest {
    private final DoubleDoubleArithmetic dd = new DoubleDoubleArithmetic(5);
    private final DoubleArithmetic doubles = new DoubleArithmetic(5);

    /** A value's bits: hi and lo of a double-double, the one double of a double. */
    private static long[] bits(Object value) {
        if (value instanceof DoubleDouble d) return new long[] {Double.doubleToRawLongBits(d.hi), Double.doubleToRawLongBits(d.lo)};
        return new long[] {Double.doubleToRawLongBits((Double) value)};
    }

    @Test
    void arrayOperationsGiveTheSameBitsAsTheObjects() {
        SplittableRandom random = new SplittableRandom(11);
        double[] special = {0.0, -0.0, 1.0, -1.0, 1e-300, -1e300, Math.ulp(1.0), 3.0};
        for (int i = 0; i < 100_000; i++) {
            DoubleDouble a = i < 64 ? new DoubleDouble(special[i % 8], 0) : randomValue(random);
            DoubleDouble b = i < 64 ? new DoubleDouble(special[i / 8], 0) : randomValue(random);
            double[] pair = {a.hi, a.lo};
            DoubleDouble.addTo(pair, 0, b.hi, b.lo);
            assertSameBits(a.add(b), pair, a + " + " + b);
            DoubleDouble.multiplyInto(pair, 0, a.hi, a.lo, b.hi, b.lo);
            assertSameBits(a.multiply(b), pair, a + " * " + b);
        }
    }

    @Test
    void gradientOnArraysMatchesEvaluateOnRandomNetworks() {
        List<RandomNetworks.Objective> objectives = List.of(RandomNetworks.Objective.values());
        for (Arithmetic<?> arithmetic : List.of(dd, doubles)) {
            int compared = 0;
            for (long seed = 0; seed < 150; seed++) {
                Network network = RandomNetworks.generate(seed, RandomNetworks.ALL, objectives);
                compared += compare(Tape.compile(network), arithmetic, new SplittableRandom(seed), "seed " + seed);
            }
            assertTrue(compared > 2000, "only " + compared + " gradients compared in " + arithmetic);
        }
    }

    @Test
    void longProductsQuotientsAndPowers() {
        // A product of four factors (prefix and suffix products), a repeated factor, a quotient,
        // integer and real powers and a negation.
        Network network = network(List.of("x"), List.of(), List.of(
                unit("h", product(ref("w1"), ref("x"), ref("w2"), ref("w1"))),
                unit("g", sum(quotient(ref("h"), ref("w3")), power(ref("w2"), num(3)), neg(ref("w3")))),
                unit("r", power(call("softplus", ref("g")), num(1, 2)))), product(ref("r"), ref("g"), ref("h")),
                List.of("w1", "w2", "w3"), Set.of());
        Tape tape = Tape.compile(network);
        assertEquals(9, compare(tape, dd, new SplittableRandom(1), "hand-made"));
        assertEquals(9, compare(tape, doubles, new SplittableRandom(1), "hand-made"));
        // Signed zeros among the factors, in doubles.
        for (double zero : new double[] {0.0, -0.0}) {
            Double[] theta = {zero, 2.0, -3.0};
            Double[] data = {zero};
            assertSameBits(tape.evaluate(doubles, theta, data).gradient().toArray(new Double[0]),
                    tape.gradient(doubles, theta, data), "at " + zero);
        }
    }

    /** Both ways, at a few random points; returns how many gradients agreed (points that throw must throw in both). */
    private <T> int compare(Tape tape, Arithmetic<T> arithmetic, SplittableRandom random, String what) {
        int compared = 0;
        for (int point = 0; point < 3; point++) {
            T[] theta = values(arithmetic, random, tape.parameterCount());
            T[] data = values(arithmetic, random, tape.dataNames().size());
            T[] boxed;
            try {
                boxed = tape.evaluate(arithmetic, theta, data).gradient().toArray(arithmetic.newArray(0));
            } catch (ArithmeticException undefined) {
                try {
                    tape.gradient(arithmetic, theta, data);
                } catch (ArithmeticException expected) {
                    continue;
                }
                throw new AssertionError(what + ": the boxed evaluation failed, the array one did not");
            }
            assertSameBits(boxed, tape.gradient(arithmetic, theta, data), what + " in " + arithmetic);
            compared += boxed.length;
        }
        return compared;
    }

    private static <T> T[] values(Arithmetic<T> arithmetic, SplittableRandom random, int n) {
        T[] values = arithmetic.newArray(n);
        for (int i = 0; i < n; i++) {
            // Away from 0, so that quotients are defined.
            int numerator = random.nextInt(1, 10) * (random.nextBoolean() ? 1 : -1);
            values[i] = arithmetic.fromRational(Rational.of(numerator, random.nextInt(1, 8)));
        }
        return values;
    }

    private static DoubleDouble randomValue(SplittableRandom random) {
        double hi = (random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(-60, 60));
        return new DoubleDouble(hi, hi * Math.ulp(1.0) * (random.nextDouble() - 0.5));
    }

    private static void assertSameBits(Object[] expected, Object[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int p = 0; p < expected.length; p++) {
            assertArrayEquals(bits(expected[p]), bits(actual[p]), what + ", parameter " + p + ": " + expected[p] + " vs " + actual[p]);
        }
    }

    private static void assertSameBits(DoubleDouble expected, double[] pair, String what) {
        assertEquals(Double.doubleToRawLongBits(expected.hi), Double.doubleToRawLongBits(pair[0]), what + " (hi)");
        assertEquals(Double.doubleToRawLongBits(expected.lo), Double.doubleToRawLongBits(pair[1]), what + " (lo)");
    }
}
