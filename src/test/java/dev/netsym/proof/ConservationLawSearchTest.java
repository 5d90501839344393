package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.calculus.DoubleArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.spec.SpecParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Counts and laws worked out by hand, each law also checked in floating point, independently. */
class ConservationLawSearchTest {
    private static Network network(String spec) {
        return SpecParser.parse(spec).network().orElseThrow();
    }

    private static ConservationLaws laws(Network network) throws ConservationLawSearch.Unsupported {
        return ConservationLawSearch.run(network, 7, new LawCertifier(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    /** h as "coefficient:first*second" terms, for comparison with a law written by hand. */
    private static Map<String, Rational> terms(ConservationLaws.Law law) {
        return law.terms().stream().collect(Collectors.toMap(
                t -> String.join("*", t.factors()), ConservationLaws.Term::coefficient));
    }

    /** ⟨∇h, ∇ℓ⟩ at random real points and data, in doubles through the tape: the independent check. */
    private static void assertConservedNumerically(Network network, ConservationLaws.Law law) {
        Tape tape = Tape.compile(network);
        DoubleArithmetic doubles = new DoubleArithmetic();
        Random random = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            Double[] theta = new Double[tape.parameterCount()];
            for (int i = 0; i < theta.length; i++) theta[i] = random.nextGaussian();
            Double[] data = new Double[tape.dataNames().size()];
            for (int i = 0; i < data.length; i++) data[i] = random.nextGaussian();
            Double[] g = tape.gradient(doubles, theta, data);
            double dot = 0, scale = 0;
            for (ConservationLaws.Term t : law.terms()) {
                double c = t.coefficient().doubleValue();
                for (int f = 0; f < t.degree(); f++) {
                    double partial = c * g[tape.parameterIndex(t.factors().get(f))];
                    for (int o = 0; o < t.degree(); o++) if (o != f) partial *= theta[tape.parameterIndex(t.factors().get(o))];
                    dot += partial;
                    scale += Math.abs(partial);
                }
            }
            assertTrue(Math.abs(dot) <= 1e-9 * (1 + scale), "not conserved: " + law + " gives " + dot);
        }
    }

    @Test
    void twoLayerReluHasOneBalancednessLawPerHiddenUnit() throws Exception {
        Network net = network("""
                input x1, x2
                target t
                h1 = relu(a1*x1 + a2*x2 + c1)
                h2 = relu(b1*x1 + b2*x2 + c2)
                y = v1*h1 + v2*h2
                objective (y - t)^2
                """);
        ConservationLaws laws = laws(net);
        assertEquals(2, laws.count());
        assertTrue(laws.certified() && laws.complete());
        assertEquals(2, laws.laws().size());
        assertEquals(Map.of("a1*a1", Rational.ONE, "a2*a2", Rational.ONE, "c1*c1", Rational.ONE, "v1*v1", Rational.of(-1)),
                terms(laws.laws().get(0)));
        assertEquals(Map.of("b1*b1", Rational.ONE, "b2*b2", Rational.ONE, "c2*c2", Rational.ONE, "v2*v2", Rational.of(-1)),
                terms(laws.laws().get(1)));
        laws.laws().forEach(l -> assertTrue(l.proved(), l.toString()));
        laws.laws().forEach(l -> assertConservedNumerically(net, l));
    }

    @Test
    void twoLayerLinearHasTheMatrixLawsUTransposeUMinusVVTranspose() throws Exception {
        Network net = network("""
                input x1, x2
                target t1, t2
                h1 = u11*x1 + u12*x2
                h2 = u21*x1 + u22*x2
                y1 = v11*h1 + v12*h2
                y2 = v21*h1 + v22*h2
                objective (y1 - t1)^2 + (y2 - t2)^2
                """);
        ConservationLaws laws = laws(net);
        // r(r+1)/2 = 3 for two hidden units, and no others: the rotations of the hidden layer are in the Lie algebra.
        assertEquals(3, laws.count());
        assertEquals(5, laws.lieRank());
        assertTrue(laws.bracketDepth() >= 2, "the fields alone miss the rotations: brackets are needed");
        assertTrue(laws.certified() && laws.complete());
        assertTrue(laws.laws().stream().map(ConservationLawSearchTest::terms).anyMatch(t -> t.equals(Map.of(
                "u11*u21", Rational.ONE, "u12*u22", Rational.ONE, "v11*v12", Rational.of(-1), "v21*v22", Rational.of(-1)))),
                laws.laws().toString());
        laws.laws().forEach(l -> assertConservedNumerically(net, l));
    }

    @Test
    void aPolynomialModelWithNoSymmetryHasNoLaws() throws Exception {
        ConservationLaws laws = laws(network("""
                input x
                target t
                objective (w1*x + w2*x^2 - t)^2
                """));
        assertEquals(0, laws.count());
        assertEquals(List.of(), laws.laws());
        assertTrue(laws.certified() && laws.complete());
    }

    @Test
    void aCubicLawNeedsDegreeThree() throws Exception {
        // x*(a*b + c^2): a^2 - b^2 and c*(a - b)^2 (a - b shrinks at the rate c grows).
        Network net = network("""
                input x
                target t
                objective (x*(a*b + c^2) - t)^2
                """);
        ConservationLaws quadratic = laws(net);
        assertEquals(2, quadratic.count());
        assertEquals(1, quadratic.provedLaws());
        assertFalse(quadratic.certified());
        ConservationLaws cubic = ConservationLawSearch.run(net, 7,
                new LawCertifier(Duration.ofSeconds(5), Duration.ofSeconds(30)), 3);
        assertEquals(3, cubic.degree());
        assertTrue(cubic.certified() && cubic.complete(), cubic.toString());
        assertEquals(List.of(Map.of("a*a", Rational.ONE, "b*b", Rational.of(-1)),
                Map.of("a*a*c", Rational.ONE, "a*b*c", Rational.of(-2), "b*b*c", Rational.ONE)),
                cubic.laws().stream().map(l -> terms(l.terms().get(0).coefficient().signum() < 0 ? negated(l) : l)).toList());
        cubic.laws().forEach(l -> assertConservedNumerically(net, l));
        // The computer-algebra proof, the fallback for laws no tangent proves, takes cubic terms too.
        ConservationLaws.Law bare = new ConservationLaws.Law(cubic.laws().get(1).terms(), null);
        assertTrue(new LawCertifier(Duration.ofSeconds(5), Duration.ofSeconds(30)).certify(net, List.of(bare)).get(0).proved());
        ConservationLaws.Law wrong = new ConservationLaws.Law(List.of(ConservationLaws.Term.of(Rational.ONE, "a", "a", "c")), null);
        assertFalse(new LawCertifier(Duration.ofSeconds(5), Duration.ofSeconds(30)).certify(net, List.of(wrong)).get(0).proved());
    }

    @Test
    void degreeThreeRefusesWhatItCannotSolveAndSaysTheSize() throws Exception {
        // The cubic law again, beside 18 weights whose sum is all that matters: 21 − 1 laws.
        StringBuilder sum = new StringBuilder("w1");
        for (int i = 2; i <= 18; i++) sum.append(" + w").append(i);
        Network net = network("input x\ntarget t\nobjective (x*(a*b + c^2) + x*(" + sum + ") - t)^2\n");
        ConservationLawSearch.Unsupported e = assertThrows(ConservationLawSearch.Unsupported.class,
                () -> ConservationLawSearch.run(net, 7, new LawCertifier(Duration.ofSeconds(5), Duration.ofSeconds(30)), 3));
        assertTrue(e.getMessage().contains("at most 20 parameters, not 21"), e.getMessage());
        assertEquals(20, laws(net).count());
    }

    private static ConservationLaws.Law negated(ConservationLaws.Law law) {
        return new ConservationLaws.Law(law.terms().stream()
                .map(t -> new ConservationLaws.Term(t.coefficient().negate(), t.factors())).toList(), law.proof());
    }

    @Test
    void aSharedWeightBalancesAgainstEveryWeightItFeeds() throws Exception {
        Network net = network("""
                input x1, x2
                target t
                y = v1*relu(w*x1) + v2*relu(w*x2)
                objective (y - t)^2
                """);
        ConservationLaws laws = laws(net);
        assertEquals(1, laws.count());
        // Scaled so that the first parameter in order (v1) has coefficient 1.
        assertEquals(Map.of("w*w", Rational.of(-1), "v1*v1", Rational.ONE, "v2*v2", Rational.ONE),
                terms(laws.laws().get(0)));
        assertTrue(laws.certified());
        assertConservedNumerically(net, laws.laws().get(0));
    }

    @Test
    void theSpecsDataCanAddLaws() throws Exception {
        // With one sample x = 0, a weight on x never moves: a linear law of that dataset only.
        ConservationLaws laws = laws(network("""
                input x
                target t
                objective (w*x + b - t)^2
                data x = 0, t = 1
                """));
        assertEquals(1, laws.count());
        assertEquals(Map.of("w", Rational.ONE), terms(laws.laws().get(0)));
        assertTrue(!laws.everyDataset() && laws.certified());
    }

    /**
     * Deep relu MLPs without biases and with a narrow layer: most activation regions have laws of
     * their own (a weight never used, two units always on together), so the count is exact only
     * when the region chosen has none. Three of the reference benchmark's networks, each of which
     * used to end at "at most hidden + 1".
     */
    @Test
    void deepNarrowReluNetworksWithoutBiasesGetTheExactCount() throws Exception {
        for (int[] widths : new int[][] {{5, 2, 8, 4, 3}, {3, 3, 9, 9, 2}, {3, 2, 7, 9, 4}}) {
            StringBuilder spec = new StringBuilder("input x[" + widths[0] + "]\ntarget t[" + widths[widths.length - 1] + "]\n");
            String source = "x";
            int hidden = 0;
            for (int l = 1; l < widths.length; l++) {
                boolean last = l == widths.length - 1;
                String name = last ? "out" : "h" + l;
                spec.append("layer ").append(name).append('[').append(widths[l]).append("] = ")
                        .append(last ? "dense(" + source + ")" : "relu(dense(" + source + "))").append('\n');
                if (!last) hidden += widths[l];
                source = name;
            }
            spec.append("objective sum((out - t)^2)\n");
            ConservationLaws laws = laws(network(spec.toString()));
            String what = spec + " -> count " + laws.count() + ", proved " + laws.provedLaws();
            assertTrue(laws.certified(), what);
            assertEquals(hidden, laws.count(), what);
        }
    }

    /**
     * Random relu MLPs, whose laws are known (one balancedness law per hidden unit): the proved
     * laws never exceed that number and the count never falls below it, an exact count equals it,
     * and every proved law is conserved in floating point, independently.
     */
    @Test
    void randomReluNetworksBracketTheKnownCountAndEveryProvedLawHolds() throws Exception {
        Random random = new Random(2026);
        int exact = 0;
        for (int n = 0; n < 8; n++) {
            int depth = 2 + random.nextInt(2);
            int[] widths = new int[depth + 1];
            for (int l = 0; l <= depth; l++) widths[l] = 2 + random.nextInt(3);
            boolean bias = n % 2 == 0;
            StringBuilder spec = new StringBuilder("input x[" + widths[0] + "]\ntarget t[" + widths[depth] + "]\n");
            String source = "x";
            int hidden = 0;
            for (int l = 1; l <= depth; l++) {
                String name = l == depth ? "out" : "h" + l;
                String dense = "dense(" + source + (bias ? ", bias)" : ")");
                spec.append("layer ").append(name).append('[').append(widths[l]).append("] = ")
                        .append(l == depth ? dense : "relu(" + dense + ")").append('\n');
                if (l < depth) hidden += widths[l];
                source = name;
            }
            spec.append("objective sum((out - t)^2)\n");
            Network net = network(spec.toString());
            ConservationLaws laws = laws(net);
            String what = spec + " -> count " + laws.count() + ", proved " + laws.provedLaws();
            assertTrue(laws.provedLaws() <= hidden && hidden <= laws.count(), what);
            if (laws.certified()) {
                assertEquals(hidden, laws.count(), what);
                exact++;
            }
            laws.laws().stream().filter(ConservationLaws.Law::proved).forEach(l -> assertConservedNumerically(net, l));
        }
        assertEquals(8, exact, exact + " of 8 counts exact");
    }

    @Test
    void refusesWhatTheExactMethodCannotDo() {
        var tanh = assertThrows(ConservationLawSearch.Unsupported.class, () -> laws(network("""
                input x
                objective v*tanh(w*x)
                """)));
        assertTrue(tanh.getMessage().contains("tanh"), tanh.getMessage());
        var big = assertThrows(ConservationLawSearch.Unsupported.class, () -> laws(network("""
                input x[30]
                layer h[20] = relu(dense(x))
                layer out[1] = dense(h)
                objective sum(out)
                """)));
        assertTrue(big.getMessage().contains("620 parameters") && big.getMessage().contains("at most "
                + ConservationLawSearch.MAX_PARAMETERS), big.getMessage());
    }
}
