package dev.netsym.proof;

import dev.netsym.calculus.Evaluation;
import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.ForwardingArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Builtin;
import dev.netsym.model.Primitives;
import dev.netsym.model.Rational;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-sample gradient ∇θ ℓ(θ; data) of a network whose units are polynomials and
 * piecewise-linear builtins (relu, leaky_relu, abs, max, min), evaluated on one activation
 * region: the region's pieces are read off an exact evaluation at a real point
 * ({@link #pieces}), then every evaluation in a {@link JetRing} computes the polynomial of
 * that region. Anything else (tanh, exp, a generic activation, division by a parameter) has
 * no polynomial form and is refused when the evaluator is built.
 */
final class RegionEvaluator {
    /** Why a network is outside the exact method. */
    static final class Unsupported extends Exception {
        Unsupported(String message) { super(message); }
    }

    /** The decisions of every piecewise node for one sample: per node, the value's then each partial's. */
    record Pieces(int[][][] decisions, String pattern) {}

    private final Tape tape;
    private final int[] degree;

    RegionEvaluator(Tape tape) throws Unsupported {
        this.tape = tape;
        this.degree = new int[tape.nodeCount()];
        for (int node = 0; node < tape.nodeCount(); node++) degree[node] = checkedDegree(node);
    }

    Tape tape() { return tape; }

    /** The degree of the objective in the parameters on one region: Schwartz–Zippel's numerator. */
    int objectiveDegree() { return degree[tape.objectiveNode()]; }

    private int checkedDegree(int node) throws Unsupported {
        int max = 0;
        for (int k = 0; k < tape.childCount(node); k++) max = Math.max(max, degree[tape.child(node, k)]);
        switch (tape.operation(node)) {
            case DATA, CONSTANT: return 0;
            case PARAMETER: return 1;
            case SUM, NEGATE: return max;
            case PRODUCT: {
                long sum = 0;
                for (int k = 0; k < tape.childCount(node); k++) sum += degree[tape.child(node, k)];
                return capped(sum);
            }
            case QUOTIENT:
                if (degree[tape.child(node, 1)] > 0) throw new Unsupported("it divides by an expression of the parameters");
                return max;
            case INTEGER_POWER:
                if (tape.exponent(node) < 0 && max > 0) throw new Unsupported("it divides by an expression of the parameters");
                return capped((long) Math.max(0, tape.exponent(node)) * max);
            case BUILTIN: {
                Builtin b = tape.builtin(node);
                if (b.exactness() != Builtin.Exactness.PIECEWISE_RATIONAL) {
                    throw new Unsupported(b.specName() + " is not a polynomial on any region");
                }
                long sum = 0;
                for (int k = 0; k < tape.childCount(node); k++) sum += degree[tape.child(node, k)];
                return capped(sum);   // leaky_relu(z, slope) multiplies its arguments
            }
            case REAL_POWER: throw new Unsupported("it has a power with a non-integer exponent");
            case GENERIC: throw new Unsupported("the generic activation " + tape.activationName(node) + " has no known form");
            default: throw new IllegalStateException("unknown operation at node " + node);
        }
    }

    private static int capped(long d) { return (int) Math.min(d, 1 << 20); }

    /**
     * The activation region of the data at the real point θ: each piecewise node's decisions.
     * Empty when some piecewise node sits exactly on a kink there (no region to speak of).
     */
    java.util.Optional<Pieces> pieces(Rational[] theta, Rational[] data) {
        ExactArithmetic exact = new ExactArithmetic();
        Evaluation<Rational> evaluation = tape.evaluate(exact, theta, data);
        int[][][] decisions = new int[tape.nodeCount()][][];
        StringBuilder pattern = new StringBuilder();
        for (int node = 0; node < tape.nodeCount(); node++) {
            if (tape.operation(node) != Tape.Operation.BUILTIN) continue;
            Builtin b = tape.builtin(node);
            Rational[] args = new Rational[tape.childCount(node)];
            for (int k = 0; k < args.length; k++) args[k] = evaluation.value(tape.child(node, k));
            Recorder recorder = new Recorder(exact);
            decisions[node] = new int[args.length + 1][];
            b.value(recorder, args);
            decisions[node][0] = recorder.take();
            for (int k = 0; k < args.length; k++) {
                b.partial(recorder, k, args);
                decisions[node][k + 1] = recorder.take();
            }
            if (recorder.tie) return java.util.Optional.empty();
            for (int d : decisions[node][0]) pattern.append(d > 0 ? '+' : d < 0 ? '-' : '0');
        }
        return java.util.Optional.of(new Pieces(decisions, pattern.toString()));
    }

    /**
     * ∇θ ℓ at θ (a jet per parameter) for one sample on its region, scaled by {@code weight}
     * and added into {@code into}.
     */
    void addGradient(JetRing ring, long[][] theta, long[][] data, Pieces pieces, long weight, long[][] into) {
        long[][] values = forward(ring, theta, data, pieces);
        long[][] adjoints = new long[values.length][];
        adjoints[tape.objectiveNode()] = ring.constant(weight);
        for (int node = tape.objectiveNode(); node >= 0; node--) {
            long[] adjoint = adjoints[node];
            if (adjoint == null) continue;
            int n = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA, CONSTANT: break;
                case PARAMETER: {
                    long[][] target = into;
                    int i = tape.leafIndex(node);
                    target[i] = target[i] == null ? adjoint : ring.add(target[i], adjoint);
                    break;
                }
                case SUM: for (int k = 0; k < n; k++) accumulate(ring, adjoints, tape.child(node, k), adjoint); break;
                case NEGATE: accumulate(ring, adjoints, tape.child(node, 0), ring.negate(adjoint)); break;
                case PRODUCT: {
                    long[][] suffix = new long[n + 1][];
                    suffix[n] = ring.one();
                    for (int k = n - 1; k >= 0; k--) suffix[k] = ring.multiply(values[tape.child(node, k)], suffix[k + 1]);
                    long[] prefix = adjoint;
                    for (int k = 0; k < n; k++) {
                        accumulate(ring, adjoints, tape.child(node, k), ring.multiply(prefix, suffix[k + 1]));
                        prefix = ring.multiply(prefix, values[tape.child(node, k)]);
                    }
                    break;
                }
                default: {
                    long[][] args = childValues(values, node);
                    long[][] partials = partials(ring, node, args, values[node], pieces);
                    for (int k = 0; k < n; k++) accumulate(ring, adjoints, tape.child(node, k), ring.multiply(adjoint, partials[k]));
                }
            }
        }
    }

    /** Every node's value on the region, as jets. */
    long[][] forward(JetRing ring, long[][] theta, long[][] data, Pieces pieces) {
        int nodes = tape.objectiveNode() + 1;
        long[][] values = new long[nodes][];
        for (int node = 0; node < nodes; node++) {
            int n = tape.childCount(node);
            long[] value;
            switch (tape.operation(node)) {
                case DATA: value = data[tape.leafIndex(node)]; break;
                case PARAMETER: value = theta[tape.leafIndex(node)]; break;
                case CONSTANT: value = ring.fromRational(tape.constant(node)); break;
                case SUM: {
                    value = values[tape.child(node, 0)];
                    for (int k = 1; k < n; k++) value = ring.add(value, values[tape.child(node, k)]);
                    break;
                }
                case PRODUCT: {
                    value = values[tape.child(node, 0)];
                    for (int k = 1; k < n; k++) value = ring.multiply(value, values[tape.child(node, k)]);
                    break;
                }
                case NEGATE: value = ring.negate(values[tape.child(node, 0)]); break;
                case QUOTIENT: value = ring.divide(values[tape.child(node, 0)], values[tape.child(node, 1)]); break;
                case INTEGER_POWER: value = ring.power(values[tape.child(node, 0)], tape.exponent(node)); break;
                case BUILTIN: {
                    ring.replay(pieces.decisions()[node][0]);
                    value = tape.builtin(node).value(ring, childValues(values, node));
                    break;
                }
                default: throw new IllegalStateException("unsupported node " + node);
            }
            values[node] = value;
        }
        return values;
    }

    private long[][] partials(JetRing ring, int node, long[][] args, long[] value, Pieces pieces) {
        long[][] p = new long[args.length][];
        switch (tape.operation(node)) {
            case QUOTIENT: {
                long[] inv = ring.inverse(args[1]);
                p[0] = inv;
                p[1] = ring.negate(ring.multiply(value, inv));
                break;
            }
            case INTEGER_POWER: {
                int e = tape.exponent(node);
                p[0] = e == 0 ? ring.zero() : ring.multiply(ring.fromRational(Rational.of(e)), ring.power(args[0], e - 1));
                break;
            }
            case BUILTIN: {
                for (int k = 0; k < args.length; k++) {
                    ring.replay(pieces.decisions()[node][k + 1]);
                    p[k] = tape.builtin(node).partial(ring, k, args);
                }
                break;
            }
            default: throw new IllegalStateException("not a function node: " + node);
        }
        return p;
    }

    private long[][] childValues(long[][] values, int node) {
        long[][] args = new long[tape.childCount(node)][];
        for (int k = 0; k < args.length; k++) args[k] = values[tape.child(node, k)];
        return args;
    }

    private static void accumulate(JetRing ring, long[][] adjoints, int node, long[] contribution) {
        adjoints[node] = adjoints[node] == null ? contribution : ring.add(adjoints[node], contribution);
    }

    /** Exact rationals that note every order decision: the region's pieces. */
    private static final class Recorder extends ForwardingArithmetic<Rational> {
        private final List<Integer> answers = new ArrayList<>();
        boolean tie;

        Recorder(ExactArithmetic exact) { super(exact); }

        int[] take() {
            int[] a = answers.stream().mapToInt(Integer::intValue).toArray();
            answers.clear();
            return a;
        }

        private int note(int answer) {
            if (answer == 0) tie = true;
            answers.add(answer);
            return answer;
        }

        @Override public int signum(Rational a) { return note(inner.signum(a)); }
        @Override public int compare(Rational a, Rational b) { return note(inner.compare(a, b)); }
        /** Builtins' formulas run here, so that their order decisions are noted too. */
        @Override public Primitives<Rational> working() { return this; }
    }
}
