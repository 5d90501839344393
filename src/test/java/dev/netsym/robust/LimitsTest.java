package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        String tooLarge = ": error: the spec is too large: it expands to more than 36000000 elements";
        // 4001 x 3000 weights: each size is allowed, the product is not (a weight counts five).
        assertRefused("input x[3000]\nlayer h[4001] = dense(x)\nobjective sum(h)\n", tooLarge);
        // Many tensors each within the size limit: seven declared parameters of a million (each
        // element counts six), which their 7 million elements alone would not pass.
        String params = java.util.stream.IntStream.range(0, 7).mapToObj(i -> "W" + i + "[1000,1000]")
                .collect(java.util.stream.Collectors.joining(", "));
        assertRefused("input x\nparam " + params + "\nobjective x*sum(W0)\n", tooLarge);
        // Every init line walks every parameter.
        StringBuilder inits = new StringBuilder("input x\ny = ");
        for (int i = 0; i < 20_000; i++) inits.append(i == 0 ? "" : " + ").append("w").append(i).append("*x");
        inits.append("\nobjective y\n").append("init all = 0\n".repeat(1_900));
        assertRefused(inits.toString(), tooLarge);
    }

    @Test
    void declarationsPastTheBudgetAreRefusedBeforeTheirElementsAreMade() throws Exception {
        // 41 inputs of 900,000: each within the size limit, together past the budget at the last one.
        // Their 36 million element names took 40 s and 6 GB to make before the refusal came.
        String inputs = java.util.stream.IntStream.range(0, 41).mapToObj(i -> "x" + i + "[900000]")
                .collect(java.util.stream.Collectors.joining(", "));
        CliRun refused = assertRefused("input " + inputs + "\nobjective w*x0[1]\n",
                ":1:" + (1 + ("input " + inputs).lastIndexOf("x40")) + ": error: the spec is too large");
        assertEquals(1, refused.err().lines().count(), refused::toString);
        // A tensor past the per-tensor limit is that limit's error alone, not also the budget's.
        CliRun tooBig = assertRefused("input x\nparam W[1000000,1000]\nobjective x*sum(W)\n",
                ":2:7: error: a tensor may have at most 1000000 elements");
        assertEquals(1, tooBig.err().lines().count(), tooBig::toString);
    }

    @Test
    void aMatrixProductIsChargedForTheTermsItWritesAndAUnitPastTheBudgetFailsAlone() throws Exception {
        // 4x512 @ 512x512 writes 1M terms (its operands' sizes multiplied would be 537M)
        CliRun run = assertAccepted("input X[4,512]\nparam W[512,512]\nY = X @ W\nobjective sum(Y)\n");
        assertTrue(run.out().contains("parameters   262144: "), run::toString);
        // 100x100 @ 100x4000 writes 40M terms: over the budget at A, and B, which uses A, reports
        // nothing of its own (A has no shape to complain about)
        String spec = "input X[100,100]\nparam W[100,4000], g[4000], b[4000]\n"
                + "A = tanh(X) @ W\nB = layer_norm(A, g, b)\nobjective sum(B)\n";
        CliRun refused = assertRefused(spec, ":3:15: error: the spec is too large");
        assertEquals(1, refused.err().lines().count(), refused::toString);
    }

    @Test
    void aValueSharedByManyUsesIsChargedOnce() throws Exception {
        // As trees, nested sums multiply (10^8 terms) and so do nested products (4^12 per element);
        // as graphs, each inner sum and each element of a product is built once, which the tape compiles once.
        assertAccepted("input x[10]\nobjective sum(x*sum(x*sum(x*sum(x*sum(x*sum(x*sum(x*sum(x))))))))\n");
        StringBuilder nested = new StringBuilder("x");
        for (int i = 1; i <= 12; i++) nested.insert(0, "tanh(").append(" @ W").append(i).append(')');
        CliRun run = assertAccepted("input x[4]\nparam W1[4,4], W2[4,4], W3[4,4], W4[4,4], W5[4,4], W6[4,4], W7[4,4],"
                + " W8[4,4], W9[4,4], W10[4,4], W11[4,4], W12[4,4]\nh = " + nested + "\nobjective sum(h)\n");
        assertTrue(run.out().contains("translation: evaluation tape of 485 nodes"), run::toString);
    }

    /**
     * A network small as a graph and huge written out (3^20 copies of x per element): prove and
     * dot compute with it (prove without Symja, though it has few parameters); derive, latex, laws
     * and a witness script, which write every expression out, refuse it at the unit where the count
     * passes the limit. Any of them walking it as a tree would not finish.
     */
    @Test
    void whatIsTooBigToWriteOutIsProvedButNotWrittenOut() throws Exception {
        StringBuilder nested = new StringBuilder("x");
        for (int i = 1; i <= 20; i++) nested.insert(0, "tanh(").append(" @ W").append(i).append(')');
        StringBuilder weights = new StringBuilder();
        for (int i = 1; i <= 20; i++) weights.append(i == 1 ? "" : ", ").append("W").append(i).append("[3,3]");
        Path spec = dir.resolve("nested.net");
        Files.writeString(spec, "input x[3]\ntarget y\nparam " + weights + "\nh = " + nested
                + "\nobjective (sum(h) - y)^2\n");
        CliRun proved = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> CliRun.of("prove", spec.toString()));
        assertEquals(0, proved.exitCode(), proved::toString);
        assertEquals("", proved.err());
        assertTrue(proved.out().contains("every element takes a value of its own in W1, W2, W3, W4"), proved::toString);
        CliRun drawn = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> CliRun.of("dot", spec.toString()));
        assertEquals(0, drawn.exitCode(), drawn::toString);
        assertTrue(drawn.out().startsWith("digraph"), drawn::toString);
        assertTrue(proved.out().replaceAll("\\s+", " ").contains("(expressions not shown: written out, they would have more than 6000000"
                + " operations (a value shared by many uses is copied into each))"), proved::toString);
        String refusal = spec + ":4:1: error: written out, the units up to h[1] have more than 6000000 operations: a value"
                + " used in many places (a matrix product's operand) is copied into each use, and nesting multiplies the"
                + " copies. derive, latex and laws write every expression out; prove and simulate compute with each value once."
                + " To write them out, give inner products units of their own (h1 = tanh(x @ W1), then h2 = tanh(h1 @ W2)).\n";
        for (String[] command : List.of(new String[] {"derive", spec.toString()}, new String[] {"laws", spec.toString()},
                new String[] {"latex", spec.toString(), "-o", dir.resolve("n.tex").toString()})) {
            CliRun refused = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> CliRun.of(command));
            assertEquals(65, refused.exitCode(), refused::toString);
            assertEquals("", refused.out());
            assertEquals(refusal, refused.err());
        }
        CliRun script = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> CliRun.of("prove", spec.toString(),
                "--witness-script", "python", "-o", dir.resolve("w.py").toString()));
        assertEquals(65, script.exitCode(), script::toString);
        assertTrue(script.err().startsWith(spec + ": error: the network has more than 1000000 expression nodes written"
                + " out"), script::toString);
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
