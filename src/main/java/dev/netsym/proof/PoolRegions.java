package dev.netsym.proof;

import dev.netsym.calculus.Tape;
import dev.netsym.model.Builtin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A network of relu-type pieces evaluated in doubles on a fixed pool of samples at once, for
 * choosing an activation region: which pieces each sample takes, which parameters some sample
 * uses. Values are kept per node across the pool, so that changing one parameter recomputes
 * only the nodes that depend on it; a set of samples is a bit per sample (long words), so the
 * reverse pass that finds the parameters used costs a few word operations per node. Rounding
 * here costs at most a worse choice: the region's pieces are then decided exactly.
 */
final class PoolRegions {
    private final Tape tape;
    private final double[][] data;           // [sample][data slot]
    private final int samples;
    private final int words;
    private final int nodes;
    private final double[] theta;
    private final double[][] values;         // [node][sample]
    private final long[][] nonzero;          // [node]: value != 0
    private final long[][] sidePositive;     // [piecewise node]: its deciding argument > 0
    private final long[][] sideZero;         // [piecewise node]: on its kink
    private final int[][] downstream;        // [parameter]: the nodes depending on it, in order
    private final int[] pieceNodes;
    private final long[] patternKeys;        // a random key per piecewise node, summed per sample

    PoolRegions(Tape tape, double[][] data, double[] theta, Random random) {
        this.tape = tape;
        this.data = data;
        this.samples = data.length;
        this.words = (samples + 63) / 64;
        this.nodes = tape.objectiveNode() + 1;
        this.theta = theta.clone();
        this.values = new double[nodes][samples];
        this.nonzero = new long[nodes][words];
        this.sidePositive = new long[nodes][];
        this.sideZero = new long[nodes][];
        List<Integer> pieces = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            if (tape.operation(node) != Tape.Operation.BUILTIN) continue;
            pieces.add(node);
            sidePositive[node] = new long[words];
            sideZero[node] = new long[words];
        }
        this.pieceNodes = pieces.stream().mapToInt(Integer::intValue).toArray();
        this.patternKeys = new long[pieceNodes.length];
        for (int k = 0; k < patternKeys.length; k++) patternKeys[k] = random.nextLong();
        this.downstream = downstreamOfParameters();
        for (int node = 0; node < nodes; node++) compute(node);
    }

    private int[][] downstreamOfParameters() {
        List<List<Integer>> parents = new ArrayList<>();
        for (int node = 0; node < nodes; node++) parents.add(new ArrayList<>());
        for (int node = 0; node < nodes; node++) {
            for (int k = 0; k < tape.childCount(node); k++) parents.get(tape.child(node, k)).add(node);
        }
        int[][] result = new int[tape.parameterCount()][];
        boolean[] seen = new boolean[nodes];
        for (int i = 0; i < result.length; i++) {
            int start = tape.parameterNode(i);
            if (start >= nodes) {
                result[i] = new int[0];
                continue;
            }
            Arrays.fill(seen, false);
            seen[start] = true;
            for (int node = start; node < nodes; node++) {
                if (!seen[node]) continue;
                for (int parent : parents.get(node)) seen[parent] = true;
            }
            int count = 0;
            for (int node = start; node < nodes; node++) if (seen[node]) count++;
            int[] list = new int[count];
            for (int node = start, k = 0; node < nodes; node++) if (seen[node]) list[k++] = node;
            result[i] = list;
        }
        return result;
    }

    double parameter(int i) { return theta[i]; }

    /** Sets parameter i and recomputes what depends on it; {@link #undo} puts it back. */
    void set(int i, double value) {
        saved = i;
        savedTheta = theta[i];
        int[] list = downstream[i];
        savedValues = new double[list.length][];
        for (int k = 0; k < list.length; k++) savedValues[k] = values[list[k]].clone();
        theta[i] = value;
        for (int node : list) compute(node);
    }

    private int saved = -1;
    private double savedTheta;
    private double[][] savedValues;

    void undo() {
        int[] list = downstream[saved];
        theta[saved] = savedTheta;
        for (int k = 0; k < list.length; k++) {
            System.arraycopy(savedValues[k], 0, values[list[k]], 0, samples);
            bits(list[k]);
        }
        saved = -1;
    }

    private void compute(int node) {
        double[] v = values[node];
        int n = tape.childCount(node);
        switch (tape.operation(node)) {
            case DATA: {
                int slot = tape.leafIndex(node);
                for (int s = 0; s < samples; s++) v[s] = data[s][slot];
                break;
            }
            case PARAMETER: Arrays.fill(v, theta[tape.leafIndex(node)]); break;
            case CONSTANT: Arrays.fill(v, tape.constant(node).doubleValue()); break;
            case SUM: {
                System.arraycopy(values[tape.child(node, 0)], 0, v, 0, samples);
                for (int k = 1; k < n; k++) {
                    double[] c = values[tape.child(node, k)];
                    for (int s = 0; s < samples; s++) v[s] += c[s];
                }
                break;
            }
            case PRODUCT: {
                System.arraycopy(values[tape.child(node, 0)], 0, v, 0, samples);
                for (int k = 1; k < n; k++) {
                    double[] c = values[tape.child(node, k)];
                    for (int s = 0; s < samples; s++) v[s] *= c[s];
                }
                break;
            }
            case NEGATE: {
                double[] c = values[tape.child(node, 0)];
                for (int s = 0; s < samples; s++) v[s] = -c[s];
                break;
            }
            case QUOTIENT: {
                double[] a = values[tape.child(node, 0)];
                double[] b = values[tape.child(node, 1)];
                for (int s = 0; s < samples; s++) v[s] = a[s] / b[s];
                break;
            }
            case INTEGER_POWER: {
                double[] a = values[tape.child(node, 0)];
                int e = tape.exponent(node);
                for (int s = 0; s < samples; s++) v[s] = Math.pow(a[s], e);
                break;
            }
            case BUILTIN: {
                double[] a = values[tape.child(node, 0)];
                double[] b = n > 1 ? values[tape.child(node, 1)] : null;
                Builtin builtin = tape.builtin(node);
                for (int s = 0; s < samples; s++) {
                    v[s] = switch (builtin) {
                        case RELU -> Math.max(a[s], 0);
                        case ABS -> Math.abs(a[s]);
                        case LEAKY_RELU -> a[s] > 0 ? a[s] : a[s] * b[s];
                        case MAX -> Math.max(a[s], b[s]);
                        case MIN -> Math.min(a[s], b[s]);
                        default -> throw new IllegalStateException("not piecewise linear: node " + node);
                    };
                }
                break;
            }
            default: throw new IllegalStateException("unsupported node " + node);
        }
        bits(node);
    }

    /** The node's bit sets from its values: nonzero, and for a piecewise node its side. */
    private void bits(int node) {
        double[] v = values[node];
        long[] nz = nonzero[node];
        Arrays.fill(nz, 0);
        for (int s = 0; s < samples; s++) if (v[s] != 0) nz[s >>> 6] |= 1L << s;
        if (sidePositive[node] == null) return;
        double[] a = values[tape.child(node, 0)];
        double[] b = tape.childCount(node) == 2 && tape.builtin(node) != Builtin.LEAKY_RELU
                ? values[tape.child(node, 1)] : null;
        long[] pos = sidePositive[node];
        long[] zero = sideZero[node];
        Arrays.fill(pos, 0);
        Arrays.fill(zero, 0);
        for (int s = 0; s < samples; s++) {
            double side = b == null ? a[s] : a[s] - b[s];
            if (side > 0) pos[s >>> 6] |= 1L << s;
            else if (side == 0) zero[s >>> 6] |= 1L << s;
        }
    }

    /** How the region at the current parameters looks on the pool; see {@link ConservationLawSearch}. */
    record Balance(int used, int split, int patterns, long even, boolean ideal) implements Comparable<Balance> {
        @Override public int compareTo(Balance o) {
            int c = Integer.compare(used, o.used);
            if (c == 0) c = Integer.compare(split, o.split);
            if (c == 0) c = Integer.compare(patterns, o.patterns);
            return c != 0 ? c : Long.compare(even, o.even);
        }
    }

    /**
     * Over the samples on no kink (a sample on one has no region, and the exact choice skips it
     * too): the parameters some sample uses, the piecewise nodes on both sides each on a set of
     * samples no other node has, the activation patterns, and how evenly the nodes split.
     */
    Balance balance() {
        long[] accepted = new long[words];
        for (int s = 0; s < samples; s++) accepted[s >>> 6] |= 1L << s;
        for (int node : pieceNodes) for (int w = 0; w < words; w++) accepted[w] &= ~sideZero[node][w];
        int acceptedCount = 0;
        for (long w : accepted) acceptedCount += Long.bitCount(w);

        Map<List<Long>, Integer> sameSamples = new HashMap<>();
        List<List<Long>> onSets = new ArrayList<>();
        for (int node : pieceNodes) {
            Long[] on = new Long[words];
            for (int w = 0; w < words; w++) on[w] = sidePositive[node][w] & accepted[w];
            List<Long> key = List.of(on);
            onSets.add(key);
            sameSamples.merge(key, 1, Integer::sum);
        }
        long even = 0;
        int split = 0;
        for (int k = 0; k < pieceNodes.length; k++) {
            int positive = 0;
            for (long w : onSets.get(k)) positive += Long.bitCount(w);
            int smaller = Math.min(positive, acceptedCount - positive);
            even += smaller;
            // Two units on for the same samples act together as a linear layer there (a rotation law).
            if (smaller > 0 && sameSamples.get(onSets.get(k)) == 1) split++;
        }

        long[] patternOf = new long[samples];
        for (int k = 0; k < pieceNodes.length; k++) {
            long[] pos = sidePositive[pieceNodes[k]];
            for (int s = 0; s < samples; s++) if ((pos[s >>> 6] & (1L << s)) != 0) patternOf[s] += patternKeys[k];
        }
        Set<Long> patterns = new HashSet<>();
        for (int s = 0; s < samples; s++) if ((accepted[s >>> 6] & (1L << s)) != 0) patterns.add(patternOf[s]);

        int used = usedParameters(accepted);
        return new Balance(used, split, patterns.size(), even,
                used == tape.parameterCount() && split == pieceNodes.length);
    }

    /** Parameters whose partial of the objective some accepted sample does not force to 0. */
    private int usedParameters(long[] accepted) {
        long[][] live = new long[nodes][];
        live[nodes - 1] = accepted.clone();
        boolean[] used = new boolean[tape.parameterCount()];
        for (int node = nodes - 1; node >= 0; node--) {
            long[] l = live[node];
            if (l == null || isEmpty(l)) continue;
            int n = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA, CONSTANT: break;
                case PARAMETER: used[tape.leafIndex(node)] = true; break;
                case SUM, NEGATE: for (int k = 0; k < n; k++) or(live, tape.child(node, k), l, null); break;
                case PRODUCT: {
                    for (int k = 0; k < n; k++) {
                        long[] others = l.clone();
                        for (int o = 0; o < n; o++) if (o != k) and(others, nonzero[tape.child(node, o)]);
                        or(live, tape.child(node, k), others, null);
                    }
                    break;
                }
                case QUOTIENT:
                    or(live, tape.child(node, 0), l, null);
                    or(live, tape.child(node, 1), l, nonzero[node]);
                    break;
                case INTEGER_POWER: {
                    int e = tape.exponent(node);
                    if (e == 1) or(live, tape.child(node, 0), l, null);
                    else if (e != 0) or(live, tape.child(node, 0), l, nonzero[tape.child(node, 0)]);
                    break;
                }
                case BUILTIN: {
                    int a = tape.child(node, 0);
                    long[] pos = sidePositive[node];
                    switch (tape.builtin(node)) {
                        case RELU -> or(live, a, l, pos);
                        case ABS -> or(live, a, l, nonzero[a]);
                        case LEAKY_RELU -> {
                            int slope = tape.child(node, 1);
                            long[] either = pos.clone();
                            for (int w = 0; w < words; w++) either[w] |= nonzero[slope][w];
                            or(live, a, l, either);
                            long[] negative = new long[words];
                            for (int w = 0; w < words; w++) negative[w] = ~pos[w] & ~sideZero[node][w];
                            or(live, slope, l, negative);
                        }
                        case MAX, MIN -> {
                            // MAX takes its first argument where a - b > 0, MIN where it is < 0.
                            boolean max = tape.builtin(node) == Builtin.MAX;
                            long[] first = new long[words];
                            long[] second = new long[words];
                            for (int w = 0; w < words; w++) {
                                long negative = ~pos[w] & ~sideZero[node][w];
                                first[w] = max ? pos[w] : negative;
                                second[w] = max ? negative : pos[w];
                            }
                            or(live, a, l, first);
                            or(live, tape.child(node, 1), l, second);
                        }
                        default -> throw new IllegalStateException("not piecewise linear: node " + node);
                    }
                    break;
                }
                default: throw new IllegalStateException("unsupported node " + node);
            }
        }
        int count = 0;
        for (boolean u : used) if (u) count++;
        return count;
    }

    /** live[target] |= bits & mask (a null mask is all ones). */
    private void or(long[][] live, int target, long[] bits, long[] mask) {
        if (live[target] == null) live[target] = new long[words];
        long[] t = live[target];
        for (int w = 0; w < words; w++) t[w] |= mask == null ? bits[w] : bits[w] & mask[w];
    }

    private static void and(long[] into, long[] mask) {
        for (int w = 0; w < into.length; w++) into[w] &= mask[w];
    }

    private static boolean isEmpty(long[] bits) {
        for (long w : bits) if (w != 0) return false;
        return true;
    }
}
