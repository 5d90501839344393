package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The functions beyond the classic activations (sqrt, abs, max, min, elu, erf, gelu, gelu_tanh, silu)
 * end to end: {@code prove} keeps mirrored units equal with a certificate, a tie in max or min
 * splits its slope evenly, and check, derive and latex run on a spec that uses them all.
 */
class BuiltinFunctionsCommandTest {

    @TempDir
    Path dir;

    /**
     * The weights and the output weights start apart (a and b): with one start, v1 and w1 of a
     * positively homogeneous unit (abs, relu) have equal gradients too, |c·x| = c·abs′(c·x)·x,
     * which no certificate here proves, so the pair would stay undecided.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqrt(1 + (w1*x)^2)", "abs(w1*x)", "max(w1*x, 0)", "min(w1*x, 1)", "elu(w1*x)",
            "gelu(w1*x)", "gelu_tanh(w1*x)", "silu(w1*x)"})
    void twoAlikeUnitsKeepTheirWeightsEqual(String unit) throws Exception {
        Path spec = dir.resolve("alike.net");
        Files.writeString(spec, "input x\nh1 = " + unit + "\nh2 = " + unit.replace("w1", "w2")
                + "\ny = v1*h1 + v2*h2\nobjective y\ninit w* = a\ninit v* = b\n");
        CliRun r = CliRun.of("prove", "--timeout", "600", "--format", "json", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertEquals("", r.err());
        assertTrue(r.out().contains("\"classes\": [[\"v1\", \"v2\"], [\"w1\", \"w2\"]],"), r.out());
        assertTrue(r.out().contains("\"undecided\": [],"), r.out());
    }

    /** On the subspace w1 = w2 the two arguments of max tie everywhere: each weight gets half the slope. */
    @Test
    void aTieInMaxSplitsTheSlopeEvenly() throws Exception {
        Path spec = dir.resolve("tie.net");
        Files.writeString(spec, "input x\ntarget t\nh = max(w1*x, w2*x)\ny = v*h\nobjective (y - t)^2\ninit all = a\n");
        CliRun r = CliRun.of("prove", "--timeout", "600", "--format", "json", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertTrue(r.out().contains("[\"w1\", \"w2\"]"), r.out());
        assertTrue(r.out().contains("\"undecided\": [],"), r.out());
    }

    @Test
    void everyCommandRunsOnASpecThatUsesThemAll() throws Exception {
        Path spec = dir.resolve("all.net");
        Files.writeString(spec, """
                input x1, x2
                target t
                h1 = gelu(w1*x1 + w2*x2)
                h2 = gelu_tanh(w3*x1 + w4*x2)
                h3 = silu(w5*x1) + elu(w6*x2)
                h4 = max(h1, h2) - min(h1, abs(h3))
                y = v1*h4 + v2*sqrt(1 + h3^2)
                objective (y - t)^2
                init all = a
                """);
        for (String[] command : new String[][] {{"check"}, {"derive", "--timeout", "600"}, {"latex"},
                {"prove", "--timeout", "600"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = spec.toString();
            CliRun r = CliRun.of(args);
            assertEquals(ExitCodes.OK, r.exitCode(), command[0] + ": " + r);
            assertEquals("", r.err(), command[0]);
        }
        CliRun derive = CliRun.of("derive", spec.toString());
        assertTrue(derive.out().contains("gelu′("), derive.out());
        assertTrue(derive.out().contains("abs′("), derive.out());
    }
}
