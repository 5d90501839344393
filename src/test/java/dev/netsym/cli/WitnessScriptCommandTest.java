package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netsym.robust.CliRun;
import dev.netsym.robust.PythonRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netsym prove --witness-script LANG -o FILE}: the script beside the proof, and the mistakes. */
class WitnessScriptCommandTest {
    private static final String SPEC = "examples/cs231n.net";

    private static void assertUsageError(String problem, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals("netsym: prove: " + problem + "\nRun 'netsym prove --help' for its usage and examples.\n", r.err());
    }

    @Test
    void writesTheScriptAndStillPrintsTheProof(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("witness.py");
        CliRun r = CliRun.of("prove", "--format", "json", SPEC, "--witness-script", "python", "-o", script.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertEquals("", r.err());
        assertEquals(CliRun.of("prove", "--format", "json", SPEC).out(), r.out(), "the proof is the same with the script");
        String text = Files.readString(script);
        assertTrue(text.contains("Witnesses of `netsym prove " + SPEC + "` (network cs231n_toy)"), text);
        assertTrue(text.contains("    u[\"y\"] = theta[\"w9\"] * u[\"y3\"] + theta[\"w10\"] * u[\"y4\"]\n"), text);
        // One witness tuple per separation and move of the JSON, with its step and values.
        Matcher m = Pattern.compile("\"witness\": \\{\"run\": \"A\", \"step\": (\\d+), \"first_value\": \"([^\"]+)\"")
                .matcher(r.out());
        int witnesses = 0;
        while (m.find()) {
            witnesses++;
            assertTrue(text.contains(", " + m.group(1) + ", \"" + m.group(2) + "\", "), m.group() + " in\n" + text);
        }
        assertEquals(4, witnesses, r.out());
        assertEquals(witnesses, Pattern.compile("^            \\(\"(moves|separates|opposite)\"", Pattern.MULTILINE)
                .matcher(text).results().count(), text);

        Path torch = dir.resolve("witness-torch.py");
        CliRun t = CliRun.of("prove", SPEC, "--witness-script=torch", "--output=" + torch);
        assertEquals(ExitCodes.OK, t.exitCode(), t::toString);
        assertTrue(Files.readString(torch).contains("import torch\n"));
    }

    @Test
    void badCommandLinesAreUsageErrors(@TempDir Path dir) throws IOException {
        String out = dir.resolve("w.py").toString();
        assertUsageError("option '--witness-script': 'fortran' is not a witness script language (python or torch)",
                "prove", SPEC, "--witness-script", "fortran", "-o", out);
        assertUsageError("option '--witness-script' needs a value (LANG)", "prove", SPEC, "--witness-script");
        assertUsageError("--witness-script needs -o FILE, the file to write the script to",
                "prove", SPEC, "--witness-script", "python");
        assertUsageError("-o names the witness script's file; give --witness-script python or torch too",
                "prove", SPEC, "-o", out);
        Path spec = dir.resolve("copy.net");
        Files.copy(Path.of(SPEC), spec);
        assertUsageError("refusing to write the witness script over the spec file " + spec,
                "prove", spec.toString(), "--witness-script", "python", "-o", spec.toString());
        assertEquals(Files.readString(Path.of(SPEC)), Files.readString(spec), "the spec is untouched");
        assertFalse(Files.exists(dir.resolve("w.py")), "no script after a usage error");
    }

    @Test
    void anUnwritablePlaceIsExit73() {
        CliRun r = CliRun.of("prove", SPEC, "--witness-script", "python", "-o", "/no/such/dir/w.py");
        assertEquals(ExitCodes.CANNOT_WRITE, r.exitCode(), r::toString);
        assertEquals("netsym: cannot write /no/such/dir/w.py: no such directory /no/such/dir\n", r.err());
    }

    @Test
    void aNetworkTooBigForAScriptIsRefusedBeforeTheProof(@TempDir Path dir) throws IOException {
        // 400 units of 1,000 weighted inputs each: 1.2 million expression nodes.
        Path spec = dir.resolve("wide.net");
        Files.writeString(spec, "input x[1000]\nlayer h[400] = tanh(dense(x))\nobjective sum(h)\ninit all = a\n");
        Path out = dir.resolve("w.py");
        CliRun r = CliRun.of("prove", spec.toString(), "--witness-script", "torch", "-o", out.toString());
        assertEquals(ExitCodes.BAD_SPEC, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals(spec + ": error: the network has more than 1000000 expression nodes written out; a witness script"
                + " evaluates one scalar at a time in Python, with about 3 KB of memory per node, and is written for at"
                + " most that many\n", r.err());
        assertFalse(Files.exists(out));
    }

    /**
     * Where Python has NumPy (and PyTorch), the scripts of the generic-activation example run: its
     * activation is known only by the values the exact run read, which the scripts look up.
     */
    @Test
    void whereInstalledTheScriptsReplayATableActivation(@TempDir Path dir) throws Exception {
        for (String module : List.of("numpy", "torch")) {
            String python = PythonRun.interpreterWith(module).orElse(null);
            if (module.equals("numpy")) assumeTrue(python != null, "no python3 with numpy");
            if (python == null) continue;
            Path script = dir.resolve("witness-" + module + ".py");
            String language = module.equals("numpy") ? "python" : "torch";
            CliRun r = CliRun.of("prove", "examples/generic-activation.net", "--witness-script", language, "-o", script.toString());
            assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
            assertTrue(Files.readString(script).contains("table_activation(\"f\", [(0, \"3\", \"-6\"), (1, \"3\", \"-2\")"));
            PythonRun run = PythonRun.script(python, script, 300);
            String out = run.output();
            assertEquals(0, run.exitCode(), out);
            assertTrue(out.contains("moves: v1 at step 1: -16.4 (started at 1)\n"), out);
            assertTrue(out.endsWith("witnesses: 3 shown, 0 too small for float64, 0 disagree, 0 not replayed\n"), out);
        }
    }
}
