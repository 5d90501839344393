package dev.netsym.proof;

import dev.netsym.calculus.ArithmeticKind;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
            rows.add(new Row("dropout", Kind.NOT_DECIDED, "not modelled yet: a mask per unit multiplies units the"
                    + " classes treat alike by different factors, which generally parts them, but netsym proves"
                    + " nothing about masks.", "", List.of(), List.of()));
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
            Proof released0 = ProofEngine.prove(network, remaining(), phase -> { }, StepRule.Term.L2);
            List<ParameterClass> notKept = new ArrayList<>();
            for (ParameterClass c : claims) if (!keptBy(c, released0)) notKept.add(c);
            for (int i = 0; i < names.size(); i++) {
                rows.add(withRuns(names.get(i), released, rules.get(i), notKept, released0.rounds() + 1));
            }
            return rows;
        }

        /** Per-parameter learning rates: the spec's groups, or what different rates inside a class do. */
        private Row learningRateRow() {
            boolean declared = network.parameters().stream().anyMatch(p -> !p.learningRate().equals(Rational.ONE));
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
            if (candidates.isEmpty()) return Row.keeps(name, argument);
            boolean[] negated = new boolean[tape.parameterCount()];
            for (ParameterClass c : proof.classes()) {
                for (String m : c.negated()) negated[tape.parameterIndex(m)] = true;
            }
            List<InvariantSearch.Event> events = new ArrayList<>();
            for (ParameterClass c : candidates) events.addAll(eventsOf(c, round));
            boolean doubleDouble = ArithmeticKind.requiredFor(tape) == ArithmeticKind.DECIMAL
                    && tape.nodeCount() >= options.doubleDoubleFromNodes();
            WitnessFinder finder = new WitnessFinder(network, tape, doubleDouble, negated, rule);
            List<Optional<Witness>> found = finder.find(events, ProofEngine.seedOf(network), deadline);
            List<Broken> broken = new ArrayList<>();
            List<List<String>> unsettled = new ArrayList<>();
            int e = 0;
            for (ParameterClass c : candidates) {
                List<InvariantSearch.Event> mine = eventsOf(c, round);
                Broken shown = null;
                for (InvariantSearch.Event event : mine) {
                    Optional<Witness> w = found.get(e++);
                    if (shown == null && w.isPresent()) {
                        shown = new Broken(c.members(), tape.parameterNames().get(event.first()),
                                event.second() < 0 ? null : tape.parameterNames().get(event.second()), w.get());
                    }
                }
                if (shown != null) broken.add(shown);
                else unsettled.add(c.members());
            }
            Kind kind = !broken.isEmpty() ? Kind.BREAKS : unsettled.isEmpty() ? Kind.KEEPS : Kind.NOT_DECIDED;
            return new Row(name, kind, argument, rule.describe(), broken, unsettled);
        }

        /** A frozen class: each member's move; a class: its first member against each other one. */
        private List<InvariantSearch.Event> eventsOf(ParameterClass c, int round) {
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
            return new ProofEngine.Options(java.time.Duration.ofMillis(left), options.provers(),
                    options.doubleDoubleFromNodes());
        }
    }
}
