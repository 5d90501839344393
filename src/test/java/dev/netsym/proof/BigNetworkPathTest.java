package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.calculus.DoubleDouble;
import dev.netsym.model.Network;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The path big networks take (double-double evaluation, gap clustering, primitive refinement)
 * reaches the same proof as the small-network engine, and the two spellings of a dense network
 * reach the same partition.
 */
class BigNetworkPathTest {
    private static final ProofEngine.Options ALWAYS_DOUBLE_DOUBLE =
            new ProofEngine.Options(Duration.ofSeconds(60), List.of(), 0);

    @Test
    void doubleDoubleAgreesWithDecimalsOnRandomNetworks() {
        // Which splits a witness run shows may differ with the precision of the run; the splits may not.
        int compared = compareBothPaths(ProofCrossCheckTest::randomSpec, 60,
                (small, big, spec) -> assertEquals(splits(small), splits(big), spec));
        assertTrue(compared >= 15, "too few decimal networks compared: " + compared);
    }

    /**
     * The big path's witness runs (double-double, differences replayed in doubles) split what the
     * small path's (decimals, replayed in 100 digits) split, on tensor specs with norms, softmaxes
     * and attention, where rounding noise can be lifted far above its size: a separation on noise
     * would split a class. (Which pairs are left undecided may differ: the runs start elsewhere.)
     */
    @Test
    void doubleDoubleAgreesWithDecimalsOnRandomTensorNetworks() {
        int compared = compareBothPaths(RandomTensorSpecs::generate, 40, (small, big, spec) -> {});
        assertTrue(compared >= 10, "too few decimal networks compared: " + compared);
    }

    /**
     * Decimals cost microseconds an operation and a proof runs the tape once per separation it
     * shows: a network with few nodes but many parameters is evaluated in double-double too.
     */
    @Test
    void theArithmeticFollowsNodesTimesParametersNotOnlyNodes() {
        ProofEngine.Options defaults = ProofEngine.Options.defaults();
        dev.netsym.calculus.Tape small = tapeOf("input x[4]\nlayer h[4] = tanh(dense(x))\nlayer y[1] = dense(h)\n"
                + "objective sum(y)\ninit all = random\n");
        assertFalse(defaults.doubleDoubleFor(small));
        dev.netsym.calculus.Tape wide = tapeOf("input x[60]\nlayer h[60] = tanh(dense(x))\nlayer y[1] = dense(h)\n"
                + "objective sum(y)\ninit all = random\n");
        assertTrue(wide.nodeCount() < ProofEngine.Options.DOUBLE_DOUBLE_FROM_NODES, () -> wide.nodeCount() + " nodes");
        assertTrue(defaults.doubleDoubleFor(wide), () -> wide.nodeCount() + " nodes, " + wide.parameterCount());
        // a network that needs no decimals is never moved to double-double
        dev.netsym.calculus.Tape linear = tapeOf("input x[60]\nlayer h[60] = dense(x)\nlayer y[1] = dense(h)\n"
                + "objective sum(y)\ninit all = random\n");
        assertFalse(defaults.doubleDoubleFor(linear));
    }

    private static dev.netsym.calculus.Tape tapeOf(String spec) {
        return dev.netsym.calculus.Tape.compile(Netsym.parse(spec).network().orElseThrow());
    }

    private interface MoreChecks {
        void check(Proof small, Proof big, String spec);
    }

    /**
     * Proves each generated spec that the small path takes in decimals again on the big path, and
     * requires the same classes and frozen set (and {@code more}); returns how many it compared.
     */
    private static int compareBothPaths(java.util.function.LongFunction<String> generator, int count, MoreChecks more) {
        int compared = 0;
        for (long seed = 1; seed <= count; seed++) {
            String spec = generator.apply(seed);
            Network network = Netsym.parse(spec).network().orElseThrow();
            Proof small = ProofEngine.prove(network, ProofEngine.Options.defaults());
            if (!small.arithmetic().equals("decimal")) continue;
            Proof big = ProofEngine.prove(network, ALWAYS_DOUBLE_DOUBLE);
            assertEquals("double-double", big.arithmetic());
            assertEquals(partition(small), partition(big), spec);
            assertEquals(frozen(small), frozen(big), spec);
            more.check(small, big, spec);
            compared++;
        }
        return compared;
    }

    /**
     * Every weight of a randomly started 23,580-weight network moves at step 1, and the witness
     * runs show it: moves far below the parameters' size (an input near 0) are confirmed by a
     * replay in doubles, not left undecided (832 were, when past 20,000 parameters they were
     * never replayed).
     */
    @Test
    void everyWeightOfABigRandomNetworkIsSeenMoving() {
        Proof proof = ProofEngine.prove(Netsym.parse(denseSpec(new int[] {784, 30, 2}, false)
                .replace("init all = a", "init all = random")).network().orElseThrow(), ProofEngine.Options.defaults());
        assertEquals("double-double", proof.arithmetic());
        assertTrue(proof.undecided().isEmpty(), () -> proof.undecided().size() + " undecided");
        assertEquals(23_580, proof.classes().size());
        assertTrue(proof.classes().stream().noneMatch(ParameterClass::frozen));
    }

    @Test
    void shorthandAndExplicitUnitsGiveTheSamePartition() {
        int[] sizes = {30, 12, 8, 3};
        Proof shorthand = prove(denseSpec(sizes, false));
        Proof explicit = prove(denseSpec(sizes, true));
        assertEquals("double-double", shorthand.arithmetic());
        assertEquals(partition(shorthand), partition(explicit));
        // x feeds W_h1 one class per input; each later layer is one class.
        assertEquals(30 + 1 + 1, shorthand.classes().size());
        assertFalse(shorthand.timedOut());
        assertTrue(shorthand.undecided().isEmpty());
        assertFalse(shorthand.separations().isEmpty(), "the layers' classes are shown apart by witnesses");
    }

    @Test
    void clusteringSplitsOnlyBeyondRoundingNoise() {
        DoubleDouble one = DoubleDouble.ONE;
        DoubleDouble[] values = {one, one.add(DoubleDouble.of(1e-26)), DoubleDouble.of(2), DoubleDouble.of(1e-27),
                DoubleDouble.ZERO, one.add(DoubleDouble.of(1e-12))};
        int[] ids = InvariantSearch.clusterIds(values);
        assertEquals(ids[0], ids[1], "1 and 1 + 1e-26 are one value up to rounding noise");
        assertEquals(0, ids[3], "1e-27 is rounding noise around 0");
        assertEquals(0, ids[4]);
        assertEquals(4, new TreeSet<>(List.of(ids[0], ids[2], ids[4], ids[5])).size(), "1, 2, 0 and 1 + 1e-12 differ");
    }

    @Test
    void clusteringGroupsRepeatedValuesAndBothZeros() {
        // Tied parameters give bitwise-equal gradients: each repeated value is hashed once.
        DoubleDouble two = DoubleDouble.of(2);
        DoubleDouble[] values = new DoubleDouble[1000];
        for (int p = 0; p < values.length; p++) {
            values[p] = p % 4 == 0 ? two : p % 4 == 1 ? DoubleDouble.ONE : p % 4 == 2 ? new DoubleDouble(-0.0, 0)
                    : DoubleDouble.ZERO;
        }
        int[] ids = InvariantSearch.clusterIds(values);
        for (int p = 4; p < values.length; p++) assertEquals(ids[p % 4], ids[p], "parameter " + p);
        assertEquals(0, ids[2], "-0 is 0");
        assertEquals(0, ids[3]);
        assertTrue(ids[0] != ids[1] && ids[0] != 0 && ids[1] != 0);
    }

    private static Proof prove(String spec) {
        var parsed = Netsym.parse(spec);
        assertTrue(parsed.network().isPresent(), parsed.diagnostics().toString());
        return ProofEngine.prove(parsed.network().get(), ALWAYS_DOUBLE_DOUBLE);
    }

    /** A dense tanh network with a linear output layer, as layers or as explicit unit equations. */
    static String denseSpec(int[] sizes, boolean explicit) {
        StringBuilder spec = new StringBuilder("input x[" + sizes[0] + "]\n");
        String source = "x";
        for (int k = 1; k < sizes.length; k++) {
            boolean last = k == sizes.length - 1;
            String name = last ? "out" : "h" + k;
            if (!explicit) {
                spec.append("layer ").append(name).append('[').append(sizes[k]).append("] = ")
                        .append(last ? "dense(" + source + ")" : "tanh(dense(" + source + "))").append('\n');
            } else {
                for (int j = 1; j <= sizes[k]; j++) {
                    StringBuilder sum = new StringBuilder();
                    for (int i = 1; i <= sizes[k - 1]; i++) {
                        if (i > 1) sum.append(" + ");
                        sum.append("W_").append(name).append('[').append(j).append(',').append(i).append("]*")
                                .append(source).append('[').append(i).append(']');
                    }
                    spec.append(name).append('[').append(j).append("] = ")
                            .append(last ? sum : "tanh(" + sum + ")").append('\n');
                }
            }
            source = name;
        }
        spec.append("objective sum(out)\ninit all = a\n");
        return spec.toString();
    }

    private static Set<Set<String>> partition(Proof proof) {
        return proof.classes().stream().map(c -> Set.copyOf(c.members())).collect(Collectors.toSet());
    }

    private static Set<String> frozen(Proof proof) {
        return proof.classes().stream().filter(ParameterClass::frozen).flatMap(c -> c.members().stream())
                .collect(Collectors.toSet());
    }

    /** Every pair kept apart and every parameter unpinned, with or without a witness. */
    private static java.util.Set<List<String>> splits(Proof proof) {
        java.util.Set<List<String>> all = new java.util.HashSet<>(proof.undecided());
        for (var s : proof.separations()) all.add(s.isMove() ? List.of(s.first()) : List.of(s.first(), s.second()));
        return all;
    }
}
