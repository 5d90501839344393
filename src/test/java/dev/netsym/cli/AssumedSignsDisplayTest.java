package dev.netsym.cli;

import dev.netsym.robust.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under sign facts, a proof prints what the facts make of ReLUs (0, and why), and never shows
 * one member's gradient as a whole class's (#11, item 3).
 */
class AssumedSignsDisplayTest {
    @TempDir Path dir;

    @Test
    void deadReluGradientsAreZeroBecauseOfTheAssumptions() {
        CliRun r = CliRun.of("prove", "examples/dead-relu.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("      h1 = h2 = 0, since a·(x1 + x2) ≤ 0 under the assumptions\n"), r.out());
        assertTrue(r.out().contains("      y = c1, since a·(x1 + x2) ≤ 0 under the assumptions\n"), r.out());
        assertTrue(r.out().contains("∂y/∂v1 = ∂y/∂v2 = ∂y/∂w1 = ∂y/∂w2 = ∂y/∂w3 = ∂y/∂w4 = 0,    [structural (local lemma)]\n"
                + "      since a·(x1 + x2) ≤ 0 under the assumptions\n"), r.out());
        assertFalse(r.out().contains("∂y/∂w4 = relu"), r.out());
    }

    @Test
    void markdownSaysWhyTheGradientsAreZero() {
        CliRun r = CliRun.of("prove", "--format", "markdown", "examples/dead-relu.net");
        assertTrue(r.out().contains("\\frac{\\partial y}{\\partial w_{4}} = 0,\\ \\text{since } a (x_{1} + x_{2}) \\le 0"
                + " \\text{ under the assumptions}$"), r.out());
    }

    /** Only one hidden unit is dead: its weights freeze, the live unit's move, and nothing else is claimed. */
    @Test
    void aHalfDeadNetworkFreezesOnlyTheDeadUnitsWeights() throws IOException {
        Path spec = dir.resolve("half-dead.net");
        Files.writeString(spec, """
                network half_dead
                input x1, x2
                h1 = relu(w1*x1 + w2*x2)
                h2 = relu(u1*x1 + u2*x2)
                y  = v1*h1 + v2*h2
                objective y
                init w*, v* = a
                init u* = d
                assume x1 >= 0, x2 >= 0, a < 0, d > 0
                """);
        CliRun r = CliRun.of("prove", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("      h1 = 0, since a·(x1 + x2) ≤ 0 under the assumptions\n"), r.out());
        assertTrue(r.out().contains("      h2 = relu(c1·x1 + c2·x2)\n"), r.out());
        assertTrue(r.out().contains("    ∂y/∂v1 = ∂y/∂w1 = ∂y/∂w2 = 0, since a·(x1 + x2) ≤ 0 under the assumptions\n"
                + "        [structural (local lemma)]\n"), r.out());
        // v2 started at a too, but v1, w1 and w2 never move: no "as do all 4 that started there".
        assertTrue(r.out().contains("  v2 moves (round 1)\n"), r.out());
    }

    /** Without sign facts nothing is dead: relu stays, and no class shows another member's gradient. */
    @Test
    void withoutAssumptionsReluStays() throws IOException {
        Path spec = dir.resolve("alive.net");
        Files.writeString(spec, """
                input x1, x2
                h1 = relu(w1*x1 + w2*x2)
                h2 = relu(w3*x1 + w4*x2)
                y  = v1*h1 + v2*h2
                objective y
                init all = a
                """);
        CliRun r = CliRun.of("prove", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertFalse(r.out().contains("under the assumptions"), r.out());
        assertTrue(r.out().contains("h1 = h2 = relu("), r.out());
    }
}
