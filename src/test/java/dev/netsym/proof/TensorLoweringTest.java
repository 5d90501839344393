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
 * The tensor functions lower to scalar units; here the lowered network's objective is checked
 * against the same model computed directly on double arrays, written from the textbook
 * definitions (row-major matrices, softmax over rows, biased variance, ε as in PyTorch).
 */
class TensorLoweringTest {
    private static final String SPEC = """
            input X[3,4]
            target T[3,4], S[3,2]
            param Wq[4,4], Wk[4,4], Wv[4,4], g[4], b[4], R[4,2]
            Q = X @ Wq
            K = X @ Wk
            V = X @ Wv
            A = causal_attention(Q, K, V)
            B = attention(Q, K, V)
            H = layer_norm(X + A - B / 2, g, b)
            Z = rms_norm(H, g)
            P = H @ R
            M = mean(transpose(P) @ P, 2)
            objective sum((Z - T)^2) + cross_entropy(P, S) + mean(logsumexp(P, 1)) + sum(M) + sum(softmax(P, 1) * S) + sum(log_softmax(P) * S)
            """;

    @Test
    void theLoweredObjectiveIsTheTensorModelsObjective() {
        var parsed = Netsym.parse(SPEC);
        assertTrue(parsed.network().isPresent(), parsed.diagnostics().toString());
        Network network = parsed.network().get();
        IndependentGradients<BigDecimal> lowered = IndependentGradients.decimal(network);
        Random random = new Random(20261130);
        for (int trial = 0; trial < 5; trial++) {
            Map<String, double[][]> m = new HashMap<>();
            m.put("X", randomMatrix(random, 3, 4));
            m.put("T", randomMatrix(random, 3, 4));
            m.put("S", randomMatrix(random, 3, 2));
            for (String w : new String[] {"Wq", "Wk", "Wv"}) m.put(w, randomMatrix(random, 4, 4));
            m.put("g", randomMatrix(random, 1, 4));
            m.put("b", randomMatrix(random, 1, 4));
            m.put("R", randomMatrix(random, 4, 2));
            Map<String, BigDecimal> parameters = new HashMap<>();
            Map<String, BigDecimal> data = new HashMap<>();
            for (var e : m.entrySet()) {
                boolean isData = e.getKey().length() == 1 && "XTS".contains(e.getKey());
                double[][] v = e.getValue();
                for (int i = 0; i < v.length; i++) {
                    for (int j = 0; j < v[0].length; j++) {
                        String name = v.length == 1 ? e.getKey() + "[" + (j + 1) + "]" : e.getKey() + "[" + (i + 1) + "," + (j + 1) + "]";
                        BigDecimal value = new BigDecimal(v[i][j]);
                        (isData ? data : parameters).put(name, value);
                    }
                }
            }
            double expected = reference(m);
            double actual = lowered.evaluate(parameters, data).objective().doubleValue();
            assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), "trial " + trial);
        }
    }

    /**
     * mixture(G, E1, …): per row of the router's scores, the softmax-weighted sum of the
     * experts' rows; and with a router vector, one set of weights for the whole experts.
     */
    @Test
    void mixturesAreTheSoftmaxWeightedSumsOfTheirExperts() {
        var parsed = Netsym.parse("""
                input X[3,4]
                param Wr[4,3], E1[4,2], E2[4,2], E3[4,2], r[2]
                Y = mixture(X @ Wr, X @ E1, tanh(X @ E2), X @ E3)
                Z = mixture(r, Y, Y * Y)
                objective sum(Y * Y) + sum(Z)
                """);
        assertTrue(parsed.network().isPresent(), parsed.diagnostics().toString());
        IndependentGradients<BigDecimal> lowered = IndependentGradients.decimal(parsed.network().get());
        Random random = new Random(20261201);
        for (int trial = 0; trial < 5; trial++) {
            double[][] x = randomMatrix(random, 3, 4);
            double[][] wr = randomMatrix(random, 4, 3);
            double[][][] e = {randomMatrix(random, 4, 2), randomMatrix(random, 4, 2), randomMatrix(random, 4, 2)};
            double[] r = randomMatrix(random, 1, 2)[0];
            Map<String, BigDecimal> parameters = new HashMap<>();
            Map<String, BigDecimal> data = new HashMap<>();
            put(data, "X", x);
            put(parameters, "Wr", wr);
            for (int k = 0; k < 3; k++) put(parameters, "E" + (k + 1), e[k]);
            for (int j = 0; j < 2; j++) parameters.put("r[" + (j + 1) + "]", new BigDecimal(r[j]));
            double[][] scores = mul(x, wr);
            double[][][] outputs = {mul(x, e[0]), mul(x, e[1]), mul(x, e[2])};
            for (double[] row : outputs[1]) for (int j = 0; j < row.length; j++) row[j] = Math.tanh(row[j]);
            double z0 = Math.exp(r[0]) / (Math.exp(r[0]) + Math.exp(r[1]));
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                double total = 0;
                for (int k = 0; k < 3; k++) total += Math.exp(scores[i][k]);
                for (int j = 0; j < 2; j++) {
                    double y = 0;
                    for (int k = 0; k < 3; k++) y += Math.exp(scores[i][k]) / total * outputs[k][i][j];
                    expected += y * y + z0 * y + (1 - z0) * y * y;
                }
            }
            double actual = lowered.evaluate(parameters, data).objective().doubleValue();
            assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), "trial " + trial);
        }
    }

    private static void put(Map<String, BigDecimal> values, String name, double[][] v) {
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[0].length; j++) values.put(name + "[" + (i + 1) + "," + (j + 1) + "]", new BigDecimal(v[i][j]));
        }
    }

    private static double reference(Map<String, double[][]> m) {
        double[][] x = m.get("X");
        double[][] q = mul(x, m.get("Wq"));
        double[][] k = mul(x, m.get("Wk"));
        double[][] v = mul(x, m.get("Wv"));
        double[][] causal = attention(q, k, v, true);
        double[][] full = attention(q, k, v, false);
        double[] g = m.get("g")[0];
        double[] b = m.get("b")[0];
        double[][] h = new double[3][4];
        for (int i = 0; i < 3; i++) {
            double[] row = new double[4];
            for (int j = 0; j < 4; j++) row[j] = x[i][j] + causal[i][j] - full[i][j] / 2;
            double mean = 0;
            for (double r : row) mean += r / 4;
            double var = 0;
            for (double r : row) var += (r - mean) * (r - mean) / 4;
            for (int j = 0; j < 4; j++) h[i][j] = (row[j] - mean) / Math.sqrt(var + 1e-5) * g[j] + b[j];
        }
        double loss = 0;
        double[][] t = m.get("T");
        for (int i = 0; i < 3; i++) {
            double ms = 0;
            for (int j = 0; j < 4; j++) ms += h[i][j] * h[i][j] / 4;
            for (int j = 0; j < 4; j++) {
                double z = h[i][j] / Math.sqrt(ms + 1e-6) * g[j];
                loss += (z - t[i][j]) * (z - t[i][j]);
            }
        }
        double[][] p = mul(h, m.get("R"));
        double[][] s = m.get("S");
        double crossEntropy = 0;
        double meanLse = 0;
        double softmaxTerm = 0;
        double logSoftmaxTerm = 0;
        for (int i = 0; i < 3; i++) {
            double lse = Math.log(Math.exp(p[i][0]) + Math.exp(p[i][1]));
            for (int c = 0; c < 2; c++) crossEntropy -= s[i][c] * (p[i][c] - lse) / 3;
            for (int c = 0; c < 2; c++) logSoftmaxTerm += s[i][c] * (p[i][c] - lse);
        }
        // logsumexp(P, 1): over the rows, one value per column, then their mean.
        for (int c = 0; c < 2; c++) {
            double total = 0;
            for (int i = 0; i < 3; i++) total += Math.exp(p[i][c]);
            meanLse += Math.log(total) / 2;
        }
        // softmax(P, 1): each column normalised over the rows.
        for (int c = 0; c < 2; c++) {
            double total = 0;
            for (int i = 0; i < 3; i++) total += Math.exp(p[i][c]);
            for (int i = 0; i < 3; i++) softmaxTerm += Math.exp(p[i][c]) / total * s[i][c];
        }
        double[][] ptp = mul(transpose(p), p);
        double sumM = 0;
        for (double[] row : ptp) sumM += (row[0] + row[1]) / 2;
        return loss + crossEntropy + meanLse + sumM + softmaxTerm + logSoftmaxTerm;
    }

    private static double[][] attention(double[][] q, double[][] k, double[][] v, boolean causal) {
        int n = q.length;
        double[][] scores = mul(q, transpose(k));
        double[][] weights = new double[n][n];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int j = 0; j < n; j++) if (!causal || j <= i) total += Math.exp(scores[i][j] / Math.sqrt(q[0].length));
            for (int j = 0; j < n; j++) {
                weights[i][j] = !causal || j <= i ? Math.exp(scores[i][j] / Math.sqrt(q[0].length)) / total : 0;
            }
        }
        return mul(weights, v);
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int l = 0; l < b.length; l++) out[i][j] += a[i][l] * b[l][j];
            }
        }
        return out;
    }

    private static double[][] transpose(double[][] a) {
        double[][] out = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) out[j][i] = a[i][j];
        return out;
    }

    private static double[][] randomMatrix(Random random, int rows, int columns) {
        double[][] out = new double[rows][columns];
        // Quarters, so every value is exact in binary and in the spec's rationals.
        for (double[] row : out) for (int j = 0; j < columns; j++) row[j] = (random.nextInt(9) - 4) / 4.0;
        return out;
    }
}
