package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netsym laws} end to end, as a user runs it. */
class LawsCommandTest {
    @TempDir
    Path dir;

    private Path spec(String text) throws Exception {
        Path p = dir.resolve("net.net");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void reluLayersGetOneGroupedBalancednessLawPerUnit() throws Exception {
        Path p = spec("input x[3]\ntarget t[2]\nlayer h[4] = relu(dense(x, bias))\nlayer out[2] = dense(h)\n"
                + "objective sum((out - t)^2)\n");
        CliRun r = CliRun.of("laws", p.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("Count: 4 independent conservation laws, for every dataset, on one activation region"), r.out());
        assertTrue(r.out().contains("for each k in {1, 2, 3, 4}: W_h[k,1]^2 + W_h[k,2]^2 + W_h[k,3]^2 - W_out[1,k]^2"
                + " - W_out[2,k]^2 + b_h[k]^2"), r.out());
        assertTrue(r.out().contains("Complete: yes"), r.out());
        CliRun json = CliRun.of("laws", "--format", "json", p.toString());
        assertTrue(json.out().contains("\"count\": 4,") && json.out().contains("\"complete\": true")
                && json.out().contains("\"certificate\": \"<grad h, grad loss> expands to 0"), json.out());
    }

    @Test
    void tooLargeOrNotPolynomialExitsWith65AndSaysWhy() throws Exception {
        Path big = spec("input x[30]\nlayer h[20] = relu(dense(x))\nlayer out[1] = dense(h)\nobjective sum(out)\n");
        CliRun r = CliRun.of("laws", big.toString());
        assertEquals(ExitCodes.BAD_SPEC, r.exitCode());
        assertTrue(r.err().contains("error: laws cannot use the exact method here: the network has 620 parameters;"
                + " the exact method handles at most 400"), r.err());
        assertEquals("", r.out());
        CliRun tanh = CliRun.of("laws", "examples/shared-weights.net");
        assertEquals(ExitCodes.BAD_SPEC, tanh.exitCode());
        assertTrue(tanh.err().contains("tanh is not a polynomial on any region"), tanh.err());
        assertEquals(ExitCodes.USAGE, CliRun.of("laws", "--format", "pdf", big.toString()).exitCode());
        assertEquals(ExitCodes.NO_INPUT, CliRun.of("laws", dir.resolve("missing.net").toString()).exitCode());
        assertTrue(CliRun.of("laws", "--help").out().contains("netsym laws"));
    }
}
