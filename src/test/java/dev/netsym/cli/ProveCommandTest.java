package dev.netsym.cli;

import dev.netsym.robust.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code netsym prove} end to end on the examples, as a user runs it. */
class ProveCommandTest {
    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static CliRun prove(String example, String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "prove";
        System.arraycopy(more, 0, args, 1, more.length);
        args[args.length - 1] = "examples/" + example;
        CliRun r = run(args);
        assertEquals("", r.err(), "a good run prints nothing on stderr");
        return r;
    }

    @Test
    void cs231nReproducesTheSourceAnswer() {
        CliRun r = prove("cs231n.net");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertTrue(r.out().contains("    {w1, w2}  {w3, w4}  {w5, w6, w7, w8}  {w9, w10}\n"), r.out());
        assertTrue(r.out().contains("∂y/∂w1 = ∂y/∂w2 = 2·c3·c4·x1"), r.out());
        assertTrue(r.out().contains("∂y/∂w1 − ∂y/∂w3 = 2·c3·c4·(x1 − x2)"), r.out());
        assertTrue(r.out().contains("a = 0: every gradient is 0: nothing ever moves"), r.out());
        assertTrue(r.out().contains("What the network really is: 4 trainable values of 10 parameters."), r.out());
        assertTrue(r.out().contains("y = 4·c3·c4·(c1·x1 + c2·x2)"), r.out());
        r.out().lines().forEach(l -> assertTrue(l.length() <= 100, "longer than 100 columns: " + l));
    }

    @Test
    void startedAtZeroNothingMoves() {
        CliRun r = prove("cs231n-zero.net");
        assertTrue(r.out().contains("and these never move from their initial values:\n"
                + "    {w1, w2, w3, w4, w5, w6, w7, w8, w9, w10}"), r.out());
        assertTrue(r.out().contains("0 trainable values of 10 parameters"), r.out());
    }

    @Test
    void sigmoidStartedAtZeroStillMovesItsOutputWeightsTogether() {
        CliRun r = prove("sigmoid-zero.net");
        assertTrue(r.out().contains("{w1, w2}  {w3, w4}  {w5, w6}"), r.out());
        assertTrue(r.out().contains("no parameter is sure to stay at its initial value"), r.out());
    }

    @Test
    void deadReluFreezesEveryWeightButTheBias() {
        CliRun r = prove("dead-relu.net");
        assertTrue(r.out().contains("{v1, v2, w1, w2, w3, w4}"), r.out());
        assertTrue(r.out().contains("1 trainable value of 7 parameters"), r.out());
    }

    @Test
    void weightsInDifferentLayersStayEqual() {
        assertTrue(prove("cross-layer.net").out().contains("    {w1, w2, w3}\n"));
    }

    @Test
    void dataLinesRestrictTheStatementToThatDataset() {
        CliRun r = prove("generic-activation.net");
        assertTrue(r.out().contains("for the 2 data samples in the spec"), r.out());
        assertTrue(r.out().contains("{v1, v2}  {w1, w3}  {w2, w4}"), r.out());
    }

    @Test
    void jsonListsEveryParameterInExactlyOneClass() {
        CliRun r = prove("cs231n.net", "--format", "json");
        assertTrue(r.out().contains("\"classes\": [[\"w1\", \"w2\"], [\"w3\", \"w4\"], [\"w5\", \"w6\", \"w7\", \"w8\"], "
                + "[\"w9\", \"w10\"]]"), r.out());
        assertTrue(r.out().contains("\"frozen\": []"), r.out());
        assertTrue(r.out().contains("\"special_values\": [{\"symbol\": \"a\", \"value\": \"0\""), r.out());
        assertTrue(r.out().trim().endsWith("}"));
    }

    @Test
    void markdownTypesetsTheProofWithDollarMath() {
        CliRun r = prove("cs231n.net", "--format", "markdown");
        assertTrue(r.out().startsWith("## Theorem\n"), r.out());
        assertTrue(r.out().contains("- $\\{w_{5}, w_{6}, w_{7}, w_{8}\\}$"), r.out());
        assertTrue(r.out().contains("\\frac{\\partial y}{\\partial w_{1}} - \\frac{\\partial y}{\\partial w_{3}} = "
                + "2 c_{3} c_{4} (x_{1} - x_{2})"), r.out());
        assertTrue(r.out().contains("- $a = 0$: every gradient is 0: nothing ever moves"), r.out());
    }

    @Test
    void theSameSpecGivesByteIdenticalOutput() {
        assertEquals(prove("mixed-init.net").out(), prove("mixed-init.net").out());
        assertEquals(prove("cs231n.net", "--format", "json").out(), prove("cs231n.net", "--format", "json").out());
    }

    @Test
    void badInputGetsItsExitCode() throws Exception {
        CliRun missing = run("prove", "no/such/file.net");
        assertEquals(ExitCodes.NO_INPUT, missing.exitCode());
        assertEquals("netsym: no/such/file.net: no such file\n", missing.err());

        Path bad = Files.createTempFile("bad", ".net");
        Files.writeString(bad, "input x\ny = w*x +\nobjective y\n");
        CliRun spec = run("prove", bad.toString());
        assertEquals(ExitCodes.BAD_SPEC, spec.exitCode());
        assertEquals(bad + ":2:10: error: the statement ends too early: expected more after this point\n", spec.err());
        assertEquals("", spec.out());

        CliRun usage = run("prove", "--timeout", "-1", "examples/cs231n.net");
        assertEquals(ExitCodes.USAGE, usage.exitCode());
        assertEquals(ExitCodes.USAGE, run("prove", "--format", "yaml", "examples/cs231n.net").exitCode());
        assertEquals(ExitCodes.USAGE, run("frobnicate").exitCode());
    }

    @Test
    void aTimeBudgetThatRunsOutSaysSoAndExits75() {
        CliRun r = run("prove", "--timeout", "0.001", "examples/dense-mnist.net");
        assertEquals(ExitCodes.TIMED_OUT, r.exitCode(), r.err());
        assertTrue(r.out().contains("A time limit cut short: the refinement and certification of the classes"), r.out());
        assertTrue(r.out().contains("(none proved)"), r.out());
    }

    @Test
    void aBigNetworkWrittenUnitByUnitIsSummarisedNotListed() throws Exception {
        StringBuilder spec = new StringBuilder("input x1, x2, x3, x4, x5, x6, x7, x8\n");
        StringBuilder y = new StringBuilder("y = ");
        for (int j = 1; j <= 10; j++) {
            spec.append("h").append(j).append(" = tanh(");
            for (int i = 1; i <= 8; i++) spec.append(i > 1 ? " + " : "").append("u").append(j).append("_").append(i).append("*x").append(i);
            spec.append(")\n");
            y.append(j > 1 ? " + " : "").append("v").append(j).append("*h").append(j);
        }
        spec.append(y).append("\nobjective y\ninit all = a\n");
        Path file = Files.createTempFile("explicit", ".net");
        Files.writeString(file, spec);
        CliRun r = run("prove", file.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("    classes:\n      {u1_1, u2_1, u3_1, ..., u10_1} (10)\n"), r.out());
        assertTrue(r.out().contains("      and 3 more classes (--full lists them)\n"), r.out());
        r.out().lines().forEach(l -> assertTrue(l.length() <= 100, "longer than 100 columns: " + l));
    }

    /** Dense layers are summarised by pattern, and what lies outside them is listed by class. */
    @Test
    void aBigNetworkOfDenseLayersIsSummarisedByPattern() throws Exception {
        Path file = Files.createTempFile("layers", ".net");
        Files.writeString(file, """
                input x[30]
                target t
                layer h[8] = tanh(dense(x, bias))
                layer g[2] = dense(h)
                y = s1*g[1] + s2*g[2]
                objective (y - t)^2
                init W_h* = a
                init b_h* = 0
                init W_g* = c
                init s1, s2 = 1
                """);
        CliRun r = run("prove", file.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("""
                  gradient descent keeps these parameters equal at every step:
                    W_h[j,i] (240 weights): one value per input i (30 values), the same for every unit j
                    b_h[j] (8 biases): all equal, one value
                    W_g[j,i] (16 weights): all equal, one value
                    other parameters:
                      {s1, s2}
                  and no parameter is sure to stay at its initial value.
                """), r.out());
    }

    @Test
    void topLevelHelpListsEveryCommandOnOneLine() {
        CliRun r = run("--help");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertTrue(r.out().contains("  prove     Prove which parameters stay equal, which never move, which separate.\n"),
                r.out());
        r.out().lines().forEach(l -> assertTrue(l.length() <= 100, "longer than 100 columns: " + l));
    }

    @Test
    void helpTeachesWithAnExample() {
        CliRun r = run("prove", "--help");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertTrue(r.out().contains("netsym prove examples/cs231n.net"), r.out());
    }
}
