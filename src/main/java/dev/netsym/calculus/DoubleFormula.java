package dev.netsym.calculus;

/**
 * A tape evaluated on primitive doubles, one scratch array for values and one for adjoints: for
 * {@link TensorTape}'s element-wise steps, a formula's tape (no data, its parameters the operands)
 * reused from element to element, and for {@link Tape#gradient} in doubles, a whole network's.
 * Sums, products and negations go step for step as {@link Tape#evaluate} does them, so both give
 * the same bits; function nodes (activations, quotients, powers) go through {@link Tape#nodeValue}
 * and {@link Tape#localPartials}, the one definition every evaluation shares.
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
        forward(operands, null);
        return values[tape.objectiveNode()];
    }

    /**
     * The gradient of a whole tape in doubles, in parameter order: witness runs replay big networks
     * in doubles to tell rounding noise from real differences, which boxed spent most of its time
     * allocating.
     */
    static Double[] gradient(Tape tape, DoubleArithmetic arithmetic, Double[] parameterValues, Double[] dataValues) {
        DoubleFormula pass = new DoubleFormula(tape, arithmetic);
        double[] parameters = new double[parameterValues.length];
        for (int p = 0; p < parameters.length; p++) parameters[p] = parameterValues[p];
        double[] data = new double[dataValues.length];
        for (int i = 0; i < data.length; i++) data[i] = dataValues[i];
        pass.forward(parameters, data);
        pass.reverse(0);
        Double[] gradient = new Double[parameters.length];
        for (int p = 0; p < gradient.length; p++) gradient[p] = pass.adjoints[tape.parameterNode(p)];
        return gradient;
    }

    /** Every node's value; {@code data} null for a formula, which has none. */
    private void forward(double[] operands, double[] data) {
        int n = tape.nodeCount();
        for (int node = 0; node < n; node++) {
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA -> {
                    if (data == null) throw new IllegalStateException("a formula has no data");
                    values[node] = data[tape.leafIndex(node)];
                }
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
    }

    /**
     * Adds {@code adjoint}·∂formula/∂operand_j to {@code into[at[j]]} for every operand, at the
     * operands {@link #value} was last called with: the partials first, then their products
     * with the adjoint, as the boxed pass does.
     */
    void addPartials(double adjoint, double[][] into, int[] step, int[] at) {
        reverse(firstParameter);
        for (int p = 0; p < at.length; p++) into[step[p]][at[p]] += adjoint * adjoints[firstParameter + p];
    }

    /** The objective's adjoint of every node from the objective down to {@code lowest}. */
    private void reverse(int lowest) {
        int root = tape.objectiveNode();
        java.util.Arrays.fill(adjoints, 0, root + 1, 0.0);
        adjoints[root] = 1;
        for (int node = root; node >= lowest; node--) {
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
