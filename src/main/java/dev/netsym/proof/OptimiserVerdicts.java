package dev.netsym.proof;

import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Which of a proof's claims (classes of two or more, frozen parameters) survive each optimiser,
 * each verdict with its reason: "keeps" with the argument, "breaks" with a run under that
 * optimiser that shows it, and what netsym cannot decide said as such.
 *
 * <p>The arguments. The theorem's certificates say: on the invariant subspace S the gradient is
 * a direction within S (members' gradients equal, or opposite for members of opposite sign;
 * frozen ones 0). A rule that maps each coordinate's own gradient history to its step by one
 * function that is odd and 0 on a history of zeros then steps within S, and so does any rule
 * that scales the whole gradient by one number. A rule that acts on θ itself (weight decay,
 * L1) steps within S exactly when S is a linear space: every pinned parameter at 0. That is a
 * different greatest invariant state, proved again with every other parameter released.
 */
public record OptimiserVerdicts(List<Row> rows, int claims) {
    public OptimiserVerdicts {
        rows = List.copyOf(rows);
    }

    public enum Kind {
        /** Every class and frozen parameter survives: the argument says why. */
        KEEPS,
        /** Some claims break, each with a run; the rest survive as the argument says. */
        BREAKS,
        /** netsym does not model the optimiser: nothing claimed either way. */
        NOT_DECIDED,
        /** The network has nothing the rule acts on. */
        DOES_NOT_APPLY
    }

    /**
     * A claim an optimiser breaks: two members that come apart, or a frozen parameter that
     * moves (second null), shown by the run.
     */
    public record Broken(List<String> claim, String first, String second, Witness witness) {
        public Broken {
            claim = List.copyOf(claim);
        }
    }

    /**
     * @param optimiser the optimiser, as a practitioner names it
     * @param run how the witness runs stepped (empty without runs)
     * @param unsettled claims the optimiser's own proof does not keep but no run separated
     */
    public record Row(String optimiser, Kind kind, String argument, String run, List<Broken> broken,
                      List<List<String>> unsettled) {
        public Row {
            broken = List.copyOf(broken);
            unsettled = List.copyOf(unsettled);
        }

        static Row keeps(String optimiser, String argument) {
            return new Row(optimiser, Kind.KEEPS, argument, "", List.of(), List.of());
        }
    }

    /** The table for {@code proof}, re-proving under a penalty on θ where the spec has none. */
    public static OptimiserVerdicts of(Proof proof, ProofEngine.Options options) {
        return new Builder(proof, options).build();
    }

    private static final class Builder {
        private final Proof proof;
        private final ProofEngine.Options options;
        private final Network network;
        private final Tape tape;
        private final List<ParameterClass> claims;
        private final long deadline;

        Builder(Proof proof, ProofEngine.Options options) {
            this.proof = proof;
            this.options = options;
            this.network = proof.network();
            this.tape = Tape.compile(network);
            this.claims = proof.classes().stream().filter(c -> c.frozen() || c.members().size() > 1).toList();
            this.deadline = System.nanoTime() + options.timeout().toNanos();
        }

        OptimiserVerdicts build() {
            List<Row> rows = new ArrayList<>();
            String odd = proof.classes().stream().anyMatch(c -> !c.negated().isEmpty())
                    ? " It is odd in g, so members of opposite sign stay opposite." : "";
            rows.add(Row.keeps("SGD", "the theorem itself: equal gradients, equal steps; a zero gradient, no step."));
            rows.add(Row.keeps("momentum", "v ← μv + g per coordinate: equal gradient histories give equal velocities,"
                    + " and a frozen parameter's velocity stays 0." + odd));
            rows.add(Row.keeps("Nesterov", "the velocities as for momentum, and the look-ahead point θ − μv lies in the"
                    + " invariant subspace, where the certificates hold." + odd));
            rows.add(Row.keeps("RMSprop", "s ← ρs + (1 − ρ)g², step g/(√s + ε), per coordinate: equal histories give"
                    + " equal steps, a history of zeros gives 0." + odd));
            rows.add(Row.keeps("Adagrad", "s ← s + g², step g/(√s + ε), per coordinate: equal histories give equal steps,"
                    + " a history of zeros gives 0." + odd));
            rows.add(Row.keeps("Adadelta", "running averages of g² and of the squared steps, per coordinate, one rule"
                    + " for all: equal histories give equal steps, a history of zeros gives 0." + odd));
            rows.add(Row.keeps("Adam", "m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², step m̂/(√v̂ + ε), per coordinate:"
                    + " equal histories give equal steps, a history of zeros gives 0." + odd));
            rows.add(Row.keeps("gradient clipping by global norm", "every coordinate is scaled by the one factor"
                    + " min(1, c/‖g‖)."));
            rows.add(Row.keeps("gradient clipping per element", "clamp(g, −c, c) is one rule for every coordinate,"
                    + " odd and 0 at 0."));
            rows.addAll(penaltyRows());
            rows.add(learningRateRow());
            rows.add(brokenByRun("additive gradient noise", StepRule.Term.NOISE,
                    "independent noise per coordinate: ξ_a ≠ ξ_b parts two members at the first step, ξ_f ≠ 0 moves a"
                    + " frozen parameter.", claims, 1));
            rows.add(dropoutRow());
            rows.add(new Row("top-k routing with ties", Kind.DOES_NOT_APPLY, "the network has no top-k routing (the spec"
                    + " language and the ONNX importer have none).", "", List.of(), List.of()));
            rows.add(floatingPointRow());
            return new OptimiserVerdicts(rows, claims.size());
        }

        /** L2, decoupled decay (AdamW) and L1: proved once with every parameter not at 0 released. */
        private List<Row> penaltyRows() {
            String released = "proved again with only the parameters that start at 0 pinned (λθ and λ·sign θ move"
                    + " the others): that invariant subspace is linear, so λθ and λ·sign θ of a point in it point"
                    + " within it, and what that proof keeps survives.";
            List<String> names = List.of("L2 weight decay", "decoupled weight decay (AdamW)", "L1 penalty");
            List<StepRule> rules = List.of(rule(StepRule.Term.L2, false), rule(StepRule.Term.DECOUPLED, true),
                    rule(StepRule.Term.L1, false));
            List<Row> rows = new ArrayList<>();
            if (ProofEngine.specTerm(network) != StepRule.Term.NONE) {
                for (String name : names) {
                    rows.add(Row.keeps(name, "the theorem above is proved under weight decay (the spec's optimizer):"
                            + " every frozen parameter starts at 0, so λθ and λ·sign θ point within the invariant"
                            + " subspace."));
                }
                return rows;
            }
            if (proof.optimiserScope().decayMoves().isEmpty()) {
                for (String name : names) {
                    rows.add(Row.keeps(name, "no frozen parameter starts away from 0, so the invariant subspace"
                            + " is linear: λθ and λ·sign θ of a point in it point within it."));
                }
                return rows;
            }
            Proof underDecay = ProofEngine.prove(network, remaining(), phase -> { }, StepRule.Term.L2);
            List<ParameterClass> notKept = new ArrayList<>();
            for (ParameterClass c : claims) if (!keptBy(c, underDecay)) notKept.add(c);
            for (int i = 0; i < names.size(); i++) {
                rows.add(withRuns(names.get(i), released, rules.get(i), notKept, underDecay.rounds() + 1));
            }
            return rows;
        }

        /** Per-parameter learning rates: the spec's groups, or what different rates inside a class do. */
        private Row learningRateRow() {
            boolean declared = network.hasLearningRateGroups();
            if (declared) {
                return Row.keeps("per-parameter learning rates", "the theorem above is proved with the spec's learning"
                        + " rates ('lr' lines): no class has members with different rates, and a zero gradient gives"
                        + " no step at any rate.");
            }
            // Within each class, members at rates 1, 11/10, 12/10, …: a moving class parts at its first move.
            StepRule base = ProofEngine.stepRule(network, tape);
            Rational[] rates = base.rates();
            for (ParameterClass c : claims) {
                if (c.frozen()) continue;
                for (int k = 0; k < c.members().size(); k++) {
                    rates[tape.parameterIndex(c.members().get(k))] = Rational.ONE.add(Rational.of(k, 10));
                }
            }
            StepRule rule = new StepRule(rates, StepRule.Term.NONE, Rational.ZERO, false);
            List<ParameterClass> moving = claims.stream().filter(c -> !c.frozen()).toList();
            return withRuns("per-parameter learning rates", "a frozen parameter's gradient is 0, so no rate moves it; the"
                    + " members of a class that moves part at its first move when their rates differ; the runs give"
                    + " the k-th member of each class the rate (1 + (k − 1)/10)·η. Declare groups with 'lr' lines to"
                    + " have them proved.", rule, moving, proof.rounds() + 1);
        }

        private Row brokenByRun(String name, StepRule.Term term, String argument, List<ParameterClass> candidates,
                                int steps) {
            return withRuns(name, argument, rule(term, false), candidates, steps);
        }

        /**
         * The row for an optimiser whose own invariant state does not keep {@code candidates}:
         * each becomes "broken" once a run under {@code rule} parts it, else stays unsettled.
         */
        private Row withRuns(String name, String argument, StepRule rule, List<ParameterClass> candidates, int round) {
            return withRuns(name, argument, rule, candidates, round, network, tape, w -> w);
        }

        /** The same on another network (the masked one of dropout); {@code shown} rewrites each witness for the reader. */
        private Row withRuns(String name, String argument, StepRule rule, List<ParameterClass> candidates, int round,
                             Network network, Tape tape, UnaryOperator<Witness> shown) {
            if (candidates.isEmpty()) return Row.keeps(name, argument);
            boolean[] negated = new boolean[tape.parameterCount()];
            for (ParameterClass c : proof.classes()) {
                for (String m : c.negated()) negated[tape.parameterIndex(m)] = true;
            }
            List<InvariantSearch.Event> events = new ArrayList<>();
            for (ParameterClass c : candidates) events.addAll(eventsOf(c, round, tape));
            WitnessFinder finder = new WitnessFinder(network, tape, options.doubleDoubleFor(tape), negated, rule);
            List<Optional<Witness>> found = finder.find(events, ProofEngine.seedOf(network), deadline);
            List<Broken> broken = new ArrayList<>();
            List<List<String>> unsettled = new ArrayList<>();
            int e = 0;
            for (ParameterClass c : candidates) {
                List<InvariantSearch.Event> mine = eventsOf(c, round, tape);
                Broken first = null;
                for (InvariantSearch.Event event : mine) {
                    Optional<Witness> w = found.get(e++);
                    if (first == null && w.isPresent()) {
                        first = new Broken(c.members(), tape.parameterNames().get(event.first()),
                                event.second() < 0 ? null : tape.parameterNames().get(event.second()), shown.apply(w.get()));
                    }
                }
                if (first != null) broken.add(first);
                else unsettled.add(c.members());
            }
            Kind kind = !broken.isEmpty() ? Kind.BREAKS : unsettled.isEmpty() ? Kind.KEEPS : Kind.NOT_DECIDED;
            return new Row(name, kind, argument, rule.describe(), broken, unsettled);
        }

        /** A frozen class: each member's move; a class: its first member against each other one. */
        private static List<InvariantSearch.Event> eventsOf(ParameterClass c, int round, Tape tape) {
            List<InvariantSearch.Event> events = new ArrayList<>();
            int first = tape.parameterIndex(c.members().get(0));
            if (c.frozen()) {
                for (String m : c.members()) events.add(new InvariantSearch.Event(tape.parameterIndex(m), -1, round));
            } else {
                for (int k = 1; k < c.members().size(); k++) {
                    events.add(new InvariantSearch.Event(first, tape.parameterIndex(c.members().get(k)), round));
                }
            }
            return events;
        }

        /**
         * Dropout on every unit the spec names that the objective does not read directly (not on the
         * pieces of a softmax or norm, which no dropout layer reaches): proved again with an input
         * m_u multiplying each such unit (what holds for every value of the masks holds for every
         * dropout pattern, redrawn at every step), and each claim that proof does not keep shown
         * broken by a run whose masks are 0 or 2 (p = 1/2), held fixed over the steps: one pattern
         * dropout can draw.
         */
        private Row dropoutRow() {
            Dropout dropout = Dropout.of(network);
            List<String> masks = dropout.masks();
            Network masked = dropout.network();
            String name = "dropout";
            if (masks.isEmpty()) {
                return new Row(name, Kind.DOES_NOT_APPLY, "the objective reads every unit the spec names directly:"
                        + " there is no hidden unit to drop.", "", List.of(), List.of());
            }
            Proof everyMask = ProofEngine.prove(masked, remaining(), phase -> { }, ProofEngine.specTerm(network));
            List<ParameterClass> notKept = new ArrayList<>();
            for (ParameterClass c : claims) if (!keptBy(c, everyMask)) notKept.add(c);
            String argument = "proved again with an input m_u multiplying each of the " + masks.size() + " units the"
                    + " spec names and the objective does not read directly: what that proof keeps holds for every"
                    + " mask, so for every dropout pattern on those units at every step.";
            if (notKept.isEmpty()) return Row.keeps(name, argument);
            String runs = argument + " The runs drop units with masks of 0 or 2 (p = 1/2), drawn once per run and"
                    + " held over its steps.";
            // Mask patterns that happen to treat two members alike part nothing: a few draws, each for what is left.
            List<Broken> broken = new ArrayList<>();
            List<ParameterClass> left = notKept;
            String rule = "";
            for (int draw = 0; draw < MASK_DRAWS && !left.isEmpty() && System.nanoTime() < deadline; draw++) {
                Row row = dropoutRuns(masked, masks, left, everyMask.rounds() + 1, runs, draw);
                broken.addAll(row.broken());
                rule = row.run();
                List<String> parted = row.broken().stream().map(b -> b.claim().get(0)).toList();
                left = left.stream().filter(c -> !parted.contains(c.members().get(0))).toList();
            }
            List<List<String>> unsettled = left.stream().map(ParameterClass::members).toList();
            Kind kind = !broken.isEmpty() ? Kind.BREAKS : Kind.NOT_DECIDED;
            return new Row(name, kind, runs, rule, broken, unsettled);
        }

        /** Dropout rows try this many mask patterns for a claim before calling it unsettled. */
        private static final int MASK_DRAWS = 4;

        /** One run of the masked network on the spec's data (or two random samples) with masks drawn from {0, 2}. */
        private Row dropoutRuns(Network masked, List<String> masks, List<ParameterClass> candidates, int round,
                                String argument, int draw) {
            // Values of size about 1 keep tanh and softmax out of their flat tails, where steps hardly differ.
            RandomValues values = new RandomValues(network.assumptions(), ProofEngine.seedOf(network) + draw)
                    .scaledDownBy(network.inputs().size() + network.targets().size());
            Random coin = new Random(ProofEngine.seedOf(network) * 31 + draw);
            List<Map<String, Rational>> base = new ArrayList<>();
            if (network.data().isEmpty()) {
                for (int k = 0; k < 2; k++) {
                    Map<String, Rational> sample = new LinkedHashMap<>();
                    for (String in : network.inputs()) sample.put(in, values.small(in));
                    for (String t : network.targets()) sample.put(t, values.small(t));
                    base.add(sample);
                }
            } else {
                for (Sample sample : network.data()) base.add(new LinkedHashMap<>(sample.values()));
            }
            List<Sample> samples = new ArrayList<>();
            List<Map<String, String>> shownData = new ArrayList<>();
            for (Map<String, Rational> sample : base) {
                for (String mask : masks) sample.put(mask, coin.nextBoolean() ? Rational.ZERO : Rational.of(2));
                samples.add(new Sample(sample, SourcePos.NONE));
                Map<String, String> shown = new LinkedHashMap<>();
                sample.forEach((k, v) -> shown.put(k, v.toString()));
                shownData.add(shown);
            }
            Network withMasks = new Network(masked.name(), masked.inputs(), masked.targets(), masked.units(),
                    masked.objective(), masked.parameters(), masked.activations(), masked.layers(), samples,
                    masked.assumptions(), masked.optimizer());
            Tape maskedTape = Tape.compile(withMasks);
            return withRuns("dropout", argument, ProofEngine.stepRule(withMasks, maskedTape), candidates, round,
                    withMasks, maskedTape, w -> new Witness(new WitnessRun(w.run().start(), shownData,
                            w.run().learningRate(), w.run().activations(), w.run().exact(), w.run().arithmetic(),
                            w.run().rule()), w.step(), w.firstValue(), w.secondValue()));
        }

        /** Whether {@code other} keeps the claim: the members in one of its classes, a frozen one still frozen. */
        private static boolean keptBy(ParameterClass claim, Proof other) {
            for (ParameterClass c : other.classes()) {
                if (!c.members().contains(claim.members().get(0))) continue;
                if (claim.frozen()) {
                    return claim.members().stream().allMatch(m -> other.frozen().contains(m));
                }
                return !c.frozen() && c.members().containsAll(claim.members());
            }
            return false;
        }

        private Row floatingPointRow() {
            List<String> exactOnly = new ArrayList<>();
            for (ParameterClass c : claims) {
                Certificate.Kind k = c.certificate().kind();
                if (k == Certificate.Kind.SYMBOLIC || k == Certificate.Kind.RANDOMIZED) {
                    exactOnly.add(String.join(", ", c.signedMembers()));
                }
            }
            String structural = "a structural certificate means the members' computations mirror each other, operation"
                    + " for operation: in floating point they stay equal bit for bit as long as each mirrored sum is"
                    + " added in the same order (a kernel that blocks or parallelises a sum differently per member can"
                    + " part them by rounding, and training may then amplify the difference).";
            if (exactOnly.isEmpty()) {
                return new Row("floating-point summation order", Kind.KEEPS, structural + " Every claim here has one.",
                        "", List.of(), List.of());
            }
            return new Row("floating-point summation order", Kind.NOT_DECIDED, structural + " These claims rest on an"
                    + " identity of the exact values, which rounding does not respect, so in floats they hold only up"
                    + " to rounding: " + String.join("; ", exactOnly.stream().map(s -> "{" + s + "}").toList()) + ".",
                    "", List.of(), List.of());
        }

        private StepRule rule(StepRule.Term term, boolean adam) {
            return ProofEngine.stepRule(network, tape).withTerm(term, ProofEngine.TERM_STRENGTH).withAdam(adam);
        }

        /** What is left of the time budget for the proof under a penalty. */
        private ProofEngine.Options remaining() {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            return new ProofEngine.Options(Duration.ofMillis(left), options.provers(),
                    options.doubleDoubleFromNodes());
        }
    }

    /**
     * The network with dropout on every unit the spec names that the objective does not read
     * directly (not on the pieces of a softmax or norm netsym made, whose names have a dot, and
     * which no dropout layer reaches): each such unit multiplied by an input of its own, its mask.
     */
    record Dropout(Network network, List<String> masks) {
        static Dropout of(Network network) {
            Set<String> read = new HashSet<>();
            collectNames(network.objective(), read);
            Set<String> taken = new HashSet<>(network.inputs());
            taken.addAll(network.targets());
            network.units().forEach(u -> taken.add(u.name()));
            network.parameters().forEach(p -> taken.add(p.name()));
            List<String> masks = new ArrayList<>();
            List<Unit> units = new ArrayList<>();
            for (Unit u : network.units()) {
                if (read.contains(u.name()) || u.name().replaceAll("\\[.*", "").contains(".")) {
                    units.add(u);
                    continue;
                }
                String mask = "dropout_" + u.name();
                while (!taken.add(mask)) mask = mask + "_";
                masks.add(mask);
                units.add(new Unit(u.name(), new Expr.Product(
                        List.of(new Expr.Ref(mask), u.definition())), u.pos(), u.layer()));
            }
            List<String> inputs = new ArrayList<>(network.inputs());
            inputs.addAll(masks);
            Network masked = new Network(network.name(), inputs, network.targets(), units, network.objective(),
                    network.parameters(), network.activations(), network.layers(), List.of(), network.assumptions(),
                    network.optimizer());
            return new Dropout(masked, List.copyOf(masks));
        }

        private static void collectNames(Expr e, Set<String> into) {
            if (e instanceof Expr.Ref r) into.add(r.name());
            for (Expr c : e.children()) collectNames(c, into);
        }
    }
}
