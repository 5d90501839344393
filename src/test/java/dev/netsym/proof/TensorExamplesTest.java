package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netsym.Netsym;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tensor example: its verdict as the practitioner's question expects, no undecided
 * entry, and the claims checked by independent simulation: plain gradient descent from the
 * spec's initialisation (with every witness replayed), and Adam on several random datasets.
 */
class TensorExamplesTest {
    private static final MathContext MC = new MathContext(IndependentGradients.DIGITS);

    /** Example, the parameters that never move, the classes of two or more (as "E1[1,1]=E2[1,1]"). */
    static Stream<Arguments> examples() {
        return Stream.of(
            Arguments.of("lora-zero.net", "A,B", List.of()),
            Arguments.of("lora.net", "", List.of()),
            Arguments.of("rezero.net", "", List.of()),
            Arguments.of("identical-experts.net", "R",
                    List.of("E1[1,1]=E2[1,1]", "E1[1,2]=E2[1,2]", "E1[1,3]=E2[1,3]", "E1[2,1]=E2[2,1]",
                            "E1[2,2]=E2[2,2]", "E1[2,3]=E2[2,3]")),
            Arguments.of("attention-zero-query.net", "", List.of()),
            Arguments.of("attention-zero-qk.net", "Wk,Wq", List.of()),
            Arguments.of("resnet-zero-gamma.net", "", List.of()),
            Arguments.of("lenet-constant.net", "", lenetClasses()),
            Arguments.of("gpt2-tiny.net", "", List.of()));
    }

    /** Each conv layer's channels stay identical, and each output's dense row stays constant. */
    private static List<String> lenetClasses() {
        List<String> classes = new ArrayList<>();
        for (int u = 1; u <= 3; u++) for (int v = 1; v <= 3; v++) classes.add("K1[1,1," + u + "," + v + "]=K1[2,1," + u + "," + v + "]");
        for (int u = 1; u <= 2; u++) {
            for (int v = 1; v <= 2; v++) {
                List<String> members = new ArrayList<>();
                for (int o = 1; o <= 3; o++) for (int c = 1; c <= 2; c++) members.add("K2[" + o + "," + c + "," + u + "," + v + "]");
                classes.add(String.join("=", members));
            }
        }
        classes.add("Wd[1,1]=Wd[1,2]=Wd[1,3]");
        classes.add("Wd[2,1]=Wd[2,2]=Wd[2,3]");
        classes.sort(null);
        return classes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void verdictHoldsUnderIndependentSimulation(String file, String frozenTensors, List<String> classes) throws IOException {
        Network network = Netsym.read(Path.of("examples", file)).network().orElseThrow();
        Proof proof = ProofRunner.prove(network, Duration.ofSeconds(120));
        assertFalse(proof.timedOut(), file + " ran out of time");
        assertTrue(proof.undecided().isEmpty(), file + " left undecided: " + proof.undecided());

        TreeSet<String> expectedFrozen = new TreeSet<>();
        for (String tensor : frozenTensors.split(",")) {
            if (tensor.isEmpty()) continue;
            network.parameters().stream().map(Parameter::name).filter(n -> n.startsWith(tensor + "[")).forEach(expectedFrozen::add);
        }
        assertEquals(expectedFrozen, new TreeSet<>(proof.frozen()), file + ": frozen");
        List<String> shownClasses = proof.classes().stream().filter(c -> !c.frozen() && c.members().size() > 1)
                .map(c -> String.join("=", c.members())).sorted().toList();
        assertEquals(classes, shownClasses, file + ": classes");

        ProofCrossCheckTest.Tally tally = new ProofCrossCheckTest.Tally();
        ProofCrossCheckTest.checkProof(network, proof, file, new Random(7), tally);
        if (!tally.failures.isEmpty()) fail(ProofCrossCheckTest.report(tally));
        assertEquals(proof.separations().size(), tally.witnessesReplayed, file + ": every witness replayed");

        // Forward-mode derivatives cost a pass per parameter: Adam on the GPT-shaped model would take minutes.
        if (network.parameters().size() <= 200) {
            for (long seed = 1; seed <= 3; seed++) checkAdam(network, proof, new Random(seed), file);
        }
    }

    /** Adam (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸) for 5 steps on 3 random samples keeps every claim. */
    private static void checkAdam(Network network, Proof proof, Random random, String file) {
        IndependentGradients<BigDecimal> evaluator = IndependentGradients.decimal(network);
        Map<String, BigDecimal> symbols = new HashMap<>();
        Map<String, BigDecimal> theta = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) {
            BigDecimal value;
            if (p.init() instanceof Init.Numeric n) {
                value = n.value().toBigDecimal(MC);
            } else if (p.init() instanceof Init.Symbolic s) {
                value = symbols.computeIfAbsent(s.symbol(), k -> randomValue(random)).multiply(s.coefficient().toBigDecimal(MC), MC);
            } else {
                value = randomValue(random);
            }
            theta.put(p.name(), value);
        }
        Map<String, BigDecimal> start = new HashMap<>(theta);
        List<Map<String, BigDecimal>> samples = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Map<String, BigDecimal> sample = new HashMap<>();
            for (String name : evaluator.dataNames()) sample.put(name, randomValue(random));
            samples.add(sample);
        }
        BigDecimal rate = new BigDecimal("0.01");
        BigDecimal beta1 = new BigDecimal("0.9");
        BigDecimal beta2 = new BigDecimal("0.999");
        BigDecimal epsilon = new BigDecimal("1e-8");
        Map<String, BigDecimal> m = new HashMap<>();
        Map<String, BigDecimal> v = new HashMap<>();
        for (int step = 1; step <= 5; step++) {
            Map<String, BigDecimal> gradient = new HashMap<>();
            for (Map<String, BigDecimal> sample : samples) {
                evaluator.evaluate(theta, sample).gradient().forEach((p, g) -> gradient.merge(p, g, (a, b) -> a.add(b, MC)));
            }
            BigDecimal correction1 = BigDecimal.ONE.subtract(beta1.pow(step, MC), MC);
            BigDecimal correction2 = BigDecimal.ONE.subtract(beta2.pow(step, MC), MC);
            for (String p : theta.keySet()) {
                BigDecimal g = gradient.get(p);
                BigDecimal mp = beta1.multiply(m.getOrDefault(p, BigDecimal.ZERO), MC).add(BigDecimal.ONE.subtract(beta1).multiply(g, MC), MC);
                BigDecimal vp = beta2.multiply(v.getOrDefault(p, BigDecimal.ZERO), MC).add(BigDecimal.ONE.subtract(beta2).multiply(g.multiply(g, MC), MC), MC);
                m.put(p, mp);
                v.put(p, vp);
                BigDecimal update = mp.divide(correction1, MC).divide(vp.divide(correction2, MC).sqrt(MC).add(epsilon, MC), MC);
                theta.put(p, theta.get(p).subtract(rate.multiply(update, MC), MC));
            }
            for (ParameterClass c : proof.classes()) {
                for (String member : c.members()) {
                    BigDecimal expected = c.frozen() ? start.get(member) : theta.get(c.members().get(0));
                    BigDecimal actual = theta.get(member);
                    BigDecimal tolerance = new BigDecimal("1e-40").multiply(expected.abs().max(BigDecimal.ONE), MC);
                    if (actual.subtract(expected, MC).abs().compareTo(tolerance) > 0) {
                        fail(file + ": under Adam, " + member + (c.frozen() ? " moved" : " left its class " + c.members())
                                + " at step " + step);
                    }
                }
            }
        }
    }

    private static BigDecimal randomValue(Random random) {
        return BigDecimal.valueOf(random.nextInt(17) - 8).divide(BigDecimal.valueOf(8), MC);
    }
}
