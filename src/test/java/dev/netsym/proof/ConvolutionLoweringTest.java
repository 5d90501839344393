package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.model.Network;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Convolutions (with stride and padding), pooling, batch norm and multi-head attention lowered
 * to scalar units, checked against loops over double arrays written from the definitions
 * PyTorch documents for conv2d, conv1d, avg_pool, BatchNorm (training mode) and
 * MultiheadAttention's per-head split.
 */
class ConvolutionLoweringTest {
    private static final String SPEC = """
            input X[2,5,5], Z[2,6], B[4,3], Q[3,4]
            target T[4,3]
            param K[3,2,3,3], J[2,2,3], g[3], b[3]
            C = tanh(conv2d(X, K, 2, 1))
            P = avg_pool2d(C, 2)
            D = avg_pool1d(conv1d(Z, J), 2)
            N = batch_norm(B, g, b)
            M = attention(Q, Q, Q, 2)
            objective sum(P) + sum(D * D) + sum(N * T) + sum(M * M)
            """;

    @Test
    void theLoweredObjectiveIsTheDirectComputation() {
        var parsed = Netsym.parse(SPEC);
        assertTrue(parsed.network().isPresent(), parsed.diagnostics().toString());
        Network network = parsed.network().get();
        IndependentGradients<BigDecimal> lowered = IndependentGradients.decimal(network);
        Random random = new Random(31);
        for (int trial = 0; trial < 4; trial++) {
            double[] x = values(random, 50);
            double[] z = values(random, 12);
            double[] bIn = values(random, 12);
            double[] q = values(random, 12);
            double[] t = values(random, 12);
            double[] k = values(random, 54);
            double[] j = values(random, 12);
            double[] gain = values(random, 3);
            double[] bias = values(random, 3);
            Map<String, BigDecimal> data = new HashMap<>();
            Map<String, BigDecimal> parameters = new HashMap<>();
            put(data, "X", new int[] {2, 5, 5}, x);
            put(data, "Z", new int[] {2, 6}, z);
            put(data, "B", new int[] {4, 3}, bIn);
            put(data, "Q", new int[] {3, 4}, q);
            put(data, "T", new int[] {4, 3}, t);
            put(parameters, "K", new int[] {3, 2, 3, 3}, k);
            put(parameters, "J", new int[] {2, 2, 3}, j);
            put(parameters, "g", new int[] {3}, gain);
            put(parameters, "b", new int[] {3}, bias);
            double expected = conv2dPooled(x, k) + conv1dPooledSquares(z, j) + batchNormDotTargets(bIn, gain, bias, t)
                    + twoHeadSquares(q);
            double actual = lowered.evaluate(parameters, data).objective().doubleValue();
            assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), "trial " + trial);
        }
    }

    /** sum(avg_pool2d(tanh(conv2d(X, K, stride 2, padding 1)), 2)): the 3×3 map pools to 1×1 (its top-left 2×2). */
    private static double conv2dPooled(double[] x, double[] k) {
        double total = 0;
        for (int o = 0; o < 3; o++) {
            double[][] map = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int jj = 0; jj < 3; jj++) {
                    double s = 0;
                    for (int c = 0; c < 2; c++) {
                        for (int u = 0; u < 3; u++) {
                            for (int v = 0; v < 3; v++) {
                                int row = 2 * i + u - 1;
                                int col = 2 * jj + v - 1;
                                if (row < 0 || row >= 5 || col < 0 || col >= 5) continue;
                                s += x[(c * 5 + row) * 5 + col] * k[((o * 2 + c) * 3 + u) * 3 + v];
                            }
                        }
                    }
                    map[i][jj] = Math.tanh(s);
                }
            }
            total += (map[0][0] + map[0][1] + map[1][0] + map[1][1]) / 4;
        }
        return total;
    }

    /** sum(D²), D = avg_pool1d(conv1d(Z, J), 2): length 6 → 4 → 2. */
    private static double conv1dPooledSquares(double[] z, double[] j) {
        double total = 0;
        for (int o = 0; o < 2; o++) {
            double[] line = new double[4];
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 2; c++) for (int v = 0; v < 3; v++) line[i] += z[c * 6 + i + v] * j[(o * 2 + c) * 3 + v];
            }
            for (int p = 0; p < 2; p++) {
                double d = (line[2 * p] + line[2 * p + 1]) / 2;
                total += d * d;
            }
        }
        return total;
    }

    /** sum(batch_norm(B)·T): each column normalised over the 4 rows, biased variance, ε = 1e-5. */
    private static double batchNormDotTargets(double[] b, double[] gain, double[] bias, double[] t) {
        double total = 0;
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (int n = 0; n < 4; n++) mean += b[n * 3 + c] / 4;
            double var = 0;
            for (int n = 0; n < 4; n++) var += (b[n * 3 + c] - mean) * (b[n * 3 + c] - mean) / 4;
            for (int n = 0; n < 4; n++) total += ((b[n * 3 + c] - mean) / Math.sqrt(var + 1e-5) * gain[c] + bias[c]) * t[n * 3 + c];
        }
        return total;
    }

    /** sum(M²), M = two-head self-attention of Q (columns 1–2 and 3–4 as the heads, d = 2). */
    private static double twoHeadSquares(double[] q) {
        double total = 0;
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 3; i++) {
                double[] weights = new double[3];
                double norm = 0;
                for (int jj = 0; jj < 3; jj++) {
                    double s = 0;
                    for (int d = 0; d < 2; d++) s += q[i * 4 + 2 * h + d] * q[jj * 4 + 2 * h + d];
                    weights[jj] = Math.exp(s / Math.sqrt(2));
                    norm += weights[jj];
                }
                for (int d = 0; d < 2; d++) {
                    double m = 0;
                    for (int jj = 0; jj < 3; jj++) m += weights[jj] / norm * q[jj * 4 + 2 * h + d];
                    total += m * m;
                }
            }
        }
        return total;
    }

    private static void put(Map<String, BigDecimal> into, String name, int[] shape, double[] values) {
        for (int flat = 0; flat < values.length; flat++) {
            into.put(dev.netsym.model.Tensor.elementName(name, shape, flat), new BigDecimal(values[flat]));
        }
    }

    private static double[] values(Random random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = (random.nextInt(9) - 4) / 4.0;
        return out;
    }
}
