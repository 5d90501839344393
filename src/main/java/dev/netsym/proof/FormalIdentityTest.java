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
 * <p>Two points, each modulo its own random prime above 2^61, must both agree. One point misleads
 * only if the difference vanishes there (Schwartz–Zippel, from the degree), its prime divides
 * every coefficient, or two different arguments of one function meet there and merge two
 * unknowns (the same two causes for each pair of arguments). The points are independent, so
 * the bound is the square of one point's.
 */
final class FormalIdentityTest implements ProofCertifier.EqualityProver {
    /** A certificate is given only below this chance of a false claim. */
    static final double LARGEST_ERROR = 1e-12;
    private static final int POINTS = 2;
    private static final int ATTEMPTS = 20;

    private final Network network;
    private final Tape tape;
    private final Parameter[] parameters;
    private final long seed;
    private Evidence cached;

    /** The gradient at one point, per sample, in that point's residues. */
    private record Point(FormalModularArithmetic residues, List<Long[]> gradients) {
        /** s·g for s = −1 when negated. */
        long signed(Long[] g, int p, boolean negate) { return negate ? residues.negate(g[p]) : g[p]; }
    }

    /**
     * The points of one state. Most claims that fail, fail at the first point, so the second
     * point, and the bound that turns agreement into a certificate, are worked out when a claim
     * first agrees at the first.
     */
    private final class Evidence {
        private final List<Point> points = new ArrayList<>();
        private final int[] classOf;
        private final boolean[] pinned;
        private final boolean[] negated;
        private boolean complete;
        private Optional<Certificate> certificate;

        Evidence(Point first, int[] classOf, boolean[] pinned, boolean[] negated) {
            points.add(first);
            this.classOf = classOf;
            this.pinned = pinned;
            this.negated = negated;
        }

        /** Whether the claim holds at every point; the later points are evaluated when the first agree. */
        boolean holds(java.util.function.BiPredicate<Point, Long[]> claim) {
            for (int index = 0; index < POINTS; index++) {
                if (index == points.size()) {
                    if (complete) return false;
                    Point next = point(index, classOf, pinned, negated);
                    if (next == null) {
                        complete = true;
                        return false;
                    }
                    points.add(next);
                }
                for (Long[] g : points.get(index).gradients()) {
                    if (!claim.test(points.get(index), g)) return false;
                }
            }
            return true;
        }

        /** A verdict for a claim that held at every point: proved when the bound is small enough. */
        ProverVerdict agreed() {
            if (certificate == null) certificate = certificate(errorBound(classOf, pinned, negated));
            return certificate.map(ProverVerdict::proved).orElse(ProverVerdict.UNKNOWN);
        }
    }

    private FormalIdentityTest(Network network, Tape tape, long seed) {
        this.network = network;
        this.tape = tape;
        this.parameters = Parameters.inTapeOrder(network, tape);
        this.seed = seed;
    }

    /** The test, when every function of the network has a comparison-free form (today all have). */
    static Optional<FormalIdentityTest> forNetwork(Network network, Tape tape, long seed) {
        if (!new FormalModularArithmetic(seed).supports(tape)) return Optional.empty();
        return Optional.of(new FormalIdentityTest(network, tape, seed));
    }

    @Override
    public ProverVerdict proveEqual(int[] classOf, boolean[] pinned, boolean[] negated, int first, int second) {
        Evidence evidence = evidence(classOf, pinned, negated);
        if (evidence == null) return ProverVerdict.UNKNOWN;
        boolean holds = evidence.holds((point, g) -> point.signed(g, first, negated[first]) == point.signed(g, second, negated[second]));
        return holds ? evidence.agreed() : ProverVerdict.UNKNOWN;
    }

    @Override
    public ProverVerdict proveZero(int[] classOf, boolean[] pinned, boolean[] negated, int parameter) {
        Evidence evidence = evidence(classOf, pinned, negated);
        if (evidence == null) return ProverVerdict.UNKNOWN;
        boolean holds = evidence.holds((point, g) -> point.residues().isZero(g[parameter]));
        return holds ? evidence.agreed() : ProverVerdict.UNKNOWN;
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

    private static Optional<Certificate> certificate(double bound) {
        if (!(bound < LARGEST_ERROR)) return Optional.empty();
        return Optional.of(new Certificate(Certificate.Kind.RANDOMIZED, String.format(
                "equal at 2 independent random points, each modulo its own random prime above 2^61, with every"
                        + " e^x, log, √, erfc, π and step of a piece an unknown of its own (the same for the same argument);"
                        + " the chance of"
                        + " a false claim is at most %.1e", bound), Optional.empty()));
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
     * The chance that both points agree on a claim that is false as an identity, from the
     * sizes of the gradients and of the unknowns' arguments (a pinned start is a number or a
     * multiple of its symbol, everything else a variable of its own). Two unknowns merge only
     * when two arguments of one function meet, so the pairs are counted per function, each
     * function with the sizes of its own arguments.
     */
    private double errorBound(int[] classOf, boolean[] pinned, boolean[] negated) {
        FormalSizeArithmetic sizes = new FormalSizeArithmetic();
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
            FormalSizeArithmetic sample = new FormalSizeArithmetic();
            try {
                gradients = FormalSizeArithmetic.ofDifferences(List.of(tape.gradient(sample, values, data)));
            } catch (UnsupportedArithmeticException e) {
                return Double.POSITIVE_INFINITY;
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
        return samples.size() * perPoint * perPoint;
    }
}
