package dev.netsym.calculus;

/**
 * One pass over a rational network's tape that bounds, node by node, a size of the numerator N
 * and the denominator D of the node written as N/D without cancelling: products and powers add
 * the sizes, a quotient crosses them, a sum brings its terms to the product of their
 * denominators. The size is the total degree ({@link DegreeBound}) or log2 of the sum of
 * absolute coefficients ({@link CoefficientBound}); the two differ only at leaves and in how a
 * sum of numerators combines.
 */
final class NumeratorDenominatorWalk {
    /** The sizes of one leaf's numerator and denominator. */
    interface Leaves {
        double[] data(int node);

        double[] parameter(int node);

        double[] constant(int node);
    }

    /** How the sizes of a sum's scaled numerators combine into one bound. */
    interface SumRule {
        double combine(double[] sizes, int count);
    }

    private NumeratorDenominatorWalk() {}

    /** size(N) + size(D) at the objective, or +∞ when the network is not a rational function. */
    static double ofObjective(Tape tape, Leaves leaves, SumRule sumRule) {
        int n = tape.nodeCount();
        double[] num = new double[n];
        double[] den = new double[n];
        double[] scratch = new double[4];
        for (int node = 0; node < n; node++) {
            int count = tape.childCount(node);
            double[] leaf = null;
            switch (tape.operation(node)) {
                case DATA -> leaf = leaves.data(node);
                case PARAMETER -> leaf = leaves.parameter(node);
                case CONSTANT -> leaf = leaves.constant(node);
                case SUM -> {
                    // Σ N_k/D_k = (Σ_k N_k·Π_{j≠k} D_j) / Π_j D_j
                    double common = 0;
                    for (int k = 0; k < count; k++) common += den[tape.child(node, k)];
                    if (scratch.length < count) scratch = new double[count];
                    for (int k = 0; k < count; k++) {
                        int c = tape.child(node, k);
                        scratch[k] = num[c] + common - den[c];
                    }
                    num[node] = count == 0 ? 0 : sumRule.combine(scratch, count);
                    den[node] = common;
                }
                case PRODUCT -> {
                    for (int k = 0; k < count; k++) {
                        num[node] += num[tape.child(node, k)];
                        den[node] += den[tape.child(node, k)];
                    }
                }
                case NEGATE -> {
                    num[node] = num[tape.child(node, 0)];
                    den[node] = den[tape.child(node, 0)];
                }
                case QUOTIENT -> {
                    int a = tape.child(node, 0);
                    int b = tape.child(node, 1);
                    num[node] = num[a] + den[b];
                    den[node] = den[a] + num[b];
                }
                case INTEGER_POWER -> {
                    int e = tape.exponent(node);
                    int b = tape.child(node, 0);
                    num[node] = Math.abs((double) e) * (e >= 0 ? num[b] : den[b]);
                    den[node] = Math.abs((double) e) * (e >= 0 ? den[b] : num[b]);
                }
                default -> {
                    return Double.POSITIVE_INFINITY;
                }
            }
            if (leaf != null) {
                num[node] = leaf[0];
                den[node] = leaf[1];
            }
        }
        int root = tape.objectiveNode();
        return num[root] + den[root];
    }
}
