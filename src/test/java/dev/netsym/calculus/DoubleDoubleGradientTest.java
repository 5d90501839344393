package dev.netsym.calculus;

import static dev.netsym.calculus.TestNetworks.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The gradient on primitive arrays has the same bits as the boxed evaluation. */
class DoubleDoubleGradientTest {
    private final DoubleDoubleArithmetic dd = new DoubleDoubleArithmetic(5);

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
        int compared = 0;
        for (long seed = 0; seed < 150; seed++) {
            Network network = RandomNetworks.generate(seed, RandomNetworks.ALL, objectives);
            compared += compare(Tape.compile(network), new SplittableRandom(seed), "seed " + seed);
        }
        assertTrue(compared > 2000, "only " + compared + " gradients compared");
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
        assertEquals(9, compare(Tape.compile(network), new SplittableRandom(1), "hand-made"));
    }

    /** Both ways, at a few random points; returns how many gradients agreed (points that throw must throw in both). */
    private int compare(Tape tape, SplittableRandom random, String what) {
        int compared = 0;
        for (int point = 0; point < 3; point++) {
            DoubleDouble[] theta = values(random, tape.parameterCount());
            DoubleDouble[] data = values(random, tape.dataNames().size());
            DoubleDouble[] boxed;
            try {
                boxed = tape.evaluate(dd, theta, data).gradient().toArray(new DoubleDouble[0]);
            } catch (ArithmeticException undefined) {
                assertThrowsArithmetic(tape, theta, data, what);
                continue;
            }
            DoubleDouble[] primitive = tape.gradient(dd, theta, data);
            for (int p = 0; p < boxed.length; p++) {
                assertSameBits(boxed[p], new double[] {primitive[p].hi, primitive[p].lo}, what + ", parameter " + p);
                compared++;
            }
        }
        return compared;
    }

    private void assertThrowsArithmetic(Tape tape, DoubleDouble[] theta, DoubleDouble[] data, String what) {
        try {
            tape.gradient(dd, theta, data);
        } catch (ArithmeticException expected) {
            return;
        }
        throw new AssertionError(what + ": the boxed evaluation failed, the array one did not");
    }

    private DoubleDouble[] values(SplittableRandom random, int n) {
        DoubleDouble[] values = new DoubleDouble[n];
        for (int i = 0; i < n; i++) {
            // Away from 0, so that quotients are defined.
            int numerator = random.nextInt(1, 10) * (random.nextBoolean() ? 1 : -1);
            values[i] = dd.fromRational(Rational.of(numerator, random.nextInt(1, 8)));
        }
        return values;
    }

    private static DoubleDouble randomValue(SplittableRandom random) {
        double hi = (random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(-60, 60));
        return new DoubleDouble(hi, hi * Math.ulp(1.0) * (random.nextDouble() - 0.5));
    }

    private static void assertSameBits(DoubleDouble expected, double[] pair, String what) {
        assertEquals(Double.doubleToRawLongBits(expected.hi), Double.doubleToRawLongBits(pair[0]), what + " (hi)");
        assertEquals(Double.doubleToRawLongBits(expected.lo), Double.doubleToRawLongBits(pair[1]), what + " (lo)");
    }
}
