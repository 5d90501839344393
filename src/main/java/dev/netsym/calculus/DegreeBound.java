package dev.netsym.calculus;

/**
 * An upper bound on the total degree of the numerator of g_i − g_j, viewing the objective as a
 * rational function of the inputs, targets and class symbols. Schwartz–Zippel turns it into
 * the error bound of the randomized identity test: a non-zero polynomial of degree d vanishes
 * at a uniformly random point of a set S with probability at most d/|S|.
 */
public final class DegreeBound {
    private static final double[] VARIABLE = {1, 0};
    private static final double[] NUMBER = {0, 0};

    private DegreeBound() {}

    /** The bound, or +∞ when the network is not a rational function (then no such test applies). */
    public static double ofGradientDifference(Tape tape) {
        double size = NumeratorDenominatorWalk.ofObjective(tape, new NumeratorDenominatorWalk.Leaves() {
            @Override public double[] data(int node) { return VARIABLE; }

            @Override public double[] parameter(int node) { return VARIABLE; }

            @Override public double[] constant(int node) { return NUMBER; }
        }, (sizes, count) -> {
            double largest = 0;
            for (int k = 0; k < count; k++) largest = Math.max(largest, sizes[k]);
            return largest;
        });
        // g = (N'D − ND')/D²; the difference of two such over D² has numerator degree ≤ deg N + deg D.
        return size + 1;
    }
}
