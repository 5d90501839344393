package dev.netsym.proof;

import dev.netsym.calculus.Tape;

/**
 * An upper bound on the total degree of the numerator of g_i − g_j, viewing the objective as a
 * rational function of the inputs, targets and class symbols. Schwartz–Zippel turns it into
 * the error bound of the randomized identity test: a non-zero polynomial of degree d vanishes
 * at a uniformly random point modulo p with probability at most d/p.
 */
final class DegreeBound {
    private DegreeBound() {}

    /** The bound, or +∞ when the network is not a rational function (then no such test applies). */
    static double ofGradientDifference(Tape tape) {
        int n = tape.nodeCount();
        double[] num = new double[n];
        double[] den = new double[n];
        for (int node = 0; node < n; node++) {
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA, PARAMETER -> num[node] = 1;
                case CONSTANT -> num[node] = 0;
                case SUM -> {
                    double d = 0;
                    for (int k = 0; k < count; k++) d += den[tape.child(node, k)];
                    double top = 0;
                    for (int k = 0; k < count; k++) {
                        int c = tape.child(node, k);
                        top = Math.max(top, num[c] + d - den[c]);
                    }
                    num[node] = top;
                    den[node] = d;
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
                    num[node] = Math.abs(e) * (e >= 0 ? num[b] : den[b]);
                    den[node] = Math.abs(e) * (e >= 0 ? den[b] : num[b]);
                }
                default -> {
                    return Double.POSITIVE_INFINITY;
                }
            }
        }
        int root = tape.objectiveNode();
        // g = (N'D − ND')/D²; the difference of two such over D² has numerator degree ≤ deg N + deg D.
        return num[root] + den[root] + 1;
    }
}
