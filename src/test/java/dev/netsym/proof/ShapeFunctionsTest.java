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
 * Batched @, permute, reshape and max pooling lower to units that compute what the textbook
 * definitions compute, here written directly over nested double arrays.
 */
class ShapeFunctionsTest {
    private static final String SPEC = """
            input X[2,3,4]
            param W[4,2]
            H = X @ W
            P = permute(H, 3, 1, 2)
            R = reshape(P, 4, 3)
            M = max_pool1d(R, 2, 1)
            N = max_pool2d(X, 2)
            objective sum(M * M) + sum(N)
            """;

    @Test
    void theLoweredObjectiveIsTheDirectOne() {
        var parsed = Netsym.parse(SPEC);
        assertTrue(parsed.network().isPresent(), parsed.diagnostics().toString());
        Network network = parsed.network().get();
        IndependentGradients<BigDecimal> lowered = IndependentGradients.decimal(network);
        Random random = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            double[][][] x = new double[2][3][4];
            double[][] w = new double[4][2];
            Map<String, BigDecimal> data = new HashMap<>();
            Map<String, BigDecimal> parameters = new HashMap<>();
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 4; j++) {
                        x[b][i][j] = random.nextGaussian();
                        data.put("X[" + (b + 1) + "," + (i + 1) + "," + (j + 1) + "]", new BigDecimal(x[b][i][j]));
                    }
                }
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 2; j++) {
                    w[i][j] = random.nextGaussian();
                    parameters.put("W[" + (i + 1) + "," + (j + 1) + "]", new BigDecimal(w[i][j]));
                }
            }
            double expected = reference(x, w);
            double actual = lowered.evaluate(parameters, data).objective().doubleValue();
            assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), "trial " + trial);
        }
    }

    private static double reference(double[][][] x, double[][] w) {
        double[][][] h = new double[2][3][2];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                    for (int k = 0; k < 4; k++) h[b][i][j] += x[b][i][k] * w[k][j];
                }
            }
        }
        // P[c][b][i] = H[b][i][c], then its 12 elements row by row as R [4,3].
        double[] flat = new double[12];
        int n = 0;
        for (int c = 0; c < 2; c++) for (int b = 0; b < 2; b++) for (int i = 0; i < 3; i++) flat[n++] = h[b][i][c];
        double loss = 0;
        for (int r = 0; r < 4; r++) {
            for (int s = 0; s < 2; s++) {
                double m = Math.max(flat[r * 3 + s], flat[r * 3 + s + 1]);
                loss += m * m;
            }
        }
        // 2x2 windows, stride 2, over [3,4]: one row of windows, two columns.
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 2; j++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < 2; u++) for (int v = 0; v < 2; v++) m = Math.max(m, x[b][u][2 * j + v]);
                loss += m;
            }
        }
        return loss;
    }
}
