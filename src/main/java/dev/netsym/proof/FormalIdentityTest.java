package dev.netsym.proof;

import dev.netsym.calculus.FormalModularArithmetic;
import dev.netsym.calculus.FormalSizeArithmetic;
import dev.netsym.calculus.FormalSizeArithmetic.Size;
import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.calculus.UnsupportedArithmeticException;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The randomized identity test for networks that are not rational (softmax, norms, tanh, gelu,
 * relu, max-pooling): every e^x, log, √, erfc and π, and every indicator of a piece (relu's
 * step, max's share, abs's sign), becomes an unknown of its own, the same for the same argument
 * ({@link FormalModularArithmetic}). The gradients are then rational functions
 * of the class values, the data and the unknowns, and a claim that holds for them as functions
 * holds for the unknowns' real values, hence for the network. The converse fails: a claim that
 * needs a relation of the reals (e^(log a) = a, or that a step is 0 or 1) is left to the other
 * provers, never refuted here.
 *
 * <p>Every point, each modulo its own random prime above 2^61, must agree. One point misleads
 * only if the difference vanishes there (Schwartz–Zippel, from the degree), its prime divides
 * every coefficient, or two different arguments of one function meet there and merge two
 * unknowns (the same two causes for each pair of arguments). The points are independent, so
 * k points mislead with at most the k-th power of one point's chance: a big network, whose
 * gradients have large degrees and coefficients, is tested at as many points as its bound needs.
 */
final class FormalIdentityTest implements ProofCertifier.EqualityProver {
    /** A certificate is given only below this chance of a false claim. */
    static final double LARGEST_ERROR = 1e-12;
    /** At least this many points, so that one unlucky prime never decides alone. */
    private static final int FEWEST_POINTS = 2;
    /** At most this many: each point is one more gradient per sample in modular arithmetic. */
    private static final int MOST_POINTS = 12;
    private static final int ATTEMPTS = 20;

    private final Network network;
    private final Tape tape;
    private final Parameter[] parameters;
    private final long seed;
    /** The whole proof's deadline: working out a bound may take half of what is left. */
    private final long deadlineNanos;
    private Evidence cached;

    /** The gradient at one point, per sample, in that point's residues. */
    private record Point(FormalModularArithmetic residues, List<Long[]> gradients) {
        /** s·g for s = −1 when negated. */
        long signed(Long[] g, int p, boolean negate) { return negate ? residues.negate(g[p]) : g[p]; }
    }

    /**
     * The points of one state. Most claims that fail, fail at the first point, so the bound
     * that says how many points a certificate needs, and the later points, are worked out when
     * a claim first agrees at the first.
     */
    private final class Evidence {
        private final List<Point> points = new ArrayList<>();
        private final int[] classOf;
        private final boolean[] pinned;
        private final boolean[] negated;
        private boolean complete;
        /** Null until a claim first agrees at the first point. */
        private Bound bound;

        Evidence(Point first, int[] classOf, boolean[] pinned, boolean[] negated) {
            points.add(first);
            this.classOf = classOf;
            this.pinned = pinned;
            this.negated = negated;
        }

        /**
         * Proved when the claim holds at every point the bound asks for; the bound and the
         * later points are worked out when a claim first holds at the first. Unknown when it
         * fails at a point or the bound cannot reach {@link #LARGEST_ERROR} within
         * {@link #MOST_POINTS} points; cut short when the bound ran out of time or memory.
         */
        ProverVerdict verdict(java.util.function.BiPredicate<Point, Long[]> claim) {
            for (int index = 0; ; index++) {
                if (index == 1 && bound == null) bound = errorBound(classOf, pinned, negated);
                if (index >= 1 && bound.cutShort()) return ProverVerdict.CUT_SHORT;
                if (index >= 1 && bound.points() == 0) return ProverVerdict.UNKNOWN;
                if (index >= 1 && index == bound.points()) return ProverVerdict.proved(certificate(bound));
                if (index == points.size()) {
                    if (complete) return ProverVerdict.UNKNOWN;
                    Point next = point(index, classOf, pinned, negated);
                    if (next == null) {
                        complete = true;
                        return ProverVerdict.UNKNOWN;
                    }
                    points.add(next);
                }
                for (Long[] g : points.get(index).gradients()) {
                    if (!claim.test(points.get(index), g)) return ProverVerdict.UNKNOWN;
                }
            }
        }
    }

    private FormalIdentityTest(Network network, Tape tape, long seed, long deadlineNanos) {
        this.network = network;
        this.tape = tape;
        this.parameters = Parameters.inTapeOrder(network, tape);
        this.seed = seed;
        this.deadlineNanos = deadlineNanos;
    }

    /** The test, when every function of the network has a comparison-free form (today all have). */
    static Optional<FormalIdentityTest> forNetwork(Network network, Tape tape, long seed, long deadlineNanos) {
        if (!new FormalModularArithmetic(seed).supports(tape)) return Optional.empty();
        return Optional.of(new FormalIdentityTest(network, tape, seed, deadlineNanos));
    }

    @Override
    public ProverVerdict proveEqual(int[] classOf, boolean[] pinned, boolean[] negated, int first, int second) {
        Evidence evidence = evidence(classOf, pinned, negated);
        if (evidence == null) return ProverVerdict.UNKNOWN;
        return evidence.verdict((point, g) -> point.signed(g, first, negated[first]) == point.signed(g, second, negated[second]));
    }

    @Override
    public ProverVerdict proveZero(int[] classOf, boolean[] pinned, boolean[] negated, int parameter) {
        Evidence evidence = evidence(classOf, pinned, negated);
        if (evidence == null) return ProverVerdict.UNKNOWN;
        return evidence.verdict((point, g) -> point.residues().isZero(g[parameter]));
    }

    /**
     * The certifier is about to ask about another state; its arrays stay unchanged while it asks.
     * The evidence is computed on the first question, not here: most states need none.
     */
    void startState(int[] classOf, boolean[] pinned, boolean[] negated) {
        stateClassOf = classOf;
        statePinned = pinned;
        stateNegated = negated;
        computed = false;
        cached = null;
    }

    private int[] stateClassOf;
    private boolean[] statePinned;
    private boolean[] stateNegated;
    private boolean computed;

    /** The evidence for the current state, computed once; null when the points cannot be evaluated or the bound is too weak. */
    private Evidence evidence(int[] classOf, boolean[] pinned, boolean[] negated) {
        if (classOf != stateClassOf || pinned != statePinned || negated != stateNegated) {
            throw new IllegalStateException("asked about a state other than the one started");
        }
        if (!computed) {
            computed = true;
            cached = compute(classOf, pinned, negated);
        }
        return cached;
    }

    private Evidence compute(int[] classOf, boolean[] pinned, boolean[] negated) {
        Point first = point(0, classOf, pinned, negated);
        return first == null ? null : new Evidence(first, classOf, pinned, negated);
    }

    /** The gradients at the index-th random point; null when no point could be evaluated. */
    private Point point(int index, int[] classOf, boolean[] pinned, boolean[] negated) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // Each point its own prime, its own unknowns and its own values: the points are independent.
            SplittableRandom seeds = new SplittableRandom(seed ^ (0x666F726D616CL * (1 + index)) ^ ((long) attempt << 40));
            FormalModularArithmetic residues = new FormalModularArithmetic(seeds.nextLong());
            try {
                return new Point(residues, evaluate(residues, classOf, pinned, negated, seeds.nextLong()));
            } catch (ArithmeticException e) {
                // A denominator vanished at this point: draw another.
            } catch (UnsupportedArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static Certificate certificate(Bound bound) {
        return new Certificate(Certificate.Kind.RANDOMIZED, String.format(
                "equal at %d independent random points, each modulo its own random prime above 2^61, with every"
                        + " e^x, σ, log, √, erfc, π and step of a piece an unknown of its own (the same for the same argument);"
                        + " the chance of"
                        + " a false claim is at most %.1e", bound.points(), bound.chance(bound.points())), Optional.empty());
    }

    /**
     * The chance that a claim false as an identity holds at one point (for the sample where it
     * fails), and the number of samples, whose union bound multiplies it; cut short when it was
     * not worked out in the time or memory there was.
     */
    record Bound(double perPoint, int samples, boolean cutShort) {
        Bound(double perPoint, int samples) {
            this(perPoint, samples, false);
        }

        static final Bound CUT_SHORT = new Bound(Double.POSITIVE_INFINITY, 1, true);

        /** The chance that k independent points all mislead about some sample. */
        double chance(int points) {
            return samples * Math.pow(perPoint, points);
        }

        /** The fewest points, at least {@link #FEWEST_POINTS}, whose chance is below {@link #LARGEST_ERROR}; 0 when more than {@link #MOST_POINTS} would be needed. */
        int points() {
            for (int k = FEWEST_POINTS; k <= MOST_POINTS; k++) if (chance(k) < LARGEST_ERROR) return k;
            return 0;
        }
    }

    /** Per sample: the gradient at one random point of the state's subspace. */
    private List<Long[]> evaluate(FormalModularArithmetic residues, int[] classOf, boolean[] pinned, boolean[] negated,
                                  long pointSeed) {
        RandomValues draw = new RandomValues(List.of(), pointSeed);
        Map<String, Long> symbols = new HashMap<>();
        Map<Integer, Long> classes = new HashMap<>();
        Long[] values = new Long[parameters.length];
        for (int p = 0; p < values.length; p++) {
            Init init = parameters[p].init();
            if (pinned[p] && init instanceof Init.Numeric num) {
                values[p] = residues.fromRational(num.value());
            } else if (pinned[p]) {
                String symbol = init instanceof Init.Symbolic s ? s.symbol() : parameters[p].name();
                Long value = symbols.computeIfAbsent(symbol, k -> residue(residues, draw));
                values[p] = init instanceof Init.Symbolic s ? residues.multiply(residues.fromRational(s.coefficient()), value) : value;
            } else {
                Long value = classes.computeIfAbsent(classOf[p], k -> residue(residues, draw));
                values[p] = negated[p] ? residues.negate(value) : value;
            }
        }
        List<Long[]> result = new ArrayList<>();
        for (Long[] data : Samples.specOrDrawn(network, tape, residues, i -> residue(residues, draw))) {
            result.add(tape.gradient(residues, values, data));
        }
        return result;
    }

    private static Long residue(FormalModularArithmetic residues, RandomValues draw) {
        return residues.fromRational(dev.netsym.model.Rational.of(draw.residue()));
    }

    /**
     * The chance that one point agrees on a claim that is false as an identity, from the
     * sizes of the gradients and of the unknowns' arguments (a pinned start is a number or a
     * multiple of its symbol, everything else a variable of its own). Two unknowns merge only
     * when two arguments of one function meet, so the pairs are counted per function, each
     * function with the sizes of its own arguments.
     */
    private Bound errorBound(int[] classOf, boolean[] pinned, boolean[] negated) {
        long now = System.nanoTime();
        long stop = now + Math.max(0, deadlineNanos - now) / 2;
        try {
            return errorBound(classOf, pinned, negated, stop);
        } catch (FormalSizeArithmetic.OverTime | OutOfMemoryError e) {
            // The sizes of a big network's gradients (every node's denominator, factor by factor)
            // are local to this computation: out of memory here leaves the rest of the proof its heap.
            return Bound.CUT_SHORT;
        }
    }

    private Bound errorBound(int[] classOf, boolean[] pinned, boolean[] negated, long stopNanos) {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic(stopNanos);
        Size[] values = new Size[parameters.length];
        // Members of a class share one variable (its negative for negated members), as at the
        // points; every other variable is one of its own.
        Map<Integer, Size> classes = new HashMap<>();
        Map<Integer, Size> negatedClasses = new HashMap<>();
        for (int p = 0; p < values.length; p++) {
            Init init = parameters[p].init();
            values[p] = !pinned[p] && negated[p]
                    ? negatedClasses.computeIfAbsent(classOf[p], k -> sizes.negate(classes.computeIfAbsent(k, c -> Size.variable())))
                    : !pinned[p] ? classes.computeIfAbsent(classOf[p], k -> Size.variable())
                    : init instanceof Init.Numeric num ? sizes.fromRational(num.value())
                    : init instanceof Init.Symbolic s ? sizes.multiply(sizes.fromRational(s.coefficient()), Size.variable())
                    : Size.variable();
        }
        List<Size[]> samples = Samples.specOrDrawn(network, tape, sizes, i -> Size.variable());
        double perPoint = 0;
        for (Size[] data : samples) {
            FormalSizeArithmetic.DifferenceBound gradients;
            FormalSizeArithmetic sample = new FormalSizeArithmetic(stopNanos);
            try {
                gradients = FormalSizeArithmetic.ofDifferences(List.of(tape.gradient(sample, values, data)));
            } catch (UnsupportedArithmeticException | ArithmeticException e) {
                // A function without a size, or a factor's multiplicity past an int: no bound.
                return new Bound(Double.POSITIVE_INFINITY, samples.size());
            }
            double roots = gradients.degree() / ModularArithmetic.SAMPLING_SET_SIZE;
            double primeDivides = ModularArithmetic.probabilityModulusDividesContent(gradients.bits());
            for (List<Size> arguments : sample.argumentsByFunction().values()) {
                double pairs = arguments.size() * (double) (arguments.size() - 1) / 2;
                if (pairs == 0) continue;
                // Two valid bounds: every pair over all the arguments' common denominator, or each
                // pair over its own, summed (the chance per pair is at most linear in the bits).
                FormalSizeArithmetic.DifferenceBound differences = FormalSizeArithmetic.ofDifferences(arguments);
                FormalSizeArithmetic.PairSums pairSums = FormalSizeArithmetic.ofPairs(arguments);
                roots += Math.min(pairs * differences.degree(), pairSums.degree()) / ModularArithmetic.SAMPLING_SET_SIZE;
                primeDivides += Math.min(pairs * ModularArithmetic.probabilityModulusDividesContent(differences.bits()),
                        ModularArithmetic.probabilityModulusDividesContent(pairSums.bits()));
            }
            perPoint = Math.max(perPoint, roots + primeDivides);
        }
        return new Bound(perPoint, samples.size());
    }
}
