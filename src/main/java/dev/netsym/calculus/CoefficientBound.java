package dev.netsym.calculus;

import dev.netsym.model.Rational;
import java.math.BigInteger;

/**
 * An upper bound, in bits, on the coefficients of the integer numerator of g_i − g_j, for the first
 * half of the argument in {@link ModularArithmetic}: a random modulus divides the content of a
 * non-zero such numerator with probability {@link ModularArithmetic#probabilityModulusDividesContent}.
 *
 * <p>Every node is written, without cancelling, as N/D with N and D integer polynomials, and the
 * pass bounds log2 of their L1 norms (sums of absolute coefficients), which are sub-multiplicative.
 * A parameter θ_k enters as s + ε_k (s its class symbol or fixed value, ε_k a new variable), so that
 * g_i = (N_i·D_0 − N_0·D_i)/D_0², where N_0 and N_i are the ε-free part and the ε_i coefficient of N:
 * disjoint parts, each of norm at most ‖N‖. The numerator D_0(N_i − N_j) − N_0(D_i − D_j) of g_i − g_j
 * therefore has norm at most 2‖N‖‖D‖, and its content (which divides every coefficient) no more.
 */
public final class CoefficientBound {
    private CoefficientBound() {}

    /**
     * The bound for one evaluation: {@code parameterValues[k]} is the fixed value parameter k is
     * evaluated at, or null for a random one (a class symbol); {@code dataValues} likewise for the
     * data, by tape data index (either array may be null: all random). For several data samples
     * compared one by one, take the largest. +∞ when the network is not a rational function.
     */
    public static double ofGradientDifference(Tape tape, Rational[] parameterValues, Rational[] dataValues) {
        double size = NumeratorDenominatorWalk.ofObjective(tape, new NumeratorDenominatorWalk.Leaves() {
            @Override
            public double[] data(int node) {
                Rational fixed = dataValues == null ? null : dataValues[tape.leafIndex(node)];
                return fixed == null ? new double[] {0, 0}
                        : new double[] {bits(fixed.numerator().abs()), bits(fixed.denominator())};
            }

            @Override
            public double[] parameter(int node) {
                Rational fixed = parameterValues == null ? null : parameterValues[tape.leafIndex(node)];
                // s + ε, or (a + b·ε)/b for a fixed value a/b
                return fixed == null ? new double[] {1, 0}
                        : new double[] {bits(fixed.numerator().abs().add(fixed.denominator())), bits(fixed.denominator())};
            }

            @Override
            public double[] constant(int node) {
                Rational value = tape.constant(node);
                return new double[] {bits(value.numerator().abs()), bits(value.denominator())};
            }
        }, (sizes, count) -> {
            // log2 of a sum of norms 2^size, computed around the largest to stay finite.
            double largest = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < count; k++) largest = Math.max(largest, sizes[k]);
            double scaledSum = 0;
            for (int k = 0; k < count; k++) scaledSum += Math.pow(2, sizes[k] - largest);
            return largest + Math.log(scaledSum) / Math.log(2);
        });
        return 1 + size;
    }

    /** log2 of a norm, at least 0 (a zero polynomial is bounded by norm 1 as well); exact below 2^53. */
    private static double bits(BigInteger norm) {
        if (norm.bitLength() > 53) return norm.bitLength();
        return norm.signum() == 0 ? 0 : Math.log(norm.doubleValue()) / Math.log(2);
    }
}
