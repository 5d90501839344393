package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netsym.Netsym;
import dev.netsym.model.Assumption;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.Unit;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Independent evidence for {@code prove}: on random specs (see {@link RandomSpecs}), every
 * claim is checked with {@link IndependentGradients}, which shares no code with the engine's
 * calculus, at points drawn by this test's own random numbers:
 * <ul>
 * <li>members of a class have equal gradients, and frozen parameters zero gradients, at random
 *     points of the claimed subspace (class values anything, pinned parameters at their
 *     initial values, data from the spec or satisfying its assumptions), sample by sample;</li>
 * <li>gradient descent from random starts of the initialisation keeps classes together and
 *     frozen parameters put;</li>
 * <li>every separation has a witness, the witness respects the assumptions, and replaying it
 *     really separates the two parameters (or moves the one) at the stated step.</li>
 * </ul>
 * Undecided pairs are fine: they claim nothing. Run more specs with
 * {@code -Dnetsym.crosscheck.count=N} (another seed with {@code -Dnetsym.crosscheck.seed=S}; the
 * full {@code prove} on every Kth spec with {@code -Dnetsym.crosscheck.runnerEvery=K}, its budget
 * in seconds with {@code -Dnetsym.crosscheck.budget=B}).
 */
class ProofCrossCheckTest {
    private static final int DEFAULT_COUNT = 100;
    private static final int LAYERED_COUNT = 25;
    private static final int DECAY_COUNT = 40;
    /** The invariant search's budget; it needs far less on these small networks. */
    private static final Duration BUDGET = Duration.ofSeconds(10);
    /** {@code prove}'s whole budget, which it spends in full on the written-out details. */
    private static final Duration RUNNER_BUDGET = Duration.ofSeconds(Long.getLong("netsym.crosscheck.budget", 5));
    private static final int RUNNER_EVERY = Integer.getInteger("netsym.crosscheck.runnerEvery", 25);
    private static final int POINTS = 3;
    private static final int DESCENT_STEPS = 2;

    /** One false claim, under a short name for its cause, with the spec that shows it. */
    record Failure(String category, String detail, String spec) {}

    /** What was checked, so that a run which checks nothing cannot pass. */
    static final class Tally {
        int specs;
        int classesChecked;
        int frozenChecked;
        int witnessesReplayed;
        int undecided;
        int timedOut;
        int skippedPoints;
        final List<Failure> failures = new ArrayList<>();
    }

    private static final String[] ACTIVATIONS = {"", "tanh", "relu", "sigmoid", "SQUARE", "leaky"};

    /**
     * A layered network written as a spec, with symmetric structure so that classes are not
     * trivial: the earlier generator of this test, kept because it reaches deeper networks than
     * {@link RandomSpecs} (and {@code BigNetworkPathTest} compares arithmetics on its specs).
     */
    static String randomSpec(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int inputs = 1 + r.nextInt(3);
        int depth = 1 + r.nextInt(3);
        StringBuilder spec = new StringBuilder("input ");
        List<String> previous = new ArrayList<>();
        for (int i = 1; i <= inputs; i++) {
            previous.add("x" + i);
            spec.append(i > 1 ? ", " : "").append("x").append(i);
        }
        spec.append('\n');
        boolean target = r.nextBoolean();
        if (target) spec.append("target t\n");
        int weight = 0;
        List<String> weights = new ArrayList<>();
        for (int layer = 1; layer <= depth; layer++) {
            int width = 1 + r.nextInt(3);
            String act = ACTIVATIONS[r.nextInt(ACTIVATIONS.length)];
            boolean bias = r.nextInt(3) == 0;
            List<String> current = new ArrayList<>();
            for (int u = 1; u <= width; u++) {
                String unit = "h" + layer + "_" + u;
                StringBuilder sum = new StringBuilder();
                for (String in : previous) {
                    // Now and then reuse an earlier weight: shared, convolution-like parameters.
                    String w = !weights.isEmpty() && r.nextInt(6) == 0 ? weights.get(r.nextInt(weights.size()))
                            : "w" + (++weight);
                    weights.add(w);
                    sum.append(sum.length() > 0 ? " + " : "").append(w).append("*").append(in);
                }
                if (bias) sum.append(" + b").append(layer).append("_").append(u);
                String z = "(" + sum + ")";
                String value = switch (act) {
                    case "" -> z;
                    case "SQUARE" -> z + "^2";
                    case "leaky" -> "leaky_relu(" + z + ", 1/4)";
                    default -> act + z;
                };
                spec.append(unit).append(" = ").append(value).append('\n');
                current.add(unit);
            }
            previous = current;
        }
        StringBuilder out = new StringBuilder();
        for (String in : previous) out.append(out.length() > 0 ? " + " : "").append("v_").append(in).append("*").append(in);
        spec.append("y = ").append(out).append('\n');
        spec.append(target ? "objective (y - t)^2\n" : "objective y\n");
        switch (r.nextInt(4)) {
            case 0 -> spec.append("init all = a\n");
            case 1 -> spec.append("init all = a\ninit v* = c\n");
            case 2 -> spec.append(spec.indexOf(" + b") >= 0 ? "init w* = a\ninit b* = 0\n" : "init w* = a\n");
            default -> spec.append("init all = a\ninit w1 = random\n");
        }
        return spec.toString();
    }

    @Test
    void everyClaimSurvivesAnIndependentCheck() {
        int count = Integer.getInteger("netsym.crosscheck.count", DEFAULT_COUNT);
        long firstSeed = Long.getLong("netsym.crosscheck.seed", 1L);
        Tally tally = new Tally();
        for (long seed = firstSeed; seed < firstSeed + count; seed++) {
            String spec = RandomSpecs.generate(seed);
            var parsed = Netsym.parse(spec);
            if (parsed.network().isEmpty()) fail("the generator wrote a bad spec (seed " + seed + "):\n" + spec + parsed.diagnostics());
            Network network = parsed.network().get();
            tally.specs++;
            long start = System.nanoTime();
            checkProof(network, prove(network, seed), spec, new Random(seed * 7919 + 1), tally);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            if (seconds >= 30) System.out.println("cross-check: seed " + seed + " took " + seconds + " s");
        }
        assertSurvived("", tally, count / 4, count / 2);
    }

    /**
     * The proof under weight decay (what {@code optimizer adamw} and the optimiser table use):
     * only parameters that start at 0 may stay pinned, every move of the others needs a run with
     * decay, and the claims must survive gradient descent with decay.
     */
    @Test
    void everyClaimUnderWeightDecaySurvivesAnIndependentCheck() {
        int count = Integer.getInteger("netsym.crosscheck.decayCount", DECAY_COUNT);
        Tally tally = new Tally();
        for (long seed = 1; seed <= count; seed++) {
            String spec = RandomSpecs.generate(seed);
            Network network = Netsym.parse(spec).network().orElseThrow();
            tally.specs++;
            Proof proof = ProofEngine.prove(network, new ProofEngine.Options(BUDGET, List.of()), phase -> { },
                    dev.netsym.calculus.StepRule.Term.L2);
            Random random = new Random(seed * 7919 + 3);
            checkProof(network, proof, spec, random, tally, Rational.of(1, 2 + random.nextInt(9)));
        }
        assertSurvived("under weight decay", tally, count / 4, count / 2);
    }

    /**
     * Parameter groups: random specs with one or two parameters put at another learning rate
     * ('lr' lines); the descent check and the witness replays step each parameter at its rate.
     */
    @Test
    void everyClaimWithParameterGroupsSurvivesAnIndependentCheck() {
        int count = Integer.getInteger("netsym.crosscheck.groupCount", DECAY_COUNT);
        Tally tally = new Tally();
        for (long seed = 1; seed <= count; seed++) {
            String plain = RandomSpecs.generate(seed);
            List<Parameter> parameters = Netsym.parse(plain).network().orElseThrow().parameters();
            Random random = new Random(seed * 7919 + 5);
            StringBuilder spec = new StringBuilder(plain);
            for (int group = 0; group < 1 + random.nextInt(2); group++) {
                String name = parameters.get(random.nextInt(parameters.size())).name();
                spec.append("\nlr ").append(name).append(" = ").append(1 + random.nextInt(3)).append("/")
                        .append(2 + random.nextInt(3)).append('\n');
            }
            var parsed = Netsym.parse(spec.toString());
            if (parsed.network().isEmpty()) fail("a bad spec with lr lines (seed " + seed + "):\n" + spec + parsed.diagnostics());
            Network network = parsed.network().get();
            tally.specs++;
            checkProof(network, prove(network, seed), spec.toString(), random, tally);
        }
        assertSurvived("with parameter groups", tally, count / 4, count / 2);
    }

    @Test
    void everyClaimOnLayeredNetworksSurvivesAnIndependentCheck() {
        Tally tally = new Tally();
        for (long seed = 1; seed <= LAYERED_COUNT; seed++) {
            String spec = randomSpec(seed);
            Network network = Netsym.parse(spec).network().orElseThrow();
            tally.specs++;
            checkProof(network, prove(network, seed), spec, new Random(seed), tally);
        }
        assertSurvived("", tally, LAYERED_COUNT, LAYERED_COUNT);
    }

    /**
     * The proof as {@code netsym prove} makes it (with computer algebra and the written-out
     * details) for every {@value #RUNNER_EVERY}th spec; for the others the invariant search
     * alone, which makes the same kinds of claims without spending the whole budget on
     * Symja, so that a few hundred specs fit in about a minute.
     */
    private static Proof prove(Network network, long seed) {
        if (seed % RUNNER_EVERY == 0) return ProofRunner.prove(network, RUNNER_BUDGET);
        return ProofEngine.prove(network, new ProofEngine.Options(BUDGET, List.of()));
    }

    /** Prints the tally; fails on any false claim, or when too little was checked for the run to mean anything. */
    private static void assertSurvived(String label, Tally tally, int minClasses, int minWitnesses) {
        System.out.println(label + (label.isEmpty() ? "" : ": ") + report(tally));
        if (!tally.failures.isEmpty()) fail(report(tally));
        assertTrue(tally.classesChecked >= minClasses, "too few classes checked: " + tally.classesChecked);
        assertTrue(tally.witnessesReplayed >= minWitnesses, "too few witnesses replayed: " + tally.witnessesReplayed);
    }

    /** Every check of this class on one proof; failures are added to the tally. */
    static void checkProof(Network network, Proof proof, String spec, Random random, Tally tally) {
        checkProof(network, proof, spec, random, tally, Rational.ZERO);
    }

    /** The same for a proof made under weight decay, its descent checked with decay {@code decay}. */
    static void checkProof(Network network, Proof proof, String spec, Random random, Tally tally, Rational decay) {
        IndependentGradients<?> evaluator = IndependentGradients.forNetwork(network);
        new Checker<>(evaluator, network, proof, spec, random, tally, decay).run();
    }

    static String report(Tally tally) {
        StringBuilder b = new StringBuilder();
        b.append(tally.specs).append(" specs: ").append(tally.classesChecked).append(" classes and ")
                .append(tally.frozenChecked).append(" frozen parameters checked, ").append(tally.witnessesReplayed)
                .append(" witnesses replayed, ").append(tally.undecided).append(" undecided entries, ")
                .append(tally.timedOut).append(" proofs out of time, ").append(tally.skippedPoints)
                .append(" points without a value skipped\n");
        Map<String, List<Failure>> byCategory = new TreeMap<>();
        for (Failure f : tally.failures) byCategory.computeIfAbsent(f.category(), k -> new ArrayList<>()).add(f);
        byCategory.forEach((category, failures) -> {
            b.append("\n=== ").append(failures.size()).append(" × ").append(category).append('\n');
            failures.stream().sorted(Comparator.comparingInt(f -> f.spec().length())).limit(3).forEach(f ->
                    b.append("--- ").append(f.detail()).append('\n').append(f.spec()));
        });
        return b.toString();
    }

    private static final class Checker<T> {
        private final IndependentGradients<T> evaluator;
        private final IndependentGradients.Numbers<T> k;
        private final Network network;
        private final Proof proof;
        private final String spec;
        private final Random random;
        private final Tally tally;
        private final Ranges ranges;
        private final Map<String, List<Map<String, T>>> replays = new HashMap<>();
        /** The weight decay λ of the descent check: 0 for a plain proof, some λ > 0 for one proved under decay. */
        private final Rational decay;

        Checker(IndependentGradients<T> evaluator, Network network, Proof proof, String spec, Random random, Tally tally,
                Rational decay) {
            this.decay = decay;
            this.evaluator = evaluator;
            this.k = evaluator.numbers();
            this.network = network;
            this.proof = proof;
            this.spec = spec;
            this.random = random;
            this.tally = tally;
            this.ranges = new Ranges(network.assumptions());
        }

        void run() {
            if (proof.timedOut()) tally.timedOut++;
            tally.undecided += proof.undecided().size();
            checkClassesStartTogether();
            checkAtPointsOfTheSubspace();
            checkDescentFromTheInitialisation();
            Checker<?> decimal = null;
            for (Separation s : proof.separations()) {
                // A run the engine made in decimals (its exact numbers outgrew their bound) is replayed
                // in decimals too: exact replay of such a run can take hours.
                if (!s.witness().run().exact() && k instanceof IndependentGradients.ExactNumbers) {
                    if (decimal == null) {
                        decimal = new Checker<>(IndependentGradients.decimal(network), network, proof, spec, random, tally,
                                decay);
                    }
                    decimal.checkSeparation(s);
                } else {
                    checkSeparation(s);
                }
            }
        }

        private void failure(String category, String detail) {
            tally.failures.add(new Failure(category, detail, spec));
        }

        /** A class can only stay together if its members start from one and the same value. */
        private void checkClassesStartTogether() {
            Map<String, Init> inits = new HashMap<>();
            for (Parameter p : network.parameters()) inits.put(p.name(), p.init());
            for (ParameterClass c : proof.classes()) {
                if (c.members().size() < 2) continue;
                Init first = inits.get(c.members().get(0));
                for (String m : c.members()) {
                    // A member marked negated starts at the negative of the class's value.
                    Init expected = opposite(c, m) ? negative(first) : first;
                    if (first instanceof Init.Random || !inits.get(m).equals(expected)) {
                        failure("class whose members start apart", c.members() + " start at different values");
                        return;
                    }
                }
            }
        }

        /** Whether m holds the negative of the class's first member. */
        private boolean opposite(ParameterClass c, String m) {
            return c.negated().contains(m) != c.negated().contains(c.members().get(0));
        }

        private static Init negative(Init init) {
            if (init instanceof Init.Numeric n) return new Init.Numeric(n.value().negate());
            if (init instanceof Init.Symbolic s) return new Init.Symbolic(s.symbol(), s.coefficient().negate());
            return init;
        }

        private T opposite(Separation s, T value) {
            return s.opposite() ? k.negate(value) : value;
        }

        private T signed(ParameterClass c, String m, T value) {
            return opposite(c, m) ? k.negate(value) : value;
        }

        /** (a): equal gradients in every class, zero gradients for frozen parameters, sample by sample. */
        private void checkAtPointsOfTheSubspace() {
            for (int point = 0; point < POINTS; point++) {
                Map<String, T> values = null;
                List<Map<String, T>> samples = null;
                List<IndependentGradients.Evaluation<T>> evaluations = new ArrayList<>();
                for (int attempt = 0; attempt < 10 && values == null; attempt++) {
                    try {
                        Map<String, T> candidate = pointOfSubspace();
                        samples = samples();
                        evaluations.clear();
                        for (Map<String, T> sample : samples) evaluations.add(evaluator.evaluate(candidate, sample));
                        values = candidate;
                    } catch (IndependentGradients.UndefinedPoint e) {
                        // The network has no value here: draw another point.
                    }
                }
                if (values == null) {
                    tally.skippedPoints++;
                    continue;
                }
                for (int s = 0; s < evaluations.size(); s++) {
                    Map<String, T> gradient = evaluations.get(s).gradient();
                    for (ParameterClass c : proof.classes()) {
                        if (!compareClass(c, gradient, values, samples.get(s))) return;
                    }
                }
            }
        }

        /** Whether the class passed (a failure is recorded otherwise). */
        private boolean compareClass(ParameterClass c, Map<String, T> gradient, Map<String, T> values,
                                     Map<String, T> sample) {
            if (c.frozen()) {
                for (String m : c.members()) {
                    tally.frozenChecked++;
                    if (!k.same(gradient.get(m), k.zero())) {
                        failure("frozen parameter with a non-zero gradient", "∂/∂" + m + " = "
                                + k.show(gradient.get(m)) + " at " + show(values) + " with data " + show(sample));
                        return false;
                    }
                }
                return true;
            }
            if (c.members().size() < 2) return true;
            tally.classesChecked++;
            String first = c.members().get(0);
            for (String m : c.members()) {
                if (!k.same(signed(c, m, gradient.get(m)), gradient.get(first))) {
                    failure("class whose members' gradients differ", "claimed class " + c.members() + ": ∂/∂" + first
                            + " = " + k.show(gradient.get(first)) + " but ∂/∂" + m + " = " + k.show(gradient.get(m))
                            + " at " + show(values) + " with data " + show(sample));
                    return false;
                }
            }
            return true;
        }

        /**
         * The claims as the theorem states them: gradient descent from the spec's own
         * initialisation keeps every class together and every frozen parameter put.
         */
        private void checkDescentFromTheInitialisation() {
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    Map<String, Rational> start = initialisation(new HashMap<>());
                    List<Map<String, T>> samples = samples();
                    if (network.data().isEmpty()) samples.addAll(samples());
                    Rational rate = Rational.of(1, 3 + random.nextInt(8));
                    T eta = k.of(rate);
                    var trajectory = evaluator.descend(lift(start), samples, eta, DESCENT_STEPS, decay);
                    for (int step = 1; step < trajectory.size(); step++) {
                        Map<String, T> now = trajectory.get(step);
                        for (ParameterClass c : proof.classes()) {
                            for (String m : c.members()) {
                                boolean ok = c.frozen() ? k.same(now.get(m), trajectory.get(0).get(m))
                                        : k.same(signed(c, m, now.get(m)), now.get(c.members().get(0)));
                                if (!ok && roundingNoise(start, samples, rate, step, c, m)) {
                                    tally.skippedPoints++;
                                    return;
                                }
                                if (!ok) {
                                    failure(c.frozen() ? "frozen parameter moves under gradient descent"
                                                    : "class splits under gradient descent",
                                            (c.frozen() ? m + " moved" : "claimed class " + c.members() + " split")
                                                    + " at step " + step + " from " + show(start) + " with data "
                                                    + show(samples) + ", learning rate " + k.show(eta));
                                    return;
                                }
                            }
                        }
                    }
                    return;
                } catch (IndependentGradients.UndefinedPoint e) {
                    // Another start.
                }
            }
            tally.skippedPoints++;
        }

        /**
         * Whether what the decimal run showed at {@code step} for member m of c is rounding noise:
         * the same run with four times the digits keeps m with its class (or put). A run that
         * grows fast (values of 10^90 and beyond in a few steps) turns 70 digits of noise into
         * differences of order one; a real split does not vanish with more digits.
         */
        @SuppressWarnings("unchecked")
        private boolean roundingNoise(Map<String, Rational> start, List<Map<String, T>> samples, Rational rate, int step,
                                      ParameterClass c, String m) {
            if (!(k instanceof IndependentGradients.DecimalNumbers)) return false;
            var precise = IndependentGradients.decimal(network, 4 * IndependentGradients.DIGITS);
            var pk = precise.numbers();
            Map<String, BigDecimal> preciseStart = new HashMap<>();
            start.forEach((name, v) -> preciseStart.put(name, pk.of(v)));
            List<Map<String, BigDecimal>> preciseSamples = new ArrayList<>();
            for (Map<String, T> sample : samples) preciseSamples.add((Map<String, BigDecimal>) sample);
            var run = precise.descend(preciseStart, preciseSamples, pk.of(rate), step, decay);
            Map<String, BigDecimal> now = run.get(step);
            BigDecimal value = opposite(c, m) ? now.get(m).negate() : now.get(m);
            BigDecimal reference = c.frozen() ? run.get(0).get(m) : now.get(c.members().get(0));
            return pk.same(value, reference);
        }

        /** The λ of a run's weight decay (L2, or decoupled without Adam: the same step), 0 for plain steps. */
        private static Rational decayOf(WitnessRun run) {
            if (run.plainSteps() || run.rule().term() == dev.netsym.calculus.StepRule.Term.NONE) return Rational.ZERO;
            var term = run.rule().term();
            if (run.rule().adam() || term != dev.netsym.calculus.StepRule.Term.L2
                    && term != dev.netsym.calculus.StepRule.Term.DECOUPLED) {
                throw new IllegalArgumentException("the cross-check replays decay, not " + run.rule());
            }
            return run.rule().strength();
        }

        /** (b) and (c): a witness exists, respects the assumptions, and replays. */
        private void checkSeparation(Separation s) {
            String what = s.isMove() ? s.first() + " moves" : s.first() + " and " + s.second() + " separate";
            // A Separation cannot be made without a witness (its constructor refuses); replay it.
            Witness w = s.witness();
            Map<String, Rational> start = new HashMap<>();
            for (Parameter p : network.parameters()) {
                Rational v;
                if (p.init() instanceof Init.Numeric n) {
                    v = n.value();
                } else {
                    String symbol = p.init() instanceof Init.Symbolic sym ? sym.symbol() : p.name();
                    String shown = w.run().start().get(symbol);
                    if (shown == null) {
                        failure("witness without a start value", what + ": no value for " + symbol + " in " + w.run().start());
                        return;
                    }
                    v = Rational.parse(shown);
                    if (!ranges.allows(symbol, v)) {
                        failure("witness start outside the assumptions", what + ": " + symbol + " = " + v);
                        return;
                    }
                    if (p.init() instanceof Init.Symbolic sym) v = v.multiply(sym.coefficient());
                }
                start.put(p.name(), v);
            }
            List<Map<String, Rational>> data = new ArrayList<>();
            if (network.data().isEmpty()) {
                for (Map<String, String> shown : w.run().data()) {
                    Map<String, Rational> sample = new HashMap<>();
                    for (String name : evaluator.dataNames()) {
                        String value = shown.get(name);
                        if (value == null) {
                            failure("witness without its data", what + ": no value for " + name + " in " + shown);
                            return;
                        }
                        Rational v = Rational.parse(value);
                        if (!ranges.allows(name, v)) {
                            failure("witness data outside the assumptions", what + ": " + name + " = " + v);
                            return;
                        }
                        sample.put(name, v);
                    }
                    data.add(sample);
                }
                if (data.isEmpty()) {
                    failure("witness without its data", what + ": the spec has no data and the witness shows none");
                    return;
                }
            } else {
                for (Sample sample : network.data()) data.add(sample.values());
            }
            Rational eta = Rational.parse(w.run().learningRate());
            List<Map<String, T>> samples = data.stream().map(this::lift).toList();
            List<Map<String, T>> trajectory;
            try {
                // Witnesses found in one run share start, data and learning rate: replay that run once.
                String key = new TreeMap<>(start) + " " + data + " " + eta;
                trajectory = replays.get(key);
                if (trajectory == null || trajectory.size() <= w.step()) {
                    trajectory = evaluator.descend(lift(start), samples, k.of(eta), w.step(), decayOf(w.run()));
                    replays.put(key, trajectory);
                }
            } catch (IndependentGradients.UndefinedPoint e) {
                // With our stand-in for a generic activation the run may overflow where the
                // engine's bounded one does not: that says nothing about the engine.
                if (network.activations().isEmpty()) {
                    failure("witness where the network has no value", what + ": " + e.getMessage());
                }
                return;
            }
            tally.witnessesReplayed++;
            T after = trajectory.get(w.step()).get(s.first());
            // For a pair that started opposite, the claim is that θ_first = −θ_second fails.
            T other = s.isMove() ? trajectory.get(0).get(s.first()) : opposite(s, trajectory.get(w.step()).get(s.second()));
            if (!k.surelyDifferent(after, other)) {
                if (!network.activations().isEmpty() && separatesWithOurActivation(s, trajectory, samples, eta)) return;
                if (!network.activations().isEmpty() && separatesWithTheRunsActivation(s, w, start, data, eta)) return;
                failure(network.activations().isEmpty() ? "witness that does not separate"
                                : "witness that does not separate (generic activation)",
                        what + ": after step " + w.step() + " from " + show(start) + " with data " + show(data)
                                + ", η = " + eta + ", values " + k.show(after) + " and " + k.show(other)
                                + " (witness says " + w.firstValue() + " and " + w.secondValue() + ")");
                return;
            }
            // Only an exact run knows the first step: a decimal one reports the first step where the
            // values differ beyond its rounding noise (10^-30 relative in 40 digits), which may be later.
            if (!s.isMove() && w.step() > 0 && network.activations().isEmpty() && w.run().exact()) {
                T before = trajectory.get(w.step() - 1).get(s.first());
                T otherBefore = opposite(s, trajectory.get(w.step() - 1).get(s.second()));
                if (!k.same(before, otherBefore)) {
                    failure("witness step is not the first", what + ": already apart after step " + (w.step() - 1));
                }
            }
        }

        /**
         * The witness ran with the engine's own stand-in for a generic activation; with ours,
         * the two may part a step or two later. Either shows the claim "not equal for every
         * activation" is true.
         */
        private boolean separatesWithOurActivation(Separation s, List<Map<String, T>> trajectory,
                                                   List<Map<String, T>> samples, Rational eta) {
            try {
                List<Map<String, T>> longer = evaluator.descend(trajectory.get(0), samples, k.of(eta),
                        trajectory.size() + 2, decayOf(s.witness().run()));
                for (Map<String, T> values : longer) {
                    T other = s.isMove() ? longer.get(0).get(s.first()) : opposite(s, values.get(s.second()));
                    if (k.surelyDifferent(values.get(s.first()), other)) return true;
                }
            } catch (IndependentGradients.UndefinedPoint e) {
                return false;
            }
            return false;
        }

        /**
         * Where the run states each activation as a formula (floating runs do), the run replayed
         * with f(u) written out as that formula: then nothing of the engine's but the formula is
         * used. With our own stand-in the units may saturate where the run's do not (gelu_tanh of
         * a large negative sum is 0 to every digit), and the two stay together for a reason that
         * has nothing to do with the claim.
         */
        private boolean separatesWithTheRunsActivation(Separation s, Witness w, Map<String, Rational> start,
                                                       List<Map<String, Rational>> data, Rational eta) {
            Map<String, Expr> formulas = new HashMap<>();
            for (WitnessRun.Activation a : w.run().activations()) {
                if (a.formula().isEmpty()) return false;
                formulas.put(a.name(), a.formula().get());
            }
            if (!formulas.keySet().containsAll(network.activations())) return false;
            List<Unit> units = network.units().stream()
                    .map(u -> new Unit(u.name(), writtenOut(u.definition(), formulas), u.pos(), u.layer())).toList();
            Network explicit = new Network(network.name(), network.inputs(), network.targets(), units,
                    writtenOut(network.objective(), formulas), network.parameters(), Set.of(), network.layers(),
                    network.data(), network.assumptions(), network.optimizer());
            IndependentGradients<java.math.BigDecimal> replay = IndependentGradients.decimal(explicit);
            var d = replay.numbers();
            try {
                Map<String, java.math.BigDecimal> from = new HashMap<>();
                start.forEach((name, v) -> from.put(name, d.of(v)));
                List<Map<String, java.math.BigDecimal>> samples = new ArrayList<>();
                for (Map<String, Rational> sample : data) {
                    Map<String, java.math.BigDecimal> lifted = new HashMap<>();
                    sample.forEach((name, v) -> lifted.put(name, d.of(v)));
                    samples.add(lifted);
                }
                var values = replay.descend(from, samples, d.of(eta), w.step(), decayOf(w.run())).get(w.step());
                java.math.BigDecimal first = values.get(s.first());
                java.math.BigDecimal second = s.isMove() ? from.get(s.first()) : values.get(s.second());
                if (s.opposite()) second = second.negate();
                return d.surelyDifferent(first, second);
            } catch (IndependentGradients.UndefinedPoint e) {
                return false;
            }
        }

        /** e with every call of a declared activation f(u) replaced by f's formula in z at z = u. */
        private static Expr writtenOut(Expr e, Map<String, Expr> formulas) {
            List<Expr> children = e.children().stream().map(c -> writtenOut(c, formulas)).toList();
            Expr rebuilt = children.equals(e.children()) ? e : e.withChildren(children);
            if (rebuilt instanceof Expr.Call c && formulas.containsKey(c.function())) {
                return formulas.get(c.function()).replaceNames(Map.of("z", c.args().get(0)));
            }
            return rebuilt;
        }

        // ---- random points, drawn here and nowhere else -----------------------------------------

        /** A point of S(P, F): one random value per moving class, initial values for frozen parameters. */
        private Map<String, T> pointOfSubspace() {
            Map<String, Rational> initial = initialisation(new HashMap<>());
            Map<String, Rational> values = new HashMap<>();
            for (ParameterClass c : proof.classes()) {
                Rational shared = anyValue();
                for (String m : c.members()) {
                    values.put(m, c.frozen() ? initial.get(m) : c.negated().contains(m) ? shared.negate() : shared);
                }
            }
            return lift(values);
        }

        /** Initial values as the spec defines them, symbols and random parameters inside their assumptions. */
        private Map<String, Rational> initialisation(Map<String, Rational> symbols) {
            Map<String, Rational> values = new LinkedHashMap<>();
            for (Parameter p : network.parameters()) {
                Rational v;
                if (p.init() instanceof Init.Numeric n) v = n.value();
                else if (p.init() instanceof Init.Symbolic s) {
                    v = symbols.computeIfAbsent(s.symbol(), ranges::draw).multiply(s.coefficient());
                }
                else v = ranges.draw(p.name());
                values.put(p.name(), v);
            }
            return values;
        }

        /** The spec's data, or one random sample inside the assumptions. */
        private List<Map<String, T>> samples() {
            List<Map<String, T>> samples = new ArrayList<>();
            if (!network.data().isEmpty()) {
                for (Sample s : network.data()) samples.add(lift(s.values()));
                return samples;
            }
            Map<String, Rational> sample = new HashMap<>();
            for (String name : evaluator.dataNames()) sample.put(name, ranges.draw(name));
            samples.add(lift(sample));
            return samples;
        }

        private Rational anyValue() {
            Rational magnitude = Rational.of(1 + random.nextInt(29), 1 + random.nextInt(17));
            return random.nextBoolean() ? magnitude : magnitude.negate();
        }

        private Map<String, T> lift(Map<String, Rational> values) {
            Map<String, T> lifted = new HashMap<>();
            values.forEach((name, v) -> lifted.put(name, k.of(v)));
            return lifted;
        }

        private final class Ranges {
            private final Map<String, List<Assumption>> byName = new HashMap<>();

            Ranges(List<Assumption> assumptions) {
                for (Assumption a : assumptions) byName.computeIfAbsent(a.name(), n -> new ArrayList<>()).add(a);
            }

            boolean allows(String name, Rational v) {
                for (Assumption a : byName.getOrDefault(name, List.of())) {
                    if (!a.relation().holds(v.compareTo(a.bound()))) return false;
                }
                return true;
            }

            /** A random value satisfying every assumption on name (rejection from a wide, then a narrow draw). */
            Rational draw(String name) {
                Rational low = null;
                Rational high = null;
                for (Assumption a : byName.getOrDefault(name, List.of())) {
                    boolean lower = a.relation() == Assumption.Relation.GT || a.relation() == Assumption.Relation.GE;
                    if (lower && (low == null || a.bound().compareTo(low) > 0)) low = a.bound();
                    if (!lower && (high == null || a.bound().compareTo(high) < 0)) high = a.bound();
                }
                for (int attempt = 0; attempt < 1000; attempt++) {
                    Rational v;
                    int q = 7 + random.nextInt(60);
                    if (low != null && high != null) {
                        v = low.add(high.subtract(low).multiply(Rational.of(1 + random.nextInt(q - 1), q)));
                    } else if (low != null) {
                        v = low.add(Rational.of(1 + random.nextInt(40), q).multiply(Rational.of(1 + random.nextInt(3))));
                    } else if (high != null) {
                        v = high.subtract(Rational.of(1 + random.nextInt(40), q).multiply(Rational.of(1 + random.nextInt(3))));
                    } else {
                        v = anyValue();
                    }
                    if (allows(name, v)) return v;
                }
                throw new IllegalStateException("no value satisfies the assumptions on " + name);
            }
        }

        private String show(Object values) {
            if (values instanceof Map<?, ?> m) {
                Map<String, String> shown = new TreeMap<>();
                m.forEach((key, v) -> shown.put(String.valueOf(key), showValue(v)));
                return shown.toString();
            }
            if (values instanceof List<?> l) return l.stream().map(this::show).toList().toString();
            return String.valueOf(values);
        }

        @SuppressWarnings("unchecked")
        private String showValue(Object v) {
            if (v instanceof Rational r) return r.toString();
            return k.show((T) v);
        }
    }
}
