package dev.netsym.calculus;

/**
 * The gradient of a tape in plain doubles, on primitive arrays: one double per node's value and
 * adjoint, not a boxed Double. Witness runs replay big networks in doubles to tell rounding
 * noise from real differences; boxed, such a replay spent most of its time allocating.
 *
 * <p>Sums, products and negations are done here in the order {@link Tape}'s boxed passes use,
 * so both give the same bits; the function nodes (activations, quotients, powers) go through
 * {@link Tape#nodeValue} and {@link Tape#localPartials}, the one definition every evaluation shares.
 */
final class DoubleGradient {
    private final Tape tape;
    private final DoubleArithmetic arithmetic;

    private DoubleGradient(Tape tape, DoubleArithmetic arithmetic) {
        this.tape = tape;
        this.arithmetic = arithmetic;
    }

    static Double[] of(Tape tape, DoubleArithmetic arithmetic, Double[] parameterValues, Double[] dataValues) {
        DoubleGradient pass = new DoubleGradient(tape, arithmetic);
        double[] adjoints = pass.reverse(pass.forward(parameterValues, dataValues));
        Double[] gradient = new Double[parameterValues.length];
        for (int p = 0; p < gradient.length; p++) gradient[p] = adjoints[tape.parameterNode(p)];
        return gradient;
    }

    private double[] forward(Double[] parameterValues, Double[] dataValues) {
        int n = tape.nodeCount();
        double[] values = new double[n];
        for (int node = 0; node < n; node++) {
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA -> values[node] = dataValues[tape.leafIndex(node)];
                case PARAMETER -> values[node] = parameterValues[tape.leafIndex(node)];
                case CONSTANT -> values[node] = arithmetic.fromRational(tape.constant(node));
                case SUM -> {
                    double value = values[tape.child(node, 0)];
                    for (int k = 1; k < count; k++) value += values[tape.child(node, k)];
                    values[node] = value;
                }
                case PRODUCT -> {
                    double value = values[tape.child(node, 0)];
                    for (int k = 1; k < count; k++) value *= values[tape.child(node, k)];
                    values[node] = value;
                }
                case NEGATE -> values[node] = -values[tape.child(node, 0)];
                default -> values[node] = tape.nodeValue(arithmetic, node, childValues(values, node));
            }
        }
        return values;
    }

    private double[] reverse(double[] values) {
        double[] adjoints = new double[tape.nodeCount()];
        int root = tape.objectiveNode();
        adjoints[root] = 1;
        for (int node = root; node >= 0; node--) {
            double adjoint = adjoints[node];
            if (adjoint == 0) continue;
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA, PARAMETER, CONSTANT -> { }
                case SUM -> {
                    for (int k = 0; k < count; k++) adjoints[tape.child(node, k)] += adjoint;
                }
                case PRODUCT -> reverseProduct(values, adjoints, node, count, adjoint);
                case NEGATE -> adjoints[tape.child(node, 0)] += -adjoint;
                default -> {
                    Double[] partials = tape.localPartials(arithmetic, node, childValues(values, node), values[node]);
                    for (int k = 0; k < count; k++) adjoints[tape.child(node, k)] += adjoint * partials[k];
                }
            }
        }
        return adjoints;
    }

    /** As Tape's reverse pass: prefix and suffix products, no division by a factor that may be 0. */
    private void reverseProduct(double[] values, double[] adjoints, int node, int count, double adjoint) {
        if (count == 1) {
            adjoints[tape.child(node, 0)] += adjoint;
            return;
        }
        int first = tape.child(node, 0);
        int second = tape.child(node, 1);
        if (count == 2) {
            adjoints[first] += adjoint * values[second];
            adjoints[second] += adjoint * values[first];
            return;
        }
        double[] suffix = new double[count + 1];
        suffix[count] = 1;
        for (int j = count - 1; j >= 0; j--) suffix[j] = values[tape.child(node, j)] * suffix[j + 1];
        double prefix = adjoint;
        for (int j = 0; j < count; j++) {
            int c = tape.child(node, j);
            adjoints[c] += prefix * suffix[j + 1];
            prefix *= values[c];
        }
    }

    private Double[] childValues(double[] values, int node) {
        Double[] args = new Double[tape.childCount(node)];
        for (int k = 0; k < args.length; k++) args[k] = values[tape.child(node, k)];
        return args;
    }
}
