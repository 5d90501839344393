package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code netsym prove} on two hidden units that compute one function written two ways
 * (issue #17): the proof certifies both pairs symbolically and leaves nothing undecided.
 */
class ElementaryIdentityProveTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "sigmoid(w1*x)   | (1 + tanh(w2*x/2))/2",
            "tanh(w1*x)      | 2*sigmoid(2*w2*x) - 1",
            "softplus(w1*x)  | log(1 + exp(w2*x))",
    })
    void oneFunctionWrittenTwoWaysKeepsItsWeightsEqual(String first, String second) throws Exception {
        Path spec = dir.resolve("two-ways.net");
        Files.writeString(spec, "input x\nh1 = " + first + "\nh2 = " + second
                + "\ny = v1*h1 + v2*h2\nobjective y\ninit all = a\n");
        // A generous budget: the claim is what gets decided, and a loaded machine is slow.
        CliRun r = CliRun.of("prove", "--timeout", "600", "--format", "json", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertEquals("", r.err());
        assertTrue(r.out().contains("\"classes\": [[\"v1\", \"v2\"], [\"w1\", \"w2\"]],"), r.out());
        assertTrue(r.out().contains("\"undecided\": [],"), r.out());
        assertEquals(2, r.out().split("\"kind\": \"symbolic\"", -1).length - 1, r.out());
    }
}
