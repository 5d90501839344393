package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specs built to exhaust the front end: each must either work or be refused with a diagnostic,
 * and never with a stack overflow, an out-of-memory error or a hang.
 */
class LimitsTest {
    @TempDir
    Path dir;

    private CliRun check(String spec) throws Exception {
        // The budget only catches a hang; the limits themselves are what is tested.
        CliRun run = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> CliRun.check(dir, spec));
        run.assertOnlyDiagnosticsOnStderr();
        return run;
    }

    private CliRun assertRefused(String spec, String expectedError) throws Exception {
        CliRun run = check(spec);
        run.assertRefusedWithDiagnostics();
        assertTrue(run.err().contains(expectedError), () -> "expected '" + expectedError + "' in " + run);
        return run;
    }

    private CliRun assertAccepted(String spec) throws Exception {
        CliRun run = check(spec);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    @Test
    void aChainOfTwoThousandUnits() throws Exception {
        StringBuilder s = new StringBuilder("input x\nu0 = w0*x\n");
        for (int i = 1; i <= 2000; i++) s.append("u").append(i).append(" = tanh(w").append(i).append("*u").append(i - 1).append(")\n");
        s.append("objective u2000\n");
        assertTrue(assertAccepted(s.toString()).out().contains("units        2001: "));
    }

    @Test
    void oneUnitSummingAHundredThousandTerms() throws Exception {
        StringBuilder s = new StringBuilder("input x\ny = ");
        for (int i = 0; i < 100_000; i++) s.append(i == 0 ? "" : " + ").append("w").append(i).append("*x");
        assertTrue(assertAccepted(s + "\nobjective y\n").out().contains("parameters   100000: "));
    }

    @Test
    void tenThousandNestedParentheses() throws Exception {
        assertRefused("input x\ny = " + "(".repeat(10_000) + "x" + ")".repeat(10_000) + "\nobjective y\n",
                ":2:205: error: brackets nested more than 200 deep");
    }

    @Test
    void deepNestingWithoutBracketsIsReadWithoutOverflow() throws Exception {
        // Unary minus and '^' nest in the grammar without any bracket for the nesting check to count.
        assertAccepted("input x\ny = w*" + "-".repeat(100_000) + "x\nobjective y\n");
        assertAccepted("input x\ny = w*x" + "^x".repeat(20_000) + "\nobjective y\n");
    }

    @Test
    void absurdNumbers() throws Exception {
        assertRefused("input x\ny = 1e999999*x\nobjective y\n", ":2:5: error: the number 1e999999 is too large");
        assertRefused("input x\ny = 1e99999999999999999999*x\nobjective y\n",
                ":2:5: error: the number 1e99999999999999999999 is too large");
        assertRefused("input x\ny = w*x\nobjective y\ninit w = -1e99999999999999999999\n",
                ":4:11: error: the number 1e99999999999999999999 is too large");
        assertRefused("input x\ny = 0.5e-99999*x\nobjective y\n", ":2:5: error: the number 0.5e-99999 is too large");
        assertRefused("input x\ny = " + "9".repeat(5000) + "*x\nobjective y\n", ":2:5: error: the number 99999999999999999999...");
        assertAccepted("input x\ny = 1e1000*x + 1e-1000*x\nobjective y\n");
    }

    @Test
    void absurdIndices() throws Exception {
        assertRefused("input x[99999999999]\ny = x[1]\nobjective y\n", ":1:9: error: a size must be between 1 and 1000000");
        assertRefused("input x[3]\ny = x[99999999999]\nobjective y\n",
                ":2:5: error: 'x' has 3 elements; x[99999999999] does not exist");
        assertRefused("input x\ny = x[99999999999]\nobjective y\n",
                ":2:5: error: 'x' is not a vector; x[99999999999] does not exist");
        assertRefused("input x[3]\ny = x[1,2]\nobjective y\n",
                ":2:5: error: 'x' is a vector; index it with one number, as x[i]");
        assertRefused("input x\nu[99999999999] = w*x\nobjective u[99999999999]\n",
                ":2:1: error: an index must be between 1 and 1000000");
        assertRefused("input x\nu[0] = w*x\nobjective u[0]\n", ":2:1: error: an index must be between 1 and 1000000");
        // An index on a parameter's name is just part of the name, however large.
        assertTrue(assertAccepted("input x\ny = W[99999999999,1]*x\nobjective y\n").out()
                .contains("parameters   1: W[99999999999,1]"));
    }

    @Test
    void divisionByZeroInConstants() throws Exception {
        assertRefused("input x\ny = w*x/0\nobjective y\n", ":2:9: error: division by zero");
        assertRefused("input x\ny = w*x/(0.0)\nobjective y\n", ":2:9: error: division by zero");
        assertRefused("input x\ny = w*x\nobjective y\ninit w = 1/0\n", ":4:12: error: division by zero");
        assertRefused("input x\ny = w*x\nobjective y\ndata x = 0.5/0.0\n", ":4:14: error: division by zero");
        assertRefused("input x\ny = w*x\nobjective y\nassume x > -1/0\n", ":4:15: error: division by zero");
    }

    @Test
    void aLayerOfTenMillionUnitsIsRefusedBeforeAnythingIsBuilt() throws Exception {
        assertRefused("input x[784]\nlayer h[10000000] = dense(x)\nobjective sum(h)\n",
                ":2:9: error: a size must be between 1 and 1000000");
        assertRefused("input x[10000000]\ny = w*x[1]\nobjective y\n", ":1:9: error: a size must be between 1 and 1000000");
    }

    @Test
    void expansionBeyondTheBudgetIsRefused() throws Exception {
        String tooLarge = ": error: the spec is too large: it expands to more than 6000000 elements";
        // 2001 x 3000 weights: each size is allowed, the product is not.
        assertRefused("input x[3000]\nlayer h[2001] = dense(x)\nobjective sum(h)\n", tooLarge);
        // Nested sums multiply: 10^8 terms from a one-line spec.
        assertRefused("input x[10]\nobjective sum(x*sum(x*sum(x*sum(x*sum(x*sum(x*sum(x*sum(x))))))))\n", tooLarge);
        // Many vectors each within the size limit.
        assertRefused("input a[900000], b[900000], c[900000], d[900000], e[900000], f[900000], g[900000]\n"
                + "y = w*a[1]\nobjective y\n", tooLarge);
        // Every init line walks every parameter.
        StringBuilder inits = new StringBuilder("input x\ny = ");
        for (int i = 0; i < 20_000; i++) inits.append(i == 0 ? "" : " + ").append("w").append(i).append("*x");
        inits.append("\nobjective y\n").append("init all = 0\n".repeat(400));
        assertRefused(inits.toString(), tooLarge);
    }

    @Test
    void aMatrixProductIsChargedForTheTermsItWritesAndAUnitPastTheBudgetFailsAlone() throws Exception {
        // 4x512 @ 512x512 writes 1M terms (its operands' sizes multiplied would be 537M)
        CliRun run = assertAccepted("input X[4,512]\nparam W[512,512]\nY = X @ W\nobjective sum(Y)\n");
        assertTrue(run.out().contains("parameters   262144: "), run::toString);
        // the product's terms fit, but its operand is written out in each of them: over the budget
        // at A, and B, which uses A, reports nothing of its own (A has no shape to complain about)
        String spec = "input X[100,100]\nparam W[100,100], g[100], b[100]\n"
                + "A = tanh(tanh(tanh(tanh(tanh(tanh(tanh(tanh(X)))))))) @ W\nB = layer_norm(A, g, b)\nobjective sum(B)\n";
        CliRun refused = assertRefused(spec, ":3:1: error: the spec is too large");
        assertEquals(1, refused.err().lines().count(), refused::toString);
    }

    @Test
    void theMnistSizedDenseNetworkIsRead() throws Exception {
        CliRun run = assertAccepted("""
                input x[784]
                target t[10]
                layer h1[256] = tanh(dense(x, bias))
                layer h2[128] = tanh(dense(h1, bias))
                layer out[10] = dense(h2, bias)
                objective sum((out - t)^2)
                init W_* = random
                init b_* = 0
                """);
        assertTrue(run.out().contains("parameters   235146: "), run::toString);
        assertTrue(run.out().contains("layer        h1[256] = dense(x[784], bias): 200704 weights and 256 biases"),
                run::toString);
    }

    @Test
    void globPatternsThatWouldBacktrackExponentiallyStillAnswer() throws Exception {
        String name = "a".repeat(60);
        assertRefused("input x\ny = " + name + "*x\nobjective y\ninit " + "*a".repeat(30) + "*b = 0\n",
                ":4:6: error: init selector '" + "*a".repeat(30) + "*b' matches no parameter");
        CliRun run = assertAccepted("input x\ny = " + name + "*x\nobjective y\ninit " + "*a".repeat(30) + "* = 0\n");
        assertTrue(run.out().contains("0                     1: " + name), run::toString);
    }
}
