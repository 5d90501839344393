package dev.netsym.calculus;

/**
 * The gradient of a tape in double-double arithmetic, on primitive arrays: every node's value
 * and adjoint is a pair of doubles (hi at 2·node, lo at 2·node + 1), not an object. On a
 * network of a million weights the boxed evaluation allocates about a dozen objects per weight
 * and spends more time collecting them than computing.
 *
 * <p>Sums, products and negations are done here, step for step as {@link Tape#evaluate} does
 * them, so both give the same bits. The few function nodes (activations, quotients, powers)
 * go through {@link Tape#nodeValue} and {@link Tape#localPartials}, the one definition every
 * evaluation shares.
 */
final class DoubleDoubleGradient {
    private final Tape tape;
    private final DoubleDoubleArithmetic arithmetic;
    /** One product at a time, before it is added somewhere. */
    private final double[] product = new double[2];

    private DoubleDoubleGradient(Tape tape, DoubleDoubleArithmetic arithmetic) {
        this.tape = tape;
        this.arithmetic = arithmetic;
    }

    static DoubleDouble[] of(Tape tape, DoubleDoubleArithmetic arithmetic, DoubleDouble[] parameterValues,
                             DoubleDouble[] dataValues) {
        DoubleDoubleGradient pass = new DoubleDoubleGradient(tape, arithmetic);
        double[] values = pass.forward(parameterValues, dataValues);
        double[] adjoints = pass.reverse(values);
        DoubleDouble[] gradient = new DoubleDouble[parameterValues.length];
        for (int p = 0; p < gradient.length; p++) gradient[p] = get(adjoints, tape.parameterNode(p));
        return gradient;
    }

    private double[] forward(DoubleDouble[] parameterValues, DoubleDouble[] dataValues) {
        int n = tape.nodeCount();
        double[] values = new double[2 * n];
        for (int node = 0; node < n; node++) {
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA -> set(values, node, dataValues[tape.leafIndex(node)]);
                case PARAMETER -> set(values, node, parameterValues[tape.leafIndex(node)]);
                case CONSTANT -> set(values, node, arithmetic.fromRational(tape.constant(node)));
                case SUM -> {
                    copy(values, tape.child(node, 0), values, node);
                    for (int k = 1; k < count; k++) {
                        int c = tape.child(node, k);
                        DoubleDouble.addTo(values, node, values[2 * c], values[2 * c + 1]);
                    }
                }
                case PRODUCT -> {
                    copy(values, tape.child(node, 0), values, node);
                    for (int k = 1; k < count; k++) {
                        int c = tape.child(node, k);
                        DoubleDouble.multiplyInto(values, node, values[2 * node], values[2 * node + 1],
                                values[2 * c], values[2 * c + 1]);
                        requireFinite(values, node);
                    }
                }
                case NEGATE -> {
                    int c = tape.child(node, 0);
                    values[2 * node] = -values[2 * c];
                    values[2 * node + 1] = -values[2 * c + 1];
                }
                default -> set(values, node, tape.nodeValue(arithmetic, node, childValues(values, node)));
            }
        }
        return values;
    }

    private double[] reverse(double[] values) {
        double[] adjoints = new double[2 * tape.nodeCount()];
        int root = tape.objectiveNode();
        adjoints[2 * root] = 1;
        for (int node = root; node >= 0; node--) {
            double hi = adjoints[2 * node];
            double lo = adjoints[2 * node + 1];
            if (hi == 0 && lo == 0) continue;
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA, PARAMETER, CONSTANT -> { }
                case SUM -> {
                    for (int k = 0; k < count; k++) DoubleDouble.addTo(adjoints, tape.child(node, k), hi, lo);
                }
                case PRODUCT -> reverseProduct(values, adjoints, node, count, hi, lo);
                case NEGATE -> DoubleDouble.addTo(adjoints, tape.child(node, 0), -hi, -lo);
                default -> {
                    DoubleDouble[] partials = tape.localPartials(arithmetic, node, childValues(values, node),
                            get(values, node));
                    for (int k = 0; k < count; k++) {
                        addProduct(adjoints, tape.child(node, k), hi, lo, partials[k].hi, partials[k].lo);
                    }
                }
            }
        }
        return adjoints;
    }

    /** As Tape's reverse pass: prefix and suffix products, no division by a factor that may be 0. */
    private void reverseProduct(double[] values, double[] adjoints, int node, int count, double hi, double lo) {
        if (count == 1) {
            DoubleDouble.addTo(adjoints, tape.child(node, 0), hi, lo);
            return;
        }
        int first = tape.child(node, 0);
        int second = tape.child(node, 1);
        if (count == 2) {
            addProduct(adjoints, first, hi, lo, values[2 * second], values[2 * second + 1]);
            addProduct(adjoints, second, hi, lo, values[2 * first], values[2 * first + 1]);
            return;
        }
        double[] suffix = new double[2 * (count + 1)];
        suffix[2 * count] = 1;
        for (int j = count - 1; j >= 0; j--) {
            int c = tape.child(node, j);
            DoubleDouble.multiplyInto(suffix, j, values[2 * c], values[2 * c + 1], suffix[2 * j + 2], suffix[2 * j + 3]);
            requireFinite(suffix, j);
        }
        double[] prefix = {hi, lo};
        for (int j = 0; j < count; j++) {
            int c = tape.child(node, j);
            addProduct(adjoints, c, prefix[0], prefix[1], suffix[2 * j + 2], suffix[2 * j + 3]);
            DoubleDouble.multiplyInto(prefix, 0, prefix[0], prefix[1], values[2 * c], values[2 * c + 1]);
            requireFinite(prefix, 0);
        }
    }

    /** target ← target + (aHi, aLo)·(bHi, bLo), the product checked as DoubleDoubleArithmetic checks it. */
    private void addProduct(double[] into, int target, double aHi, double aLo, double bHi, double bLo) {
        DoubleDouble.multiplyInto(product, 0, aHi, aLo, bHi, bLo);
        requireFinite(product, 0);
        DoubleDouble.addTo(into, target, product[0], product[1]);
    }

    private DoubleDouble[] childValues(double[] values, int node) {
        DoubleDouble[] args = new DoubleDouble[tape.childCount(node)];
        for (int k = 0; k < args.length; k++) args[k] = get(values, tape.child(node, k));
        return args;
    }

    private static DoubleDouble get(double[] pairs, int i) {
        return new DoubleDouble(pairs[2 * i], pairs[2 * i + 1]);
    }

    private static void set(double[] pairs, int i, DoubleDouble value) {
        pairs[2 * i] = value.hi;
        pairs[2 * i + 1] = value.lo;
    }

    private static void copy(double[] from, int i, double[] to, int j) {
        to[2 * j] = from[2 * i];
        to[2 * j + 1] = from[2 * i + 1];
    }

    private static void requireFinite(double[] pairs, int i) {
        if (!Double.isFinite(pairs[2 * i]) || !Double.isFinite(pairs[2 * i + 1])) {
            throw new ArithmeticException("overflow in double-double arithmetic");
        }
    }
}
