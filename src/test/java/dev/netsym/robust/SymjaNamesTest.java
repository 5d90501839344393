package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are Symja built-ins or commands (Export, Import, Run, Get, Put, ...) are plain
 * inputs, units, parameters and layers to the front end: nothing may treat them as functions.
 */
class SymjaNamesTest {
    @TempDir
    Path dir;

    @Test
    void builtInNamesAreOrdinaryNames() throws Exception {
        CliRun run = CliRun.check(dir, """
                input Input, I, E
                target SystemDialogInput
                Export = Import*Input + Run*I + Print
                D = tanh(N*Export + Pi*E)
                Sin = Get*D + Put
                objective (Sin - SystemDialogInput)^2
                init Import = 1/2
                init Run = Integrate
                """);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("""
                network (unnamed): ok
                  inputs       3: Input, I, E
                  targets      1: SystemDialogInput
                  units        3: Export, D, Sin
                  parameters   7: Get, Import, N, Pi, Print, Put, Run
                  optimizer    sgd
                  initial values:
                    random (each its own) 5: Get, N, Pi, Print, Put
                    1/2                   1: Import
                    Integrate             1: Run
                  translation: evaluation tape of 23 nodes
                """, run.out());

        // Computer algebra sees the same names: derive differentiates through all of them.
        CliRun derive = CliRun.of("derive", dir.resolve("spec.net").toString());
        assertEquals(0, derive.exitCode(), derive::toString);
        assertEquals("", derive.err());
        assertTrue(derive.out().contains("∂L/∂Import"), derive::out);
        assertTrue(derive.out().contains("Integrate"), derive::out);
    }

    @Test
    void builtInNamesWorkAsVectorsAndLayers() throws Exception {
        CliRun run = CliRun.check(dir, """
                input Import[2]
                layer Export[2] = tanh(dense(Import, bias))
                layer Run[1] = dense(Export)
                objective sum(Run)
                init all = Pi
                """);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("  units        3: Export[1], Export[2], Run[1]", run.out().lines().toList().get(2));
    }
}
