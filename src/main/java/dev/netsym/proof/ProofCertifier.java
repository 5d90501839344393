package dev.netsym.proof;

import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
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
        Optional<Certificate> proveEqual(int[] classOf, boolean[] pinned, int first, int second);

        Optional<Certificate> proveZero(int[] classOf, boolean[] pinned, int parameter);
    }

    private final Network network;
    private final Tape tape;
    private final boolean modular;
    private final RandomValues signs;
    private final List<EqualityProver> provers;
    private final Parameter[] parameters;
    /** Per final class id: its certificate, filled on the last, successful pass. */
    private Map<Integer, Certificate> certificates = Map.of();
    private List<List<String>> unitClasses = List.of();

    ProofCertifier(Network network, Tape tape, boolean modular, List<EqualityProver> provers) {
        this.network = network;
        this.tape = tape;
        this.modular = modular;
        this.signs = new RandomValues(network.assumptions(), 0);
        this.provers = provers;
        parameters = Parameters.inTapeOrder(network, tape);
    }

    Map<Integer, Certificate> certificates() { return certificates; }

    List<List<String>> unitClasses() { return unitClasses; }

    @Override
    public boolean certifyOrSplit(InvariantSearch<?> search) {
        int[] classOf = search.classOf();
        boolean[] pinned = search.pinned();
        int n = classOf.length;
        List<StructuralColouring> colourings = colourings(classOf, pinned);
        unitClasses = unitClasses(colourings.get(0));

        // Structural groups: parameters with the same gradient colour in every colouring (a
        // group id per (class, colour, colour, ...), one pairing per colouring, on primitive keys).
        int[] group = classOf.clone();
        boolean[] zeroProved = new boolean[n];
        Arrays.fill(zeroProved, true);
        for (StructuralColouring c : colourings) {
            LongIds ids = new LongIds(n);
            for (int p = 0; p < n; p++) {
                group[p] = ids.idOf(LongIds.pair(group[p], c.gradientColour(p)));
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
        Map<Integer, Optional<Certificate>> groupVerdicts = new HashMap<>();
        int[] mergedGroup = group.clone();
        boolean[] keepPinned = pinned.clone();
        for (int p = 0; p < n; p++) {
            int cls = classOf[p];
            int first = firstOfClass.get(cls);
            Certificate cert = result.get(cls);
            if (pinned[p] && !zeroProved[p]) {
                Optional<Certificate> other = proveZero(classOf, pinned, p, degree);
                if (other.isEmpty()) {
                    keepPinned[p] = false;
                    split = true;
                } else if (cert == null || cert.kind() == Certificate.Kind.STRUCTURAL) {
                    result.put(cls, other.get());
                }
            }
            if (group[p] != group[first]) {
                final int member = p;
                Optional<Certificate> other = groupVerdicts.computeIfAbsent(group[p],
                        g -> proveEqual(classOf, pinned, first, member, degree));
                if (other.isPresent()) {
                    mergedGroup[p] = group[first];
                    Certificate current = result.get(cls);
                    if (current == null || current.kind() == Certificate.Kind.STRUCTURAL) result.put(cls, other.get());
                } else {
                    split = true;
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

    private static String structuralDetail(boolean pinned) {
        return pinned ? "every gradient is structurally 0 on the subspace"
                : "the members' gradients are the same expression over the same classes";
    }

    private Optional<Certificate> proveEqual(int[] classOf, boolean[] pinned, int a, int b, double degree) {
        for (EqualityProver prover : provers) {
            Optional<Certificate> c = prover.proveEqual(classOf, pinned, a, b);
            if (c.isPresent()) return c;
        }
        return randomized(degree);
    }

    private Optional<Certificate> proveZero(int[] classOf, boolean[] pinned, int p, double degree) {
        for (EqualityProver prover : provers) {
            Optional<Certificate> c = prover.proveZero(classOf, pinned, p);
            if (c.isPresent()) return c;
        }
        return randomized(degree);
    }

    /** Two random points modulo p agreed; Schwartz–Zippel bounds the chance that they lied. */
    private Optional<Certificate> randomized(double degree) {
        if (!modular || Double.isInfinite(degree)) return Optional.empty();
        double perPoint = degree / ModularArithmetic.SAMPLING_SET_SIZE;
        double bound = Math.pow(perPoint, 2);
        if (!(bound < 1e-12)) return Optional.empty();
        return Optional.of(new Certificate(Certificate.Kind.RANDOMIZED, String.format(
                "equal at 2 independent random points modulo a random prime above 2^61; degree <= %.0f, so the "
                        + "chance of a false claim is at most %.1e", degree, bound), Optional.empty()));
    }

    /** One colouring for symbolic data, or one per sample when the spec gives data. */
    private List<StructuralColouring> colourings(int[] classOf, boolean[] pinned) {
        StructuralColouring.Leaf[] params = new StructuralColouring.Leaf[classOf.length];
        for (int p = 0; p < params.length; p++) {
            if (!pinned[p]) {
                params[p] = StructuralColouring.Leaf.symbol("class " + classOf[p], Sign.UNKNOWN);
                continue;
            }
            Init init = parameters[p].init();
            if (init instanceof Init.Numeric num) {
                params[p] = StructuralColouring.Leaf.number(num.value());
            } else {
                String symbol = init instanceof Init.Symbolic s ? s.symbol() : parameters[p].name();
                params[p] = StructuralColouring.Leaf.symbol("initial " + symbol, signs.sign(symbol));
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
