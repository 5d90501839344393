package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netsym.Netsym;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Assumption;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimiser table, checked against independent evidence: every "breaks" is replayed with
 * this test's own optimiser code over {@link IndependentGradients} (exact rationals where the
 * run was exact), and every "keeps" of a named optimiser is run from the spec's start on random
 * data, with this test's own momentum, Nesterov, clipping, Adagrad, RMSprop and Adam, checking
 * every claim at every step.
 */
class OptimiserVerdictsTest {
    private static final ProofEngine.Options OPTIONS = new ProofEngine.Options(Duration.ofSeconds(60), List.of());
    private static final int STEPS = 4;

    private static Network example(String name) throws IOException {
        return Netsym.parse(Files.readString(Path.of("examples", name))).network().orElseThrow();
    }

    private static OptimiserVerdicts.Row row(OptimiserVerdicts verdicts, String optimiser) {
        return verdicts.rows().stream().filter(r -> r.optimiser().equals(optimiser)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + optimiser));
    }

    @Test
    void cs231nKeepsItsClassesUnderEveryCoordinateRuleAndLosesThemToNoiseAndMixedRates() throws IOException {
        Proof proof = ProofEngine.prove(example("cs231n.net"), OPTIONS);
        OptimiserVerdicts verdicts = OptimiserVerdicts.of(proof, OPTIONS);
        assertEquals(4, verdicts.claims());
        for (String kept : List.of("SGD", "momentum", "Nesterov", "RMSprop", "Adagrad", "Adadelta", "Adam",
                "gradient clipping by global norm", "gradient clipping per element", "L2 weight decay",
                "decoupled weight decay (AdamW)", "L1 penalty", "floating-point summation order")) {
            assertEquals(OptimiserVerdicts.Kind.KEEPS, row(verdicts, kept).kind(), kept);
        }
        for (String broken : List.of("per-parameter learning rates", "additive gradient noise")) {
            OptimiserVerdicts.Row row = row(verdicts, broken);
            assertEquals(OptimiserVerdicts.Kind.BREAKS, row.kind(), broken);
            assertEquals(4, row.broken().size(), broken + " breaks every class: " + row.broken());
            assertTrue(row.unsettled().isEmpty());
        }
        // Masks of 0 and 2 on y1 … y4 part every class (w5 … w8 feed different units, w1 … w4 read them).
        assertEquals(OptimiserVerdicts.Kind.BREAKS, row(verdicts, "dropout").kind());
        assertEquals(4, row(verdicts, "dropout").broken().size());
        assertEquals(OptimiserVerdicts.Kind.DOES_NOT_APPLY, row(verdicts, "top-k routing with ties").kind());
    }

    @Test
    void weightDecayMovesTheDeadReluFrozenAtANegativeStart() throws IOException {
        Proof proof = ProofEngine.prove(example("dead-relu.net"), OPTIONS);
        OptimiserVerdicts verdicts = OptimiserVerdicts.of(proof, OPTIONS);
        for (String decay : List.of("L2 weight decay", "decoupled weight decay (AdamW)", "L1 penalty")) {
            OptimiserVerdicts.Row row = row(verdicts, decay);
            assertEquals(OptimiserVerdicts.Kind.BREAKS, row.kind(), decay);
            OptimiserVerdicts.Broken b = row.broken().get(0);
            assertEquals(List.of("v1", "v2", "w1", "w2", "w3", "w4"), b.claim());
            assertNull(b.second(), "a frozen parameter that moves");
            assertEquals(1, b.witness().step());
        }
        assertTrue(row(verdicts, "decoupled weight decay (AdamW)").run().startsWith("Adam"));
        // Only frozen parameters here, and a zero gradient gives no step at any rate or mask.
        assertEquals(OptimiserVerdicts.Kind.KEEPS, row(verdicts, "per-parameter learning rates").kind());
        assertEquals(OptimiserVerdicts.Kind.KEEPS, row(verdicts, "dropout").kind());
    }

    @Test
    void underAdamwTheSpecsTheoremPinsOnlyWhatStartsAtZero() throws IOException {
        String spec = Files.readString(Path.of("examples", "dead-relu.net")) + "optimizer adamw\n";
        Proof proof = ProofEngine.prove(Netsym.parse(spec).network().orElseThrow(), OPTIONS);
        assertTrue(proof.frozen().isEmpty(), "b moves (gradient 1), the others decay: " + proof.frozen());
        for (Separation s : proof.separations()) {
            assertFalse(s.witness().run().plainSteps(), "every witness runs with decay: " + s);
        }
        // The decaying weights keep their structural classes.
        assertTrue(proof.classes().stream().anyMatch(c -> c.members().equals(List.of("v1", "v2"))), proof.classes().toString());
    }

    /** Every broken claim, replayed by this test's own optimiser over independent gradients. */
    @ParameterizedTest
    @ValueSource(strings = {"cs231n.net", "dead-relu.net", "cs231n-zero.net", "rezero.net", "sigmoid-zero.net",
            "identical-experts.net"})
    void everyBrokenClaimReplaysIndependently(String example) throws IOException {
        replayEveryBrokenClaim(example, example(example));
    }

    /** The table of a spec with parameter groups: proved at their rates, every row's runs at them too. */
    @Test
    void withParameterGroupsEveryRowIsDecidedAndEveryBrokenClaimReplays() throws IOException {
        String spec = Files.readString(Path.of("examples", "dead-relu.net")).replace("init b = 0", "init b = 1")
                + "lr v1 = 1/2\nlr w1, w3 = 2\n";
        Network network = Netsym.parse(spec).network().orElseThrow();
        OptimiserVerdicts verdicts = replayEveryBrokenClaim("dead-relu with lr lines", network);
        assertEquals(OptimiserVerdicts.Kind.KEEPS, row(verdicts, "per-parameter learning rates").kind());
        assertTrue(row(verdicts, "per-parameter learning rates").argument().startsWith("the theorem above is proved"
                + " with the spec's learning rates"));
        // b starts at 1 and its gradient is 1: it moves; the dead units' weights stay frozen at a.
        assertEquals(OptimiserVerdicts.Kind.BREAKS, row(verdicts, "L2 weight decay").kind());
        for (OptimiserVerdicts.Row row : verdicts.rows()) assertTrue(row.unsettled().isEmpty(), row.toString());
    }

    private static OptimiserVerdicts replayEveryBrokenClaim(String example, Network network) {
        Proof proof = ProofEngine.prove(network, OPTIONS);
        OptimiserVerdicts verdicts = OptimiserVerdicts.of(proof, OPTIONS);
        Tape tape = Tape.compile(network);
        int replayed = 0;
        for (OptimiserVerdicts.Row row : verdicts.rows()) {
            for (OptimiserVerdicts.Broken b : row.broken()) {
                WitnessRun run = b.witness().run();
                // A dropout run is a run of the network with its masks as inputs, their values in the run's data.
                Network runNetwork = row.optimiser().equals("dropout") ? OptimiserVerdicts.Dropout.of(network).network()
                        : network;
                IndependentGradients<?> evaluator = run.exact() ? IndependentGradients.forNetwork(runNetwork)
                        : IndependentGradients.decimal(runNetwork);
                replay(evaluator, runNetwork, tape, proof, row, b);
                replayed++;
            }
        }
        System.out.println(example + ": " + replayed + " broken claims replayed");
        return verdicts;
    }

    private static <T> void replay(IndependentGradients<T> evaluator, Network network, Tape tape, Proof proof,
                                   OptimiserVerdicts.Row row, OptimiserVerdicts.Broken b) {
        IndependentGradients.Numbers<T> k = evaluator.numbers();
        WitnessRun run = b.witness().run();
        Map<String, T> start = start(network, k, symbol -> Rational.parse(run.start().get(symbol)));
        List<Map<String, T>> samples = new ArrayList<>();
        if (run.data().isEmpty()) {
            for (Sample s : network.data()) samples.add(lift(k, s.values()));
        } else {
            for (Map<String, String> shown : run.data()) {
                Map<String, Rational> sample = new HashMap<>();
                shown.forEach((name, value) -> sample.put(name, Rational.parse(value)));
                samples.add(lift(k, sample));
            }
        }
        StepRule rule = run.rule();
        Map<String, Integer> index = new HashMap<>();
        for (Parameter p : network.parameters()) index.put(p.name(), tape.parameterIndex(p.name()));
        Optimiser<T> optimiser = ruleOf(k, rule, index);
        List<Map<String, T>> trajectory = descend(evaluator, start, samples, k.of(Rational.parse(run.learningRate())),
                b.witness().step(), optimiser);
        Map<String, T> after = trajectory.get(b.witness().step());
        T first = after.get(b.first());
        T second = b.second() == null ? start.get(b.first()) : after.get(b.second());
        boolean opposite = b.second() != null && proof.classes().stream().anyMatch(c -> c.negated().contains(b.first())
                != c.negated().contains(b.second()) && c.members().contains(b.first()));
        if (opposite) second = k.negate(second);
        assertTrue(k.surelyDifferent(first, second), row.optimiser() + ": " + b + " does not part them: "
                + k.show(first) + " and " + k.show(second));
        if (run.exact()) {
            assertEquals(b.witness().firstValue(), k.show(first), row.optimiser() + ": " + b);
        }
    }

    /** Every claim a named optimiser keeps, run with this test's own implementation of it. */
    @ParameterizedTest
    @ValueSource(strings = {"cs231n.net", "dead-relu.net", "mixed-init.net", "sigmoid-zero.net", "rezero.net",
            "looks-linear.net"})
    void keptClaimsHoldUnderIndependentRunsOfEachOptimiser(String example) throws IOException {
        Network network = example(example);
        Proof proof = ProofEngine.prove(network, OPTIONS);
        OptimiserVerdicts verdicts = OptimiserVerdicts.of(proof, OPTIONS);
        IndependentGradients<java.math.BigDecimal> evaluator = IndependentGradients.decimal(network);
        var k = evaluator.numbers();
        Random random = new Random(example.hashCode());
        Map<String, Optimiser<java.math.BigDecimal>> optimisers = new LinkedHashMap<>();
        var mu = k.of(Rational.of(9, 10));
        var c = k.of(Rational.of(1, 20));
        var eps = k.of(Rational.of(1, 100_000_000));
        optimisers.put("momentum", momentum(k, mu, false));
        optimisers.put("Nesterov", momentum(k, mu, true));
        optimisers.put("gradient clipping per element", (t, theta, g) -> map(g, x -> k.signum(k.subtract(x, c)) > 0 ? c
                : k.signum(k.add(x, c)) < 0 ? k.negate(c) : x));
        optimisers.put("gradient clipping by global norm", (t, theta, g) -> {
            var norm = k.zero();
            for (var x : g.values()) norm = k.add(norm, k.multiply(x, x));
            norm = k.sqrt(norm);
            var factor = k.signum(k.subtract(norm, c)) > 0 ? k.divide(c, norm) : k.one();
            return map(g, x -> k.multiply(factor, x));
        });
        optimisers.put("Adagrad", accumulate(k, k.one(), k.one(), eps));
        optimisers.put("RMSprop", accumulate(k, k.of(Rational.of(99, 100)), k.of(Rational.of(1, 100)), eps));
        optimisers.put("Adam", adam(k, eps));
        int checked = 0;
        for (var entry : optimisers.entrySet()) {
            assertEquals(OptimiserVerdicts.Kind.KEEPS, row(verdicts, entry.getKey()).kind(), entry.getKey());
            Map<String, java.math.BigDecimal> start = start(network, k, random);
            List<Map<String, java.math.BigDecimal>> samples = new ArrayList<>();
            if (network.data().isEmpty()) {
                for (int s = 0; s < 2; s++) samples.add(randomSample(evaluator, network, random));
            } else {
                for (Sample s : network.data()) samples.add(lift(k, s.values()));
            }
            var trajectory = descend(evaluator, start, samples, k.of(Rational.of(1, 10)), STEPS, entry.getValue());
            for (int step = 1; step <= STEPS; step++) {
                var now = trajectory.get(step);
                for (ParameterClass claim : proof.classes()) {
                    String first = claim.members().get(0);
                    for (String m : claim.members()) {
                        var value = claim.negated().contains(m) != claim.negated().contains(first) ? k.negate(now.get(m)) : now.get(m);
                        var reference = claim.frozen() ? start.get(m) : now.get(first);
                        if (!k.same(value, reference)) {
                            fail(entry.getKey() + " on " + example + ": " + m + " parts from " + (claim.frozen() ? "its start"
                                    : first) + " at step " + step + ": " + k.show(value) + " vs " + k.show(reference));
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 0);
        if (row(verdicts, "dropout").kind() == OptimiserVerdicts.Kind.KEEPS) {
            keptUnderDropout(network, proof, random);
        }
    }

    /** Dropout as it runs: masks of 0 or 2 drawn afresh for every sample at every step; every claim must hold. */
    private static void keptUnderDropout(Network network, Proof proof, Random random) {
        var dropout = OptimiserVerdicts.Dropout.of(network);
        IndependentGradients<java.math.BigDecimal> evaluator = IndependentGradients.decimal(dropout.network());
        var k = evaluator.numbers();
        Map<String, java.math.BigDecimal> start = start(network, k, random);
        Map<String, java.math.BigDecimal> theta = start;
        List<Map<String, java.math.BigDecimal>> inputs = new ArrayList<>();
        for (int s = 0; s < 2; s++) inputs.add(randomSample(IndependentGradients.decimal(network), network, random));
        var eta = k.of(Rational.of(1, 10));
        for (int step = 1; step <= STEPS; step++) {
            Map<String, java.math.BigDecimal> total = new LinkedHashMap<>();
            for (String p : theta.keySet()) total.put(p, k.zero());
            for (Map<String, java.math.BigDecimal> x : inputs) {
                Map<String, java.math.BigDecimal> sample = new HashMap<>(x);
                for (String mask : dropout.masks()) sample.put(mask, random.nextBoolean() ? k.zero() : k.of(Rational.of(2)));
                evaluator.evaluate(theta, sample).gradient().forEach((p, g) -> total.merge(p, g, k::add));
            }
            Map<String, java.math.BigDecimal> next = new LinkedHashMap<>();
            for (String p : theta.keySet()) next.put(p, k.subtract(theta.get(p), k.multiply(eta, total.get(p))));
            theta = next;
            for (ParameterClass claim : proof.classes()) {
                String first = claim.members().get(0);
                for (String m : claim.members()) {
                    var value = claim.negated().contains(m) != claim.negated().contains(first) ? k.negate(theta.get(m)) : theta.get(m);
                    var reference = claim.frozen() ? start.get(m) : theta.get(first);
                    assertTrue(k.same(value, reference), "dropout: " + m + " parts from " + (claim.frozen() ? "its start"
                            : first) + " at step " + step);
                }
            }
        }
    }

    /** One optimiser step: the new values from step t's values and summed gradient (t from 1). */
    @FunctionalInterface
    interface Optimiser<T> {
        Map<String, T> update(int t, Map<String, T> theta, Map<String, T> gradient);
    }

    /** The update u (θ ← θ − η·u) of each rule; the step itself is taken by {@link #descend}. */
    private static <T> List<Map<String, T>> descend(IndependentGradients<T> evaluator, Map<String, T> start,
                                                  List<Map<String, T>> samples, T eta, int steps, Optimiser<T> optimiser) {
        var k = evaluator.numbers();
        List<Map<String, T>> trajectory = new ArrayList<>(List.of(start));
        Map<String, T> theta = start;
        for (int t = 1; t <= steps; t++) {
            Map<String, T> total = new LinkedHashMap<>();
            for (String p : theta.keySet()) total.put(p, k.zero());
            for (Map<String, T> sample : samples) {
                evaluator.evaluate(theta, sample).gradient().forEach((p, g) -> total.merge(p, g, k::add));
            }
            Map<String, T> update = optimiser.update(t, theta, total);
            Map<String, T> next = new LinkedHashMap<>();
            for (String p : theta.keySet()) next.put(p, k.subtract(theta.get(p), k.multiply(eta, update.get(p))));
            theta = next;
            trajectory.add(theta);
        }
        return trajectory;
    }

    /** The witness runs' rule, written again here: rates, λθ, λ·sign θ, λ·ξ, or Adam with decoupled decay. */
    private static <T> Optimiser<T> ruleOf(IndependentGradients.Numbers<T> k, StepRule rule, Map<String, Integer> index) {
        T lambda = k.of(rule.strength());
        Optimiser<T> adam = rule.adam() ? adam(k, k.of(Rational.of(1, 100_000_000))) : null;
        return (t, theta, g) -> {
            Map<String, T> u = new LinkedHashMap<>();
            Map<String, T> plusTerm = new LinkedHashMap<>();
            for (String p : theta.keySet()) {
                T extra = switch (rule.term()) {
                    case NONE -> k.zero();
                    case L2, DECOUPLED -> k.multiply(lambda, theta.get(p));
                    case L1 -> k.multiply(lambda, k.of(Rational.of(k.signum(theta.get(p)))));
                    case NOISE -> k.multiply(lambda, k.of(Rational.of(StepRule.Stepper.noise(t, index.get(p)))));
                };
                plusTerm.put(p, extra);
            }
            Map<String, T> moved = new LinkedHashMap<>();
            if (adam != null) {
                Map<String, T> a = adam.update(t, theta, g);
                for (String p : theta.keySet()) moved.put(p, k.add(a.get(p), plusTerm.get(p)));
            } else {
                for (String p : theta.keySet()) moved.put(p, k.add(g.get(p), plusTerm.get(p)));
            }
            for (String p : theta.keySet()) u.put(p, k.multiply(k.of(rule.rate(index.get(p))), moved.get(p)));
            return u;
        };
    }

    private static <T> Optimiser<T> momentum(IndependentGradients.Numbers<T> k, T mu, boolean nesterov) {
        Map<String, T> velocity = new HashMap<>();
        return (t, theta, g) -> {
            Map<String, T> u = new LinkedHashMap<>();
            for (String p : theta.keySet()) {
                T v = k.add(k.multiply(mu, velocity.getOrDefault(p, k.zero())), g.get(p));
                velocity.put(p, v);
                u.put(p, nesterov ? k.add(g.get(p), k.multiply(mu, v)) : v);
            }
            return u;
        };
    }

    /** s ← ρs + c·g², step g/(√s + ε): Adagrad with ρ = c = 1, RMSprop with c = 1 − ρ. */
    private static <T> Optimiser<T> accumulate(IndependentGradients.Numbers<T> k, T rho, T weight, T eps) {
        Map<String, T> sum = new HashMap<>();
        return (t, theta, g) -> {
            Map<String, T> u = new LinkedHashMap<>();
            for (String p : theta.keySet()) {
                T s = k.add(k.multiply(rho, sum.getOrDefault(p, k.zero())), k.multiply(weight, k.multiply(g.get(p), g.get(p))));
                sum.put(p, s);
                u.put(p, k.divide(g.get(p), k.add(k.sqrt(s), eps)));
            }
            return u;
        };
    }

    private static <T> Optimiser<T> adam(IndependentGradients.Numbers<T> k, T eps) {
        T beta1 = k.of(Rational.of(9, 10));
        T beta2 = k.of(Rational.of(999, 1000));
        Map<String, T> m = new HashMap<>();
        Map<String, T> v = new HashMap<>();
        return (t, theta, g) -> {
            Map<String, T> u = new LinkedHashMap<>();
            T c1 = k.subtract(k.one(), k.power(beta1, t));
            T c2 = k.subtract(k.one(), k.power(beta2, t));
            for (String p : theta.keySet()) {
                T mp = k.add(k.multiply(beta1, m.getOrDefault(p, k.zero())), k.multiply(k.subtract(k.one(), beta1), g.get(p)));
                T vp = k.add(k.multiply(beta2, v.getOrDefault(p, k.zero())),
                        k.multiply(k.subtract(k.one(), beta2), k.multiply(g.get(p), g.get(p))));
                m.put(p, mp);
                v.put(p, vp);
                u.put(p, k.divide(k.divide(mp, c1), k.add(k.sqrt(k.divide(vp, c2)), eps)));
            }
            return u;
        };
    }

    private static <T> Map<String, T> map(Map<String, T> values, java.util.function.UnaryOperator<T> f) {
        Map<String, T> out = new LinkedHashMap<>();
        values.forEach((p, x) -> out.put(p, f.apply(x)));
        return out;
    }

    private static <T> Map<String, T> lift(IndependentGradients.Numbers<T> k, Map<String, Rational> values) {
        Map<String, T> out = new HashMap<>();
        values.forEach((name, v) -> out.put(name, k.of(v)));
        return out;
    }

    /** The spec's start: one random value per symbol (its sign as the assumptions ask), numbers as written. */
    private static <T> Map<String, T> start(Network network, IndependentGradients.Numbers<T> k, Random random) {
        Map<String, Rational> symbols = new HashMap<>();
        return start(network, k, symbol -> symbols.computeIfAbsent(symbol, name -> draw(network, name, random)));
    }

    /** The spec's start with each symbol's (or random parameter's) value from {@code valueOf}. */
    private static <T> Map<String, T> start(Network network, IndependentGradients.Numbers<T> k,
                                           java.util.function.Function<String, Rational> valueOf) {
        Map<String, T> start = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) {
            Rational v;
            if (p.init() instanceof Init.Numeric n) {
                v = n.value();
            } else {
                v = valueOf.apply(p.init() instanceof Init.Symbolic s ? s.symbol() : p.name());
                if (p.init() instanceof Init.Symbolic s) v = v.multiply(s.coefficient());
            }
            start.put(p.name(), k.of(v));
        }
        return start;
    }

    private static <T> Map<String, T> randomSample(IndependentGradients<T> evaluator, Network network, Random random) {
        Map<String, T> sample = new HashMap<>();
        for (String name : evaluator.dataNames()) sample.put(name, evaluator.numbers().of(draw(network, name, random)));
        return sample;
    }

    /** A value of size about 1/2, negative where an assumption puts the name below 0. */
    private static Rational draw(Network network, String name, Random random) {
        Rational v = Rational.of(5 + random.nextInt(20), 31);
        boolean negative = network.assumptions().stream().anyMatch(a -> a.name().equals(name)
                && (a.relation() == Assumption.Relation.LT || a.relation() == Assumption.Relation.LE)
                && a.bound().signum() <= 0);
        boolean positive = network.assumptions().stream().anyMatch(a -> a.name().equals(name)
                && (a.relation() == Assumption.Relation.GT || a.relation() == Assumption.Relation.GE));
        if (negative || !positive && random.nextBoolean()) v = v.negate();
        return v;
    }
}
