package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names that silently become parameters: check lists them and warns where one is likely a slip. */
class ParameterWarningsTest {
    @TempDir
    Path dir;

    private CliRun check(String spec) throws IOException {
        return CliRun.check(dir, spec);
    }

    private String warning(String where, String message) {
        return dir.resolve("spec.net") + ":" + where + ": warning: " + message + "\n";
    }

    @Test
    void eIsAParameterNotEulersNumber() throws IOException {
        CliRun r = check("input x\ny = e^(w*x)\nobjective y\n");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(warning("2:5", "'e' is a parameter here, not Euler's number; for e^z write exp(z)"), r.err());
        assertTrue(r.out().contains("  parameters   2: e, w\n"), r.out());
    }

    @Test
    void aNameUsedOnlyInTheObjective() throws IOException {
        CliRun r = check("input x\nh = w*x\nobjective (h - y)^2\n");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(warning("3:16", "parameter 'y' appears only in the objective; if it is meant as a unit,"
                + " define it ('y = ...'), or as data, declare it ('input y' or 'target y')"), r.err());
        assertTrue(r.out().contains("  parameters   2: w, y\n"), r.out());
    }

    @Test
    void aNameLikeAnInputsWithAnotherNumber() throws IOException {
        String like = "(the same letters, another number); if it is data, declare it on the 'input' line";
        CliRun r = check("input x\ny = w*x*x2\nobjective y\n");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(warning("2:9", "parameter 'x2' is named like the input 'x' " + like), r.err());
        CliRun numbered = check("input x1\ny = w*x1 + v*x2\nobjective y\n");
        assertEquals(warning("2:14", "parameter 'x2' is named like the input 'x1' " + like), numbered.err());
        CliRun vector = check("input x[2]\ny = w*x[1] + v*x3\nobjective y\n");
        assertEquals(warning("2:16", "parameter 'x3' is named like the input 'x' " + like), vector.err());
        CliRun target = check("input x\ntarget t1\ny = w*x\nobjective (y - t2)^2\n");
        assertEquals(warning("4:16", "parameter 't2' is named like the target 't1' (the same letters, another"
                + " number); if it is data, declare it on the 'target' line"), target.err());
    }

    @Test
    void ordinaryParametersGiveNoWarning() throws IOException {
        CliRun r = check("input x1, x2\nh = tanh(w1*x1 + w2*x2 + b1)\ny = v1*h + c\nobjective y\n");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void noExampleGivesAWarning() throws IOException {
        List<Path> examples = dev.netsym.robust.Examples.specs().stream().map(n -> Path.of("examples", n)).toList();
        assertTrue(examples.size() >= 9, examples::toString);
        for (Path example : examples) {
            CliRun r = CliRun.of("check", example.toString());
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("", r.err(), example.toString());
        }
    }

    @Test
    void warningsLeaveTheExitCodeOfEveryCommand() throws IOException {
        Files.writeString(dir.resolve("spec.net"), "input x\ny = e^(w*x)\nobjective y\n");
        for (String command : List.of("check", "derive", "prove", "dot")) {
            CliRun r = CliRun.of(command, dir.resolve("spec.net").toString());
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.err().contains(": warning: 'e' is a parameter here"), r::toString);
        }
    }
}
