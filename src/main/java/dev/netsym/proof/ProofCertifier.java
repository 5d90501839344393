package dev.netsym.proof;

import dev.netsym.calculus.CoefficientBound;
import dev.netsym.calculus.DegreeBound;
import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.Sign;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Certifies the state the numeric refinement settled on: first by colour refinement (a
 * structural proof, valid for any activation); what that cannot prove, by the symbolic
 * engine on small networks or by the randomized identity test for rational functions.
 * What nothing proves is split off as undecided.
 */
final class ProofCertifier implements InvariantSearch.Certifier {
    /** Decides an equality the structure could not; empty when it cannot. */
    interface EqualityProver {
        /** Whether s_first·g_first = s_second·g_second on the subspace (s = −1 for negated members). */
        ProverVerdict proveEqual(int[] classOf, boolean[] pinned, boolean[] negated, int first, int second);

        ProverVerdict proveZero(int[] classOf, boolean[] pinned, boolean[] negated, int parameter);
    }

    private final Network network;
    private final Tape tape;
    private final boolean modular;
    private final RandomValues signs;
    private final List<EqualityProver> provers;
    /** The identity test for networks that are not rational, told of each state before it is asked. */
    private final Optional<FormalIdentityTest> formal;
    private final Parameter[] parameters;
    /** Per final class id: its certificate, filled on the last, successful pass. */
    private Map<Integer, Certificate> certificates = Map.of();
    private List<List<String>> unitClasses = List.of();

    ProofCertifier(Network network, Tape tape, boolean modular, List<EqualityProver> provers,
                   Optional<FormalIdentityTest> formal) {
        this.network = network;
        this.tape = tape;
        this.modular = modular;
        this.signs = new RandomValues(network.assumptions(), 0);
        this.formal = formal;
        List<EqualityProver> all = new ArrayList<>(provers);
        formal.ifPresent(all::add);
        this.provers = all;
        parameters = Parameters.inTapeOrder(network, tape);
    }

    Map<Integer, Certificate> certificates() { return certificates; }

    List<List<String>> unitClasses() { return unitClasses; }

    @Override
    public boolean certifyOrSplit(InvariantSearch<?> search) {
        int[] classOf = search.classOf();
        boolean[] pinned = search.pinned();
        boolean[] negated = search.negated();
        int n = classOf.length;
        randomizedForState = null;
        statePinned = pinned.clone();
        formal.ifPresent(f -> f.startState(classOf, pinned, negated));
        List<StructuralColouring> colourings = colourings(classOf, pinned, negated);
        unitClasses = unitClasses(colourings.get(0));

        // Structural groups: parameters with the same gradient colour in every colouring (a
        // group id per (class, colour, colour, ...), one pairing per colouring, on primitive keys).
        int[] group = classOf.clone();
        boolean[] zeroProved = new boolean[n];
        Arrays.fill(zeroProved, true);
        for (StructuralColouring c : colourings) {
            LongIds ids = new LongIds(n);
            for (int p = 0; p < n; p++) {
                group[p] = ids.idOf(LongIds.pair(group[p], c.signedGradientColour(p, negated[p])));
                zeroProved[p] &= c.gradientIsZero(p);
            }
        }

        Map<Integer, Certificate> result = new HashMap<>();
        Map<Integer, Integer> firstOfClass = new HashMap<>();
        Map<Integer, Integer> countOfClass = new HashMap<>();
        for (int p = 0; p < n; p++) {
            firstOfClass.putIfAbsent(classOf[p], p);
            countOfClass.merge(classOf[p], 1, Integer::sum);
        }
        double degree = modular && tape.genericActivationsUsed().isEmpty()
                ? DegreeBound.ofGradientDifference(tape) : Double.POSITIVE_INFINITY;

        boolean split = false;
        Map<Integer, ProverVerdict> groupVerdicts = new HashMap<>();
        int[] mergedGroup = group.clone();
        boolean[] keepPinned = pinned.clone();
        for (int p = 0; p < n; p++) {
            int cls = classOf[p];
            int first = firstOfClass.get(cls);
            Certificate cert = result.get(cls);
            if (pinned[p] && !zeroProved[p]) {
                final int member = p;
                ProverVerdict other = decide(prover -> prover.proveZero(classOf, pinned, negated, member), degree);
                if (!other.isProved()) {
                    keepPinned[p] = false;
                    split = true;
                    if (other.cutShort()) cutShort.add("whether " + name(p) + " never moves");
                } else if (cert == null || cert.kind() == Certificate.Kind.STRUCTURAL) {
                    result.put(cls, other.certificate().get());
                }
            }
            if (group[p] != group[first]) {
                final int member = p;
                ProverVerdict other = groupVerdicts.computeIfAbsent(group[p],
                        g -> decide(prover -> prover.proveEqual(classOf, pinned, negated, first, member), degree));
                if (other.isProved()) {
                    mergedGroup[p] = group[first];
                    Certificate current = result.get(cls);
                    if (current == null || current.kind() == Certificate.Kind.STRUCTURAL) {
                        result.put(cls, other.certificate().get());
                    }
                } else {
                    split = true;
                    if (other.cutShort()) cutShort.add("whether " + name(first) + " and " + name(p) + " stay equal");
                }
            }
            result.putIfAbsent(cls, countOfClass.get(cls) == 1 && !pinned[p] ? Certificate.trivial()
                    : new Certificate(Certificate.Kind.STRUCTURAL, structuralDetail(pinned[p]), Optional.empty()));
        }
        if (split) {
            search.splitUndecided(mergedGroup);
            search.unpinUndecided(keepPinned);
            boolean[] nowPinned = search.pinned();
            int[] byPin = new int[n];
            for (int p = 0; p < n; p++) byPin[p] = nowPinned[p] ? 1 : 0;
            search.splitUndecided(byPin);
            return true;
        }
        certificates = result;
        return false;
    }

    /**
     * One step of the timeline: the part of {@code claim} (a refinement of {@code sub}) that is
     * proved on S(sub) — each pin a zero gradient there, each class equal gradients there — so
     * that from θ_t in S(sub) one step of gradient descent lands in the result. What no
     * certificate proves is unpinned or split off. The randomized certificate counts only when
     * the refinement's random points were drawn from S(sub) itself ({@code sampled}).
     */
    InvariantSearch.State certifyStep(InvariantSearch.State sub, InvariantSearch.State claim, boolean[] negated,
                                      boolean sampled) {
        int[] classOf = sub.classOf();
        boolean[] subPinned = sub.pinned();
        int n = classOf.length;
        randomizedForState = null;
        statePinned = subPinned.clone();
        formal.ifPresent(f -> f.startState(classOf, subPinned, negated));
        int[] group = claim.classOf().clone();
        boolean[] zeroProved = new boolean[n];
        Arrays.fill(zeroProved, true);
        for (StructuralColouring c : colourings(classOf, subPinned, negated)) {
            LongIds ids = new LongIds(n);
            for (int p = 0; p < n; p++) {
                group[p] = ids.idOf(LongIds.pair(group[p], c.signedGradientColour(p, negated[p])));
                zeroProved[p] &= c.gradientIsZero(p);
            }
        }
        double degree = sampled && modular && tape.genericActivationsUsed().isEmpty()
                ? DegreeBound.ofGradientDifference(tape) : Double.POSITIVE_INFINITY;
        boolean[] pinned = new boolean[n];
        Map<Integer, Integer> firstOfClass = new HashMap<>();
        Map<Integer, Boolean> provedEqual = new HashMap<>();
        int[] merged = group.clone();
        for (int p = 0; p < n; p++) {
            final int member = p;
            int first = firstOfClass.computeIfAbsent(claim.classOf()[p], k -> member);
            pinned[p] = claim.pinned()[p] && (zeroProved[p]
                    || decide(prover -> prover.proveZero(classOf, subPinned, negated, member), degree).isProved());
            if (group[p] != group[first] && provedEqual.computeIfAbsent(group[p], g -> decide(
                    prover -> prover.proveEqual(classOf, subPinned, negated, first, member), degree).isProved())) {
                merged[p] = group[first];
            }
        }
        // Pinned members of a claimed class share their start; moving ones need a proved equal gradient.
        int[] key = new int[n];
        LongIds ids = new LongIds(n);
        for (int p = 0; p < n; p++) {
            key[p] = ids.idOf(pinned[p] ? LongIds.pair(claim.classOf()[p], -1) : LongIds.pair(merged[p], -2));
        }
        return new InvariantSearch.State(key, pinned);
    }

    private static String structuralDetail(boolean pinned) {
        return pinned ? "every gradient is structurally 0 on the subspace"
                : "the members' gradients are the same expression over the same classes";
    }

    /**
     * The provers in turn; a refutation ends the search (a randomized test that agrees with a
     * proven non-zero difference has only met its roots), and only when no prover answered does
     * the randomized identity test certify.
     */
    private ProverVerdict decide(java.util.function.Function<EqualityProver, ProverVerdict> ask, double degree) {
        boolean cut = false;
        for (EqualityProver prover : provers) {
            ProverVerdict v = ask.apply(prover);
            if (v.isProved() || v.refuted()) return v;
            cut |= v.cutShort();
        }
        if (randomizedForState == null) randomizedForState = randomized(degree, statePinned);
        if (randomizedForState.isPresent()) return ProverVerdict.proved(randomizedForState.get());
        return cut ? ProverVerdict.CUT_SHORT : ProverVerdict.UNKNOWN;
    }

    private String name(int p) { return tape.parameterNames().get(p); }

    /** Decisions a time limit cut short, in words; each left its pair undecided. */
    java.util.Set<String> cutShort() { return cutShort; }

    private final java.util.Set<String> cutShort = new java.util.LinkedHashSet<>();
    /** The randomized certificate of the state being certified: one bound per state, computed when first needed. */
    private Optional<Certificate> randomizedForState;
    private boolean[] statePinned;

    /**
     * Two random points modulo a random prime agreed. They can mislead in two ways only: the
     * prime divides every coefficient of the difference's numerator (bounded from the
     * coefficients' size), or both points are roots (Schwartz–Zippel, from the degree).
     */
    private Optional<Certificate> randomized(double degree, boolean[] pinned) {
        if (!modular || Double.isInfinite(degree)) return Optional.empty();
        double perPoint = degree / ModularArithmetic.SAMPLING_SET_SIZE;
        double roots = Math.pow(perPoint, 2);
        double primeDivides = ModularArithmetic.probabilityModulusDividesContent(contentBits(pinned));
        double bound = roots + primeDivides;
        if (!(bound < 1e-12)) return Optional.empty();
        String assumptions = network.assumptions().isEmpty() ? "" : "; every variable was drawn from all residues,"
                + " the assumed ones too: each assumption leaves its variable an interval with interior, and a"
                + " rational function that vanishes on such a box vanishes identically";
        return Optional.of(new Certificate(Certificate.Kind.RANDOMIZED, String.format(
                "equal at 2 independent random points modulo a random prime above 2^61; degree <= %.0f, so the "
                        + "chance of a false claim is at most %.1e (both points roots) + %.1e (the prime divides every "
                        + "coefficient)%s", degree, roots, primeDivides, assumptions), Optional.empty()));
    }

    /** log2 of a bound on the difference numerator's content, the largest over the spec's samples. */
    private double contentBits(boolean[] pinned) {
        Rational[] values = new Rational[parameters.length];
        for (int p = 0; p < values.length; p++) {
            if (pinned[p] && parameters[p].init() instanceof Init.Numeric num) values[p] = num.value();
            // A pinned k·a enters as (p·a + q·ε)/q for k = p/q: the same norms as the fixed value k.
            if (pinned[p] && parameters[p].init() instanceof Init.Symbolic s) values[p] = s.coefficient();
        }
        if (network.data().isEmpty()) return CoefficientBound.ofGradientDifference(tape, values, null);
        double bits = 0;
        for (Sample s : network.data()) {
            Rational[] data = tape.dataNames().stream().map(n -> s.values().get(n)).toArray(Rational[]::new);
            bits = Math.max(bits, CoefficientBound.ofGradientDifference(tape, values, data));
        }
        return bits;
    }

    /** One colouring for symbolic data, or one per sample when the spec gives data. */
    private List<StructuralColouring> colourings(int[] classOf, boolean[] pinned, boolean[] negated) {
        StructuralColouring.Leaf[] params = new StructuralColouring.Leaf[classOf.length];
        for (int p = 0; p < params.length; p++) {
            if (!pinned[p]) {
                StructuralColouring.Leaf value = StructuralColouring.Leaf.symbol("class " + classOf[p], Sign.UNKNOWN);
                params[p] = negated[p] ? value.scaled(Rational.of(-1)) : value;
                continue;
            }
            Init init = parameters[p].init();
            if (init instanceof Init.Numeric num) {
                params[p] = StructuralColouring.Leaf.number(num.value());
            } else {
                String symbol = init instanceof Init.Symbolic s ? s.symbol() : parameters[p].name();
                params[p] = StructuralColouring.Leaf.symbol("initial " + symbol, signs.sign(symbol));
                if (init instanceof Init.Symbolic s) params[p] = params[p].scaled(s.coefficient());
            }
        }
        List<String> dataNames = tape.dataNames();
        List<StructuralColouring> result = new ArrayList<>();
        if (network.data().isEmpty()) {
            StructuralColouring.Leaf[] data = new StructuralColouring.Leaf[dataNames.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = StructuralColouring.Leaf.symbol("data " + dataNames.get(i), signs.sign(dataNames.get(i)));
            }
            result.add(new StructuralColouring(tape, data, params));
        } else {
            for (Sample s : network.data()) {
                StructuralColouring.Leaf[] data = new StructuralColouring.Leaf[dataNames.size()];
                for (int i = 0; i < data.length; i++) {
                    Rational v = s.values().get(dataNames.get(i));
                    data[i] = StructuralColouring.Leaf.number(v);
                }
                result.add(new StructuralColouring(tape, data, params));
            }
        }
        return result;
    }

    private List<List<String>> unitClasses(StructuralColouring colouring) {
        Map<Integer, List<String>> byColour = new java.util.LinkedHashMap<>();
        for (var u : tape.unitNodes().entrySet()) {
            byColour.computeIfAbsent(colouring.forwardColour(u.getValue()), k -> new ArrayList<>()).add(u.getKey());
        }
        return byColour.values().stream().filter(l -> l.size() > 1).toList();
    }
}
