package dev.netsym.calculus;

import static dev.netsym.calculus.TestNetworks.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TapeTest {
    private final ExactArithmetic exact = new ExactArithmetic(1);

    private static Rational randomRational(SplittableRandom random) {
        return Rational.of(random.nextInt(-20, 21), random.nextInt(1, 9));
    }

    private static Rational[] randomRationals(SplittableRandom random, int n) {
        Rational[] values = new Rational[n];
        for (int i = 0; i < n; i++) values[i] = randomRational(random);
        return values;
    }

    @Test
    void aNetworkCompiledTwiceSharesOneTapeAndAnotherNetworkGetsItsOwn() {
        Network network = cs231n();
        Tape first = Tape.compile(network);
        assertSame(first, Tape.compile(network));
        // Another object is another network, even when equal: compiled anew, to the same tape.
        Network equal = cs231n();
        Tape second = Tape.compile(equal);
        assertNotSame(first, second);
        assertEquals(first.nodeCount(), second.nodeCount());
        Network smaller = network(List.of("x"), List.of(), List.of(), product(ref("w"), ref("x")), List.of("w"), Set.of());
        assertEquals(List.of("w"), Tape.compile(smaller).parameterNames());
        assertNotSame(second, Tape.compile(equal));
        assertEquals(10, Tape.compile(equal).parameterCount());
    }

    @Test
    void cs231nGradientsEqualTheHandDerivedOnes() {
        Tape tape = Tape.compile(cs231n());
        SplittableRandom random = new SplittableRandom(231);
        for (int trial = 0; trial < 20; trial++) {
            Rational[] w = randomRationals(random, 10);
            Rational[] x = randomRationals(random, 2);
            Evaluation<Rational> e = tape.evaluate(exact, w, x);
            Rational w1 = w[0], w2 = w[1], w3 = w[2], w4 = w[3], w5 = w[4], w6 = w[5], w7 = w[6], w8 = w[7];
            Rational w9 = w[8], w10 = w[9], x1 = x[0], x2 = x[1];
            Rational y1 = w1.multiply(x1).add(w3.multiply(x2));
            Rational y2 = w2.multiply(x1).add(w4.multiply(x2));
            Rational y3 = w5.multiply(y1).add(w7.multiply(y2));
            Rational y4 = w6.multiply(y1).add(w8.multiply(y2));
            Rational throughY1 = w9.multiply(w5).add(w10.multiply(w6));
            Rational throughY2 = w9.multiply(w7).add(w10.multiply(w8));

            assertEquals(w9.multiply(y3).add(w10.multiply(y4)), e.objective());
            assertEquals(throughY1.multiply(x1), e.gradient("w1"));
            assertEquals(throughY2.multiply(x1), e.gradient("w2"));
            assertEquals(throughY1.multiply(x2), e.gradient("w3"));
            assertEquals(throughY2.multiply(x2), e.gradient("w4"));
            assertEquals(w9.multiply(y1), e.gradient("w5"));
            assertEquals(w10.multiply(y1), e.gradient("w6"));
            assertEquals(w9.multiply(y2), e.gradient("w7"));
            assertEquals(w10.multiply(y2), e.gradient("w8"));
            assertEquals(y3, e.gradient("w9"));
            assertEquals(y4, e.gradient("w10"));
            assertEquals(throughY1, e.unitAdjoint("y1"));
            assertEquals(throughY2, e.unitAdjoint("y2"));
            assertEquals(w9, e.unitAdjoint("y3"));
            assertEquals(Rational.ONE, e.unitAdjoint("y"));
            assertEquals(y4, e.unitValue("y4"));
        }
    }

    @Test
    void cs231nWithAllWeightsEqualGivesTwoASquaredX() {
        Tape tape = Tape.compile(cs231n());
        Rational a = Rational.of(-3, 7);
        Rational x1 = Rational.of(5, 2);
        Rational x2 = Rational.of(-4);
        Rational[] w = new Rational[10];
        java.util.Arrays.fill(w, a);
        Evaluation<Rational> e = tape.evaluate(exact, w, new Rational[] {x1, x2});
        Rational twoASquared = Rational.of(2).multiply(a).multiply(a);
        assertEquals(twoASquared.multiply(x1), e.gradient("w1"));
        assertEquals(twoASquared.multiply(x1), e.gradient("w2"));
        assertEquals(twoASquared.multiply(x2), e.gradient("w3"));
        assertEquals(twoASquared.multiply(x2), e.gradient("w4"));
    }

    @Test
    void gradientDescentFromEqualWeightsKeepsW1AndW2EqualButSeparatesW1AndW3() {
        Tape tape = Tape.compile(cs231n());
        Rational a = Rational.of(1, 2);
        Rational[] w = new Rational[10];
        java.util.Arrays.fill(w, a);
        List<Rational[]> data = List.<Rational[]>of(new Rational[] {Rational.of(1), Rational.of(2)});
        Rational eta = Rational.of(1, 10);
        GradientDescentSimulation.Trajectory<Rational> run =
                new GradientDescentSimulation<>(tape, exact).run(w, data, eta, 3);

        assertEquals(3, run.stepCount());
        int w1 = tape.parameterIndex("w1"), w2 = tape.parameterIndex("w2"), w3 = tape.parameterIndex("w3");
        assertTrue(run.firstStepWhereDiffer(w1, w2).isEmpty());
        assertEquals(1, run.firstStepWhereDiffer(w1, w3).getAsInt());
        // one step by hand: w1 ← a − η·2a²·x1
        assertEquals(a.subtract(eta.multiply(Rational.of(2)).multiply(a).multiply(a)), run.value(1, w1));
        assertEquals(1, run.firstStepWhereMoved(w1).getAsInt());
    }

    @Test
    void aUnitThatNamesAParameterHasItsOwnAdjoint() {
        Network network = network(List.of(), List.of(), List.of(unit("u", ref("w"))),
                product(ref("u"), ref("w")), List.of("w"), Set.of());
        Tape tape = Tape.compile(network);
        Evaluation<Rational> e = tape.evaluate(exact, new Rational[] {Rational.of(3)}, new Rational[0]);
        assertEquals(Rational.of(3), e.unitAdjoint("u"));
        assertEquals(Rational.of(6), e.gradient("w"));
    }

    @Test
    void aValueUsedInManyUnitsAsOneObjectIsComputedOnceAndDifferentiatedAsBefore() {
        // s = (w + x)², the same object in three units, as a matrix product hands its operand to each column
        Expr shared = power(sum(ref("w"), ref("x")), num(2));
        List<Unit> units = List.of(unit("u1", product(shared, ref("v1"))), unit("u2", product(shared, ref("v2"))),
                unit("u3", shared));
        Expr objective = sum(product(ref("u1"), ref("u2")), ref("u3"));
        List<String> parameters = List.of("w", "v1", "v2");
        Tape tape = Tape.compile(network(List.of("x"), List.of(), units, objective, parameters, Set.of()));
        assertEquals(1, countOperations(tape, Tape.Operation.INTEGER_POWER), "s becomes one node");

        // the same network with a copy of s in each unit, equal values but three objects
        List<Unit> copies = List.of(unit("u1", product(power(sum(ref("w"), ref("x")), num(2)), ref("v1"))),
                unit("u2", product(power(sum(ref("w"), ref("x")), num(2)), ref("v2"))),
                unit("u3", power(sum(ref("w"), ref("x")), num(2))));
        Tape copied = Tape.compile(network(List.of("x"), List.of(), copies, objective, parameters, Set.of()));
        assertEquals(3, countOperations(copied, Tape.Operation.INTEGER_POWER));

        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            Rational[] theta = randomRationals(random, 3);
            Rational[] x = randomRationals(random, 1);
            Evaluation<Rational> once = tape.evaluate(exact, theta, x);
            Evaluation<Rational> thrice = copied.evaluate(exact, theta, x);
            assertEquals(thrice.objective(), once.objective());
            for (String p : parameters) assertEquals(thrice.gradient(p), once.gradient(p), p);
            // u3 is s itself, yet its adjoint is ∂L/∂u3 = 1, not the adjoint of every use of s
            assertEquals(Rational.ONE, once.unitAdjoint("u3"));
            for (String u : List.of("u1", "u2")) assertEquals(thrice.unitAdjoint(u), once.unitAdjoint(u), u);
        }
    }

    @Test
    void aMatrixProductOfAComputedTensorComputesEachOfItsElementsOnce() {
        // F's GELU and the layer norm's root are used once per column of the weight after them
        String spec = """
                input X[3,4]
                param W[4,8], V[8,5], g[4], b[4]
                F = layer_norm(X, g, b) @ W
                G = (0.5 * F * (1 + tanh(0.8 * (F + 0.04 * F^3)))) @ V
                objective sum(G)
                init all = random
                """;
        dev.netsym.model.SpecResult result = dev.netsym.spec.SpecParser.parse(spec);
        assertFalse(result.hasErrors(), () -> result.diagnostics().toString());
        Tape tape = Tape.compile(result.network().orElseThrow());
        int tanh = 0;
        for (int node = 0; node < tape.nodeCount(); node++) {
            if (tape.operation(node) == Tape.Operation.BUILTIN && tape.builtin(node).specName().equals("tanh")) tanh++;
        }
        assertEquals(3 * 8, tanh, "one tanh per element of F, not one per use");
    }

    private static int countOperations(Tape tape, Tape.Operation operation) {
        int count = 0;
        for (int node = 0; node < tape.nodeCount(); node++) if (tape.operation(node) == operation) count++;
        return count;
    }

    @Test
    void productsQuotientsAndPowersDifferentiateExactly() {
        // L = (w1·w2·w3)/(1 + w1²) + w2^-2
        Network network = network(List.of(), List.of(), List.of(),
                sum(quotient(product(ref("w1"), ref("w2"), ref("w3")), sum(num(1), power(ref("w1"), num(2)))),
                        power(ref("w2"), neg(num(2)))),
                List.of("w1", "w2", "w3"), Set.of());
        Tape tape = Tape.compile(network);
        Rational w1 = Rational.of(2), w2 = Rational.of(-3), w3 = Rational.of(0);
        Evaluation<Rational> e = tape.evaluate(exact, new Rational[] {w1, w2, w3}, new Rational[0]);
        Rational denominator = Rational.ONE.add(w1.multiply(w1));
        // the factor w3 = 0 must not stop the other partials (no division by a factor)
        assertEquals(w1.multiply(w2).divide(denominator), e.gradient("w3"));
        assertEquals(Rational.ZERO, e.gradient("w1"));
        assertEquals(Rational.of(-2).multiply(w2.pow(-3)), e.gradient("w2"));
    }

    @Test
    void reluAndLeakyReluFollowThePyTorchConventionsAtZero() {
        Network network = network(List.of("x"), List.of(), List.of(),
                sum(call("relu", product(ref("w"), ref("x"))),
                        call("leaky_relu", product(ref("v"), ref("x")), num(1, 10))),
                List.of("w", "v"), Set.of());
        Tape tape = Tape.compile(network);
        Evaluation<Rational> atZero = tape.evaluate(exact, new Rational[] {Rational.of(0), Rational.of(0)},
                new Rational[] {Rational.of(5)});
        assertEquals(Rational.ZERO, atZero.gradient("w"));
        assertEquals(Rational.of(1, 2), atZero.gradient("v"));
        Evaluation<Rational> negative = tape.evaluate(exact, new Rational[] {Rational.of(-1), Rational.of(-1)},
                new Rational[] {Rational.of(5)});
        assertEquals(Rational.of(-1, 2), negative.objective());
    }

    @Test
    void aUnitSummingAHundredThousandTermsAndALongChainOfUnitsEvaluate() {
        int terms = 100_000;
        List<String> parameters = new ArrayList<>();
        List<dev.netsym.model.Expr> products = new ArrayList<>();
        for (int i = 0; i < terms; i++) {
            parameters.add("w" + i);
            products.add(product(ref("w" + i), ref("x")));
        }
        int chain = 20_000;
        List<Unit> units = new ArrayList<>();
        units.add(unit("u0", sum(products)));
        for (int i = 1; i <= chain; i++) units.add(unit("u" + i, product(ref("u" + (i - 1)), ref("x"))));
        Network network = network(List.of("x"), List.of(), units, ref("u" + chain), parameters, Set.of());
        Tape tape = Tape.compile(network);
        ModularArithmetic modular = new ModularArithmetic(7);
        Long[] w = new Long[terms];
        for (int i = 0; i < terms; i++) w[i] = modular.fromRational(Rational.of(i));
        Evaluation<Long> e = tape.evaluate(modular, w, new Long[] {modular.fromRational(Rational.of(3))});
        BigInteger modulus = BigInteger.valueOf(modular.modulus());
        BigInteger xToChain = BigInteger.valueOf(3).modPow(BigInteger.valueOf(chain), modulus);
        long expectedGradient = xToChain.multiply(BigInteger.valueOf(3)).mod(modulus).longValueExact();
        for (int i = 0; i < terms; i += 997) assertEquals(expectedGradient, modular.standardResidue(e.gradient(i)));
        BigInteger sumOfW = BigInteger.valueOf((long) terms * (terms - 1) / 2);
        assertEquals(sumOfW.multiply(BigInteger.valueOf(expectedGradient)).mod(modulus).longValueExact(),
                modular.standardResidue(e.objective()));
    }

    @Test
    void unknownNamesAndFunctionsAreReported() {
        Network unknownName = network(List.of(), List.of(), List.of(unit("u", ref("nowhere"))), ref("u"),
                List.of(), Set.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tape.compile(unknownName));
        assertEquals("unknown name 'nowhere' in unit u", e.getMessage());
        Network undeclared = network(List.of(), List.of(), List.of(), call("f", ref("w")), List.of("w"), Set.of());
        assertThrows(IllegalArgumentException.class, () -> Tape.compile(undeclared));
        Network wrongArity = network(List.of(), List.of(), List.of(), call("tanh", ref("w"), ref("w")),
                List.of("w"), Set.of());
        assertThrows(IllegalArgumentException.class, () -> Tape.compile(wrongArity));
    }

    @Test
    void theRequiredArithmeticFollowsTheOperationsUsed() {
        Network polynomial = network(List.of(), List.of(), List.of(),
                quotient(call("f", ref("w")), power(ref("w"), num(3))), List.of("w"), Set.of("f"));
        Network piecewise = network(List.of(), List.of(), List.of(), call("relu", ref("w")), List.of("w"), Set.of());
        Network smooth = network(List.of(), List.of(), List.of(), call("tanh", ref("w")), List.of("w"), Set.of());
        Network root = network(List.of(), List.of(), List.of(), power(ref("w"), num(1, 2)), List.of("w"), Set.of());
        assertEquals(ArithmeticKind.MODULAR, ArithmeticKind.requiredFor(Tape.compile(polynomial)));
        assertEquals(ArithmeticKind.EXACT, ArithmeticKind.requiredFor(Tape.compile(piecewise)));
        assertEquals(ArithmeticKind.DECIMAL, ArithmeticKind.requiredFor(Tape.compile(smooth)));
        assertEquals(ArithmeticKind.DECIMAL, ArithmeticKind.requiredFor(Tape.compile(root)));

        ModularArithmetic modular = new ModularArithmetic(1);
        assertTrue(modular.supports(Tape.compile(polynomial)));
        assertFalse(modular.supports(Tape.compile(piecewise)));
        assertTrue(exact.supports(Tape.compile(piecewise)));
        assertFalse(exact.supports(Tape.compile(root)));
        assertThrows(UnsupportedArithmeticException.class,
                () -> Tape.compile(smooth).evaluate(modular, new Long[] {2L}, new Long[0]));
        UnsupportedArithmeticException e = assertThrows(UnsupportedArithmeticException.class,
                () -> Tape.compile(root).evaluate(exact, new Rational[] {Rational.of(4)}, new Rational[0]));
        assertTrue(e.getMessage().contains("non-integer exponent"), e.getMessage());
        assertEquals(2.0, Tape.compile(root).evaluate(new DoubleArithmetic(), new Double[] {4.0}, new Double[0])
                .objective(), 1e-12);
    }
}
