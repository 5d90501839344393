package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gradients against finite differences, and the four arithmetics against each other. */
class GradientAgreementTest {
    private static final List<RandomNetworks.Objective> ALL_OBJECTIVES = List.of(RandomNetworks.Objective.values());
    private static final List<RandomNetworks.Objective> SQUARED = List.of(RandomNetworks.Objective.SQUARED_ERROR);

    @Test
    void everyGradientMatchesACentralFiniteDifference() {
        DoubleArithmetic doubles = new DoubleArithmetic(5);
        int checked = 0;
        for (long seed = 0; seed < 200; seed++) {
            Network network = RandomNetworks.generate(seed, RandomNetworks.ALL, ALL_OBJECTIVES);
            Tape tape = Tape.compile(network);
            SplittableRandom random = new SplittableRandom(seed * 31 + 7);
            Double[] theta = new Double[tape.parameterCount()];
            for (int i = 0; i < theta.length; i++) theta[i] = random.nextDouble(-1, 1);
            Double[] data = toDoubles(RandomNetworks.data(random, tape));
            Evaluation<Double> e = tape.evaluate(doubles, theta, data);
            for (int i = 0; i < theta.length; i++) {
                double h = 1e-6;
                Double[] up = theta.clone();
                Double[] down = theta.clone();
                up[i] = theta[i] + h;
                down[i] = theta[i] - h;
                double difference = (tape.evaluate(doubles, up, data).objective()
                        - tape.evaluate(doubles, down, data).objective()) / (2 * h);
                double gradient = e.gradient(i);
                assertEquals(difference, gradient, 1e-5 * Math.max(1, Math.abs(gradient)),
                        "seed " + seed + ", " + tape.parameterNames().get(i));
                checked++;
            }
        }
        assertTrue(checked > 1000, "only " + checked + " gradients checked");
    }

    @Test
    void exactAndModularAgreeOnPolynomialNetworks() {
        ExactArithmetic exact = new ExactArithmetic();
        ModularArithmetic modular = new ModularArithmetic(3);
        for (long seed = 0; seed < 100; seed++) {
            Tape tape = Tape.compile(RandomNetworks.generate(seed, RandomNetworks.POLYNOMIAL, SQUARED));
            assertEquals(ArithmeticKind.MODULAR, ArithmeticKind.requiredFor(tape));
            SplittableRandom random = new SplittableRandom(seed);
            Rational[] theta = RandomNetworks.rationals(random, tape.parameterCount());
            Rational[] data = RandomNetworks.data(random, tape);
            Evaluation<Rational> inRationals = tape.evaluate(exact, theta, data);
            Evaluation<Long> inResidues = tape.evaluate(modular, toResidues(modular, theta), toResidues(modular, data));
            assertEquals(modular.fromRational(inRationals.objective()), inResidues.objective(), "seed " + seed);
            for (int i = 0; i < theta.length; i++) {
                assertEquals(modular.fromRational(inRationals.gradient(i)), inResidues.gradient(i), "seed " + seed);
            }
            for (String unit : tape.unitNodes().keySet()) {
                assertEquals(modular.fromRational(inRationals.unitAdjoint(unit)), inResidues.unitAdjoint(unit));
            }
        }
    }

    @Test
    void exactAndDecimalAgreeOnReluNetworks() {
        ExactArithmetic exact = new ExactArithmetic();
        DecimalArithmetic decimal = new DecimalArithmetic(3);
        for (long seed = 0; seed < 100; seed++) {
            Tape tape = Tape.compile(RandomNetworks.generate(seed, RandomNetworks.PIECEWISE, SQUARED));
            SplittableRandom random = new SplittableRandom(seed);
            Rational[] theta = RandomNetworks.rationals(random, tape.parameterCount());
            Rational[] data = RandomNetworks.data(random, tape);
            Evaluation<Rational> inRationals = tape.evaluate(exact, theta, data);
            Evaluation<BigDecimal> inDecimals = tape.evaluate(decimal, toDecimals(decimal, theta), toDecimals(decimal, data));
            for (int i = 0; i < theta.length; i++) {
                BigDecimal expected = decimal.fromRational(inRationals.gradient(i));
                assertTrue(decimal.equal(expected, inDecimals.gradient(i)),
                        "seed " + seed + ": " + expected + " vs " + inDecimals.gradient(i));
            }
        }
    }

    @Test
    void decimalAndDoubleAgreeOnSmoothNetworks() {
        DecimalArithmetic decimal = new DecimalArithmetic(11);
        DoubleArithmetic doubles = new DoubleArithmetic(11);
        for (long seed = 0; seed < 60; seed++) {
            Tape tape = Tape.compile(RandomNetworks.generate(seed, RandomNetworks.SMOOTH, ALL_OBJECTIVES));
            SplittableRandom random = new SplittableRandom(seed);
            Rational[] theta = RandomNetworks.rationals(random, tape.parameterCount());
            Rational[] data = RandomNetworks.data(random, tape);
            Evaluation<BigDecimal> inDecimals = tape.evaluate(decimal, toDecimals(decimal, theta), toDecimals(decimal, data));
            Evaluation<Double> inDoubles = tape.evaluate(doubles, toDoubles(theta), toDoubles(data));
            for (int i = 0; i < theta.length; i++) {
                double precise = inDecimals.gradient(i).doubleValue();
                assertEquals(precise, inDoubles.gradient(i), 1e-9 * Math.max(1, Math.abs(precise)), "seed " + seed);
            }
        }
    }

    @Test
    void genericActivationsKeepIdentitiesThatHoldForEveryFunctionAndBreakOthers() {
        // L = f(w1·x) + f(w2·x): symmetric in w1, w2 for every f, so the gradients agree at w1 = w2.
        // L' = f(w1·x)·x + f(w2·x): not symmetric, so they differ for a generic f.
        Network symmetric = TestNetworks.network(List.of("x"), List.of(), List.of(),
                TestNetworks.sum(TestNetworks.call("f", TestNetworks.product(TestNetworks.ref("w1"), TestNetworks.ref("x"))),
                        TestNetworks.call("f", TestNetworks.product(TestNetworks.ref("w2"), TestNetworks.ref("x")))),
                List.of("w1", "w2"), java.util.Set.of("f"));
        Network lopsided = TestNetworks.network(List.of("x"), List.of(), List.of(),
                TestNetworks.sum(TestNetworks.product(TestNetworks.call("f", TestNetworks.product(TestNetworks.ref("w1"),
                                TestNetworks.ref("x"))), TestNetworks.ref("x")),
                        TestNetworks.call("f", TestNetworks.product(TestNetworks.ref("w2"), TestNetworks.ref("x")))),
                List.of("w1", "w2"), java.util.Set.of("f"));
        ModularArithmetic modular = new ModularArithmetic(42);
        Long[] theta = {123456789L, 123456789L};
        Long[] data = {987654321L};
        Evaluation<Long> same = Tape.compile(symmetric).evaluate(modular, theta, data);
        assertEquals(same.gradient(0), same.gradient(1));
        Evaluation<Long> different = Tape.compile(lopsided).evaluate(modular, theta, data);
        assertNotEquals(different.gradient(0), different.gradient(1));

        ExactArithmetic exact = new ExactArithmetic(42);
        Rational[] exactTheta = {Rational.of(1, 3), Rational.of(1, 3)};
        Rational[] exactData = {Rational.of(2)};
        Evaluation<Rational> exactSame = Tape.compile(symmetric).evaluate(exact, exactTheta, exactData);
        assertEquals(exactSame.gradient(0), exactSame.gradient(1));
        assertEquals(exact.genericDerivative("f", exactTheta[0].multiply(exactData[0])).multiply(exactData[0]),
                exactSame.gradient(0));
    }

    private static Double[] toDoubles(Rational[] values) {
        Double[] result = new Double[values.length];
        for (int i = 0; i < values.length; i++) result[i] = values[i].doubleValue();
        return result;
    }

    private static Long[] toResidues(ModularArithmetic modular, Rational[] values) {
        Long[] result = new Long[values.length];
        for (int i = 0; i < values.length; i++) result[i] = modular.fromRational(values[i]);
        return result;
    }

    private static BigDecimal[] toDecimals(DecimalArithmetic decimal, Rational[] values) {
        BigDecimal[] result = new BigDecimal[values.length];
        for (int i = 0; i < values.length; i++) result[i] = decimal.fromRational(values[i]);
        return result;
    }
}
