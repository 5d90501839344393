package dev.netsym.proof;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.ArithmeticKind;
import dev.netsym.calculus.DoubleDoubleArithmetic;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.NaturalOrder;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Computes the {@link Proof} for a network: the entry point of the proof stage. */
public final class ProofEngine {
    /**
     * How long a whole proof may take, extra provers for what the structure cannot show, and
     * from how many tape nodes on a network that needs decimals is evaluated in double-double
     * instead (0: always; tests use it to run the big-network path on small networks). A network
     * with fewer nodes but many parameters goes the same way (see {@link #doubleDoubleFor}).
     */
    public record Options(Duration timeout, List<ProofCertifier.EqualityProver> provers, int doubleDoubleFromNodes) {
        /**
         * 50-digit decimals cost tens of microseconds an operation: fine for the small networks
         * whose proofs are also shown symbolically, too slow for a million edges.
         */
        public static final int DOUBLE_DOUBLE_FROM_NODES = 20_000;

        public Options(Duration timeout, List<ProofCertifier.EqualityProver> provers) {
            this(timeout, provers, DOUBLE_DOUBLE_FROM_NODES);
        }

        /**
         * Nodes times parameters from which decimals are too slow, per node of the threshold: a
         * proof evaluates the tape for every separation it shows, and separations grow with the
         * parameters. The transformer toys of the scale benchmark (13k nodes, 1,920 parameters)
         * ran 1.5x slower in decimals; every example (at most 3,711 nodes and 1.9M) stays in them.
         */
        static final long WORK_PER_NODE = 200;

        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), List.of());
        }

        /** Whether a network that needs decimals is evaluated in double-double instead. */
        boolean doubleDoubleFor(Tape tape) {
            long work = (long) tape.nodeCount() * tape.parameterCount();
            return ArithmeticKind.requiredFor(tape) == ArithmeticKind.DECIMAL
                    && (tape.nodeCount() >= doubleDoubleFromNodes || work >= doubleDoubleFromNodes * WORK_PER_NODE);
        }
    }

    private ProofEngine() {}

    public static Proof prove(Network network, Options options) {
        return prove(network, options, phase -> { });
    }

    /** The same, telling {@code progress} what it is doing at each phase of a long proof. */
    public static Proof prove(Network network, Options options, Consumer<String> progress) {
        return prove(network, options, progress, specTerm(network));
    }

    /** The penalty on θ the spec's optimiser applies: AdamW's decoupled weight decay, or none. */
    static StepRule.Term specTerm(Network network) {
        return network.optimizer().equalsIgnoreCase("adamw") ? StepRule.Term.DECOUPLED : StepRule.Term.NONE;
    }

    /** The λ of the witness runs under a penalty: any λ > 0 shows what a penalty breaks. */
    static final Rational TERM_STRENGTH = Rational.of(1, 10);

    /** The proof for the spec's learning rates under {@code penalty} instead of the spec's own. */
    static Proof prove(Network network, Options options, Consumer<String> progress, StepRule.Term penalty) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        progress.accept("compiling the network (" + network.parameters().size() + " parameters)");
        Tape tape = Tape.compile(network);
        long seed = seedOf(network);
        ArithmeticKind kind = ArithmeticKind.requiredFor(tape);
        boolean doubleDouble = options.doubleDoubleFor(tape);
        Arithmetic<?> arithmetic = doubleDouble ? new DoubleDoubleArithmetic(seed) : kind.create(seed);
        StepRule rule = stepRule(network, tape).withTerm(penalty, penalty == StepRule.Term.NONE ? Rational.ZERO
                : TERM_STRENGTH);
        return prove(network, tape, arithmetic, kind, doubleDouble, seed, deadline, options, progress, rule);
    }

    /** The spec's learning rate of every parameter, in the tape's order, and no penalty. */
    static StepRule stepRule(Network network, Tape tape) {
        Parameter[] parameters = Parameters.inTapeOrder(network, tape);
        Rational[] rates = new Rational[parameters.length];
        for (int p = 0; p < rates.length; p++) rates[p] = parameters[p].learningRate();
        return new StepRule(rates, StepRule.Term.NONE, Rational.ZERO, false);
    }

    private static <T> Proof prove(Network network, Tape tape, Arithmetic<T> arithmetic, ArithmeticKind kind,
                                   boolean doubleDouble, long seed, long deadline, Options options,
                                   Consumer<String> progress, StepRule rule) {
        InvariantSearch<T> search = new InvariantSearch<>(network, tape, arithmetic, seed, deadline, rule, progress);
        // A network that is not rational: the identity test with unknowns for e^x, σ, log, √, erfc and the pieces.
        Optional<FormalIdentityTest> formal = kind == ArithmeticKind.MODULAR ? Optional.empty()
                : FormalIdentityTest.forNetwork(network, tape, seed, deadline);
        ProofCertifier certifier = new ProofCertifier(network, tape, kind == ArithmeticKind.MODULAR, options.provers(), formal);
        search.run(certifier);

        List<String> names = tape.parameterNames();
        int[] classOf = search.classOf();
        boolean[] pinned = search.pinned();
        boolean[] negated = search.negated();
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < names.size(); p++) order.add(p);
        order.sort(Comparator.comparing(names::get, NaturalOrder.INSTANCE));
        // A frozen class's members each stay at their own start: shown apart by sign, as two classes.
        for (int p : order) {
            int key = pinned[p] && negated[p] ? -1 - classOf[p] : classOf[p];
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }

        Parameter[] parameters = Parameters.inTapeOrder(network, tape);
        List<ParameterClass> classes = new ArrayList<>();
        List<List<String>> undecided = new ArrayList<>();
        if (search.timedOut()) {
            // Nothing was certified: claim nothing, and report what the random points suggested as undecided.
            for (List<Integer> ms : members.values()) {
                for (int k = 1; k < ms.size(); k++) undecided.add(List.of(names.get(ms.get(0)), names.get(ms.get(k))));
                if (pinned[ms.get(0)]) ms.forEach(m -> undecided.add(List.of(names.get(m))));
            }
            members.clear();
            for (int p : order) members.put(p, List.of(p));
            pinned = new boolean[pinned.length];
        }
        ClassSymbols symbols = ClassSymbols.of(network);
        int symbol = 0;
        for (var entry : members.entrySet()) {
            List<Integer> ms = entry.getValue();
            boolean frozen = pinned[ms.get(0)];
            Parameter first = parameters[ms.get(0)];
            String initial = first.init() instanceof dev.netsym.model.Init.Random ? first.name() + "(0)"
                    : first.init().toString();
            Certificate certificate = search.timedOut() ? Certificate.trivial()
                    : certifier.certificates().getOrDefault(entry.getKey() < 0 ? -1 - entry.getKey() : entry.getKey(),
                    Certificate.trivial());
            List<String> minus = frozen ? List.of() : ms.stream().filter(m -> negated[m]).map(names::get).toList();
            classes.add(new ParameterClass(frozen ? initial : symbols.symbol(++symbol),
                    ms.stream().map(names::get).toList(), frozen, initial, certificate, minus));
        }

        progress.accept("certifying the refinement rounds as steps");
        TimelineProof<T> timelineProof = new TimelineProof<>(network, tape, search);
        List<InvariantSearch.State> chain = search.timedOut() ? List.of(search.states().get(0))
                : timelineProof.certifiedChain(certifier, deadline);
        List<InvariantSearch.Event> events = search.events();
        progress.accept("finding witness runs for " + events.size() + " separations");
        WitnessFinder finder = new WitnessFinder(network, tape, doubleDouble, negated, rule);
        // A step is exact only when a run moves the parameter there: frozen ones need no run.
        int[] notBefore = new int[names.size()];
        for (int p = 0; p < notBefore.length; p++) {
            if (!pinned[p] && !search.timedOut()) notBefore[p] = TimelineProof.notBefore(chain, p);
        }
        List<Optional<Witness>> witnesses = finder.find(events, notBefore, seed, deadline);
        // A separation is claimed only with a run that shows it; the rest is reported as undecided.
        List<Separation> separations = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            InvariantSearch.Event e = events.get(i);
            String second = e.second() < 0 ? null : names.get(e.second());
            if (witnesses.get(i).isPresent()) {
                int stepBound = second == null ? TimelineProof.notBefore(chain, e.first())
                        : TimelineProof.splitNotBefore(chain, e.first(), e.second());
                separations.add(new Separation(names.get(e.first()), second, e.round(), Optional.empty(),
                        witnesses.get(i).get(), second != null && negated[e.first()] != negated[e.second()],
                        Math.max(1, stepBound)));
            } else {
                undecided.add(second == null ? List.of(names.get(e.first())) : List.of(names.get(e.first()), second));
            }
        }
        List<String> cutShort = new ArrayList<>(certifier.cutShort());
        if (search.timedOut()) cutShort.add(0, "the refinement and certification of the classes");
        if (System.nanoTime() > deadline && !undecided.isEmpty()) cutShort.add("the search for witness runs");
        Timeline timeline = Timeline.NONE;
        if (!search.timedOut()) {
            progress.accept("explaining the frozen parameters");
            timeline = timelineProof.timeline(chain, pinned, finder.earliestMoves(), deadline);
        }
        return new Proof(network, classes, separations, undecided, certifier.unitClasses(),
                doubleDouble ? "double-double" : kind.name().toLowerCase(), search.rounds(), !cutShort.isEmpty(),
                List.of(), Optional.empty(), cutShort, timeline);
    }

    /** The same spec always gives the same random choices, hence byte-identical output. */
    static long seedOf(Network network) {
        long h = 0x9E3779B97F4A7C15L;
        h = h * 31 + network.name().hashCode();
        for (Parameter p : network.parameters()) h = h * 31 + p.name().hashCode() + p.init().toString().hashCode();
        for (Unit u : network.units()) h = h * 31 + u.name().hashCode();
        return h;
    }
}
