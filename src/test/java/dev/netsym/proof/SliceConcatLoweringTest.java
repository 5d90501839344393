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
 * Slices (1-based, both ends included; a single number drops its axis) and concat lower to
 * units that compute what the same selections compute written directly over double arrays.
 */
class SliceConcatLoweringTest {
    private static final String SPEC = """
            input X[3,4], x[5]
            target T1[2,2], T2[3,7], T3[3], T4[2], T5[3,7]
            param W[4,3]
            H = X @ W
            S = H[2:3, :2]
            C = concat(X, H)
            R = W[:, 2]
            P = (W @ x[1:3])[2:3]
            D = (concat(C, C, 1))[4:, :]
            objective sum(S * T1) + sum(C * T2) + sum(R[2:4] * T3) + sum(P * T4) + sum(D * T5) + W[4,3]
            """;

    @Test
    void theLoweredObjectiveIsTheDirectOne() {
        var parsed = Netsym.parse(SPEC);
        assertTrue(parsed.network().isPresent(), parsed.diagnostics().toString());
        Network network = parsed.network().get();
        IndependentGradients<BigDecimal> lowered = IndependentGradients.decimal(network);
        Random random = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            Map<String, BigDecimal> data = new HashMap<>();
            Map<String, BigDecimal> parameters = new HashMap<>();
            double[][] xm = fill(random, "X", 3, 4, data);
            double[] xv = fill(random, "x", 5, data);
            double[][] t1 = fill(random, "T1", 2, 2, data);
            double[][] t2 = fill(random, "T2", 3, 7, data);
            double[] t3 = fill(random, "T3", 3, data);
            double[] t4 = fill(random, "T4", 2, data);
            double[][] t5 = fill(random, "T5", 3, 7, data);
            double[][] w = fill(random, "W", 4, 3, parameters);

            double[][] h = new double[3][3];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) h[i][j] += xm[i][k] * w[k][j];
            double expected = 0;
            // S = H[2:3, :2]: rows 2 and 3, columns 1 and 2.
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) expected += h[i + 1][j] * t1[i][j];
            // C = concat(X, H): X's 4 columns, then H's 3.
            double[][] c = new double[3][7];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 7; j++) {
                    c[i][j] = j < 4 ? xm[i][j] : h[i][j - 4];
                    expected += c[i][j] * t2[i][j];
                }
            }
            // R[2:4] with R = W[:, 2]: W[2,2], W[3,2], W[4,2].
            for (int i = 0; i < 3; i++) expected += w[i + 1][1] * t3[i];
            // P = (W x[1:3])[2:3]: rows 2 and 3 of W times the first three elements of x.
            for (int i = 0; i < 2; i++) {
                double p = 0;
                for (int k = 0; k < 3; k++) p += w[i + 1][k] * xv[k];
                expected += p * t4[i];
            }
            // D = rows 4 to 6 of C stacked on C: C again.
            for (int i = 0; i < 3; i++) for (int j = 0; j < 7; j++) expected += c[i][j] * t5[i][j];
            expected += w[3][2];

            double actual = lowered.evaluate(parameters, data).objective().doubleValue();
            assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), "trial " + trial);
        }
    }

    @Test
    void aSliceKeepsRangedAxesAndDropsPickedOnes() {
        var parsed = Netsym.parse("param W[3,4]\nA = W[2, 2:4]\nB = W[1:2, 3]\nC = W[:, :]\nE = concat(W, W, 1)\n"
                + "objective sum(A) + sum(B) + sum(C) + sum(E)\n");
        Network network = parsed.network().orElseThrow();
        Map<String, String> units = new HashMap<>();
        network.units().forEach(u -> units.put(u.name(), u.definition().toString()));
        assertEquals(units.get("A[1]"), new dev.netsym.model.Expr.Ref("W[2,2]").toString());
        assertEquals(units.get("A[3]"), new dev.netsym.model.Expr.Ref("W[2,4]").toString());
        assertEquals(units.get("B[2]"), new dev.netsym.model.Expr.Ref("W[2,3]").toString());
        assertEquals(units.get("C[3,4]"), new dev.netsym.model.Expr.Ref("W[3,4]").toString());
        assertEquals(units.get("E[6,4]"), new dev.netsym.model.Expr.Ref("W[3,4]").toString());
        assertTrue(!units.containsKey("A[4]") && !units.containsKey("B[3]") && !units.containsKey("E[7,1]"), units.keySet().toString());
    }

    private static double[][] fill(Random random, String name, int rows, int cols, Map<String, BigDecimal> into) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = random.nextGaussian();
                into.put(name + "[" + (i + 1) + "," + (j + 1) + "]", new BigDecimal(out[i][j]));
            }
        }
        return out;
    }

    private static double[] fill(Random random, String name, int size, Map<String, BigDecimal> into) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = random.nextGaussian();
            into.put(name + "[" + (i + 1) + "]", new BigDecimal(out[i]));
        }
        return out;
    }
}
