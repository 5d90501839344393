package dev.netsym.calculus;

/**
 * A formula's tape (no data, its parameters the operands) evaluated on primitive doubles, for
 * {@link TensorTape}'s element-wise steps: one scratch array for values and one for adjoints,
 * reused from element to element. Sums, products and negations go step for step as
 * {@link Tape#evaluate} does them, so both give the same bits; function nodes (activations,
 * quotients, powers) go through {@link Tape#nodeValue} and {@link Tape#localPartials}, the one
 * definition every evaluation shares.
 */
final class DoubleFormula {
    private final Tape tape;
    private final DoubleArithmetic arithmetic;
    private final double[] values;
    private final double[] adjoints;
    private final int firstParameter;
    /** Per constant node its value, converted once rather than once per element. */
    private final double[] constants;

    DoubleFormula(Tape tape, DoubleArithmetic arithmetic) {
        this.tape = tape;
        this.arithmetic = arithmetic;
        this.values = new double[tape.nodeCount()];
        this.adjoints = new double[tape.nodeCount()];
        this.firstParameter = tape.parameterCount() == 0 ? 0 : tape.parameterNode(0);
        this.constants = new double[tape.nodeCount()];
        for (int node = 0; node < constants.length; node++) {
            if (tape.operation(node) == Tape.Operation.CONSTANT) constants[node] = arithmetic.fromRational(tape.constant(node));
        }
    }

    /** The formula's value at these operands (its parameters, in order). */
    double value(double[] operands) {
        int n = tape.nodeCount();
        for (int node = 0; node < n; node++) {
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA -> throw new IllegalStateException("a formula has no data");
                case PARAMETER -> values[node] = operands[tape.leafIndex(node)];
                case CONSTANT -> values[node] = constants[node];
                case SUM -> {
                    double sum = values[tape.child(node, 0)];
                    for (int k = 1; k < count; k++) sum += values[tape.child(node, k)];
                    values[node] = sum;
                }
                case PRODUCT -> {
                    double product = values[tape.child(node, 0)];
                    for (int k = 1; k < count; k++) product *= values[tape.child(node, k)];
                    values[node] = product;
                }
                case NEGATE -> values[node] = -values[tape.child(node, 0)];
                default -> values[node] = tape.nodeValue(arithmetic, node, childValues(node));
            }
        }
        return values[tape.objectiveNode()];
    }

    /**
     * Adds {@code adjoint}·∂formula/∂operand_j to {@code into[at[j]]} for every operand, at the
     * operands {@link #value} was last called with: the partials first, then their products
     * with the adjoint, as the boxed pass does.
     */
    void addPartials(double adjoint, double[][] into, int[] step, int[] at) {
        int root = tape.objectiveNode();
        java.util.Arrays.fill(adjoints, 0, root + 1, 0.0);
        adjoints[root] = 1;
        for (int node = root; node >= firstParameter; node--) {
            double a = adjoints[node];
            if (a == 0) continue;
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA, PARAMETER, CONSTANT -> { }
                case SUM -> {
                    for (int k = 0; k < count; k++) adjoints[tape.child(node, k)] += a;
                }
                case PRODUCT -> reverseProduct(node, count, a);
                case NEGATE -> adjoints[tape.child(node, 0)] += -a;
                default -> {
                    Double[] partials = tape.localPartials(arithmetic, node, childValues(node), values[node]);
                    for (int k = 0; k < count; k++) adjoints[tape.child(node, k)] += a * partials[k];
                }
            }
        }
        for (int p = 0; p < at.length; p++) into[step[p]][at[p]] += adjoint * adjoints[firstParameter + p];
    }

    /** As Tape's reverse pass: prefix and suffix products, no division by a factor that may be 0. */
    private void reverseProduct(int node, int count, double a) {
        if (count == 1) {
            adjoints[tape.child(node, 0)] += a;
            return;
        }
        if (count == 2) {
            int first = tape.child(node, 0);
            int second = tape.child(node, 1);
            adjoints[first] += a * values[second];
            adjoints[second] += a * values[first];
            return;
        }
        double[] suffix = new double[count + 1];
        suffix[count] = 1;
        for (int j = count - 1; j >= 0; j--) suffix[j] = values[tape.child(node, j)] * suffix[j + 1];
        double prefix = a;
        for (int j = 0; j < count; j++) {
            int c = tape.child(node, j);
            adjoints[c] += prefix * suffix[j + 1];
            prefix *= values[c];
        }
    }

    private Double[] childValues(int node) {
        Double[] args = new Double[tape.childCount(node)];
        for (int k = 0; k < args.length; k++) args[k] = values[tape.child(node, k)];
        return args;
    }
}
