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

/** The gradient in doubles on primitive arrays has the same bits as the boxed evaluation. */
class DoubleGradientTest {
    private final DoubleArithmetic doubles = new DoubleArithmetic(5);

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
    void longProductsQuotientsPowersAndSignedZeros() {
        // A product of four factors (prefix and suffix products), a repeated factor, a quotient,
        // integer and real powers and a negation; then points where factors are ±0.
        Network network = network(List.of("x"), List.of(), List.of(
                unit("h", product(ref("w1"), ref("x"), ref("w2"), ref("w1"))),
                unit("g", sum(quotient(ref("h"), ref("w3")), power(ref("w2"), num(3)), neg(ref("w3")))),
                unit("r", power(call("softplus", ref("g")), num(1, 2)))), product(ref("r"), ref("g"), ref("h")),
                List.of("w1", "w2", "w3"), Set.of());
        Tape tape = Tape.compile(network);
        assertEquals(9, compare(tape, new SplittableRandom(1), "hand-made"));
        for (double zero : new double[] {0.0, -0.0}) {
            Double[] theta = {zero, 2.0, -3.0};
            assertSameBits(tape.evaluate(doubles, theta, new Double[] {zero}).gradient().toArray(new Double[0]),
                    tape.gradient(doubles, theta, new Double[] {zero}), "at " + zero);
        }
    }

    /** Both ways, at a few random points; returns how many gradients agreed (points that throw must throw in both). */
    private int compare(Tape tape, SplittableRandom random, String what) {
        int compared = 0;
        for (int point = 0; point < 3; point++) {
            Double[] theta = values(random, tape.parameterCount());
            Double[] data = values(random, tape.dataNames().size());
            Double[] boxed;
            try {
                boxed = tape.evaluate(doubles, theta, data).gradient().toArray(new Double[0]);
            } catch (ArithmeticException undefined) {
                try {
                    tape.gradient(doubles, theta, data);
                } catch (ArithmeticException expected) {
                    continue;
                }
                throw new AssertionError(what + ": the boxed evaluation failed, the array one did not");
            }
            assertSameBits(boxed, tape.gradient(doubles, theta, data), what);
            compared += boxed.length;
        }
        return compared;
    }

    private static void assertSameBits(Double[] expected, Double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int p = 0; p < expected.length; p++) {
            assertEquals(Double.doubleToRawLongBits(expected[p]), Double.doubleToRawLongBits(actual[p]),
                    what + ", parameter " + p + ": " + expected[p] + " vs " + actual[p]);
        }
    }

    private Double[] values(SplittableRandom random, int n) {
        Double[] values = new Double[n];
        for (int i = 0; i < n; i++) {
            // Away from 0, so that quotients are defined.
            int numerator = random.nextInt(1, 10) * (random.nextBoolean() ? 1 : -1);
            values[i] = doubles.fromRational(Rational.of(numerator, random.nextInt(1, 8)));
        }
        return values;
    }
}
