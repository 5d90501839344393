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
        int n = tape.nodeCount();
        double[] num = new double[n];
        double[] den = new double[n];
        for (int node = 0; node < n; node++) {
            int count = tape.childCount(node);
            switch (tape.operation(node)) {
                case DATA -> {
                    Rational fixed = dataValues == null ? null : dataValues[tape.leafIndex(node)];
                    if (fixed != null) {
                        num[node] = bits(fixed.numerator().abs());
                        den[node] = bits(fixed.denominator());
                    }
                }
                case PARAMETER -> {
                    Rational fixed = parameterValues == null ? null : parameterValues[tape.leafIndex(node)];
                    // s + ε, or (a + b·ε)/b for a fixed value a/b
                    num[node] = fixed == null ? 1
                            : bits(fixed.numerator().abs().add(fixed.denominator()));
                    den[node] = fixed == null ? 0 : bits(fixed.denominator());
                }
                case CONSTANT -> {
                    Rational value = tape.constant(node);
                    num[node] = bits(value.numerator().abs());
                    den[node] = bits(value.denominator());
                }
                case SUM -> {
                    // Σ N_k/D_k = (Σ_k N_k·Π_{j≠k} D_j) / Π_j D_j
                    double common = 0;
                    for (int k = 0; k < count; k++) common += den[tape.child(node, k)];
                    double largest = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < count; k++) {
                        int c = tape.child(node, k);
                        largest = Math.max(largest, num[c] + common - den[c]);
                    }
                    double scaledSum = 0;
                    for (int k = 0; k < count; k++) {
                        int c = tape.child(node, k);
                        scaledSum += Math.pow(2, num[c] + common - den[c] - largest);
                    }
                    num[node] = count == 0 ? 0 : largest + Math.log(scaledSum) / Math.log(2);
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
        }
        int root = tape.objectiveNode();
        return 1 + num[root] + den[root];
    }

    /** log2 of a norm, at least 0 (a zero polynomial is bounded by norm 1 as well); exact below 2^53. */
    private static double bits(BigInteger norm) {
        if (norm.bitLength() > 53) return norm.bitLength();
        return norm.signum() == 0 ? 0 : Math.log(norm.doubleValue()) / Math.log(2);
    }
}
