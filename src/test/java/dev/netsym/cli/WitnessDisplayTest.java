package dev.netsym.cli;

import dev.netsym.robust.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A witness can be repeated from the output alone, and its setup is printed once (#11, item 4). */
class WitnessDisplayTest {
    @TempDir Path dir;

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void oneSetupIsPrintedOnceAndEverySeparationNamesIt() {
        CliRun r = CliRun.of("prove", "examples/mixed-init.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals(1, count(r.out(), "witness run A (40-digit decimal arithmetic): a = 1/2, v1 = 3/2, v2 = 2,"), r.out());
        assertEquals(count(r.out(), " (round "), count(r.out(), "    run A: after step "), r.out());
        assertEquals(r.out(), CliRun.of("prove", "examples/mixed-init.net").out(), "the same output on every run");
    }

    @Test
    void notesAndRunSetupsOfABigNetworkAreWrappedToTheTextWidth() throws IOException {
        // A key bias (frozen: a randomized certificate), a causal mask (units that always agree)
        // and over 20 random start values (a count instead of the list): each used to be one line
        // of 115 to 260 characters.
        Path spec = dir.resolve("attention.net");
        Files.writeString(spec, "input X[3,4]\nparam Wq[4,4], Wk[4,4], Wv[4,4], bk[4]\n"
                + "H = causal_attention(X @ Wq, X @ Wk + bk, X @ Wv, 1)\nobjective sum(H * H)\n"
                + "init Wq, Wk, Wv = random\ninit bk = 0\n");
        CliRun r = CliRun.of("prove", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String flat = r.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("Randomized: equal at 2 independent random points"), r.out());
        assertTrue(flat.contains("48 random start values (--format json lists them)"), r.out());
        assertTrue(flat.contains("Units that always compute the same value: {"), r.out());
        for (String line : r.out().split("\n")) {
            if (line.contains("Randomized") || line.contains("witness run") || line.contains("random start values")
                    || line.contains("Units that always")) {
                assertTrue(line.length() <= 100, line.length() + " characters: " + line);
            }
        }
    }

    @Test
    void anExactRunStatesTheValuesOfTheDeclaredActivation() {
        CliRun r = CliRun.of("prove", "examples/generic-activation.net");
        assertTrue(r.out().contains("witness run A (exact rational arithmetic): a = 1, the spec's data, η = 1/10\n"
                + "    with f any smooth function that has f(3) = "), r.out());
        assertTrue(r.out().contains(", f′(3) = "), r.out());
        String json = CliRun.of("prove", "--format", "json", "examples/generic-activation.net").out();
        assertTrue(json.contains("\"activations\": [{\"name\": \"f\", \"formula\": null, \"values\": [{\"order\": 0, \"at\": \"3\""),
                json);
    }

    @Test
    void aDecimalRunStatesTheFormulaOfTheDeclaredActivation() throws IOException {
        Path spec = dir.resolve("smooth.net");
        Files.writeString(spec, """
                input x1, x2
                target t
                activation f
                h1 = tanh(f(w1*x1 + w2*x2))
                h2 = f(w3*x1 + w4*x2)
                y = v1*h1 + v2*h2
                objective (y - t)^2
                init all = a
                """);
        CliRun r = CliRun.of("prove", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        Matcher m = Pattern.compile("\n    with f\\(z\\) = tanh\\(\\d+/\\d+·z [+−] \\d+/\\d+\\) \\+ \\d+/\\d+·z\n").matcher(r.out());
        assertTrue(m.find(), r.out());
        String md = CliRun.of("prove", "--format", "markdown", spec.toString()).out();
        assertTrue(md.contains("; $f(z) = \\tanh"), md);
    }

    @Test
    void everyRandomInputIsInTheJsonAndTheTextSaysWhere() {
        CliRun text = CliRun.of("prove", "examples/dense-mnist.net");
        assertTrue(text.out().contains("784 random data values (--format json lists them)"), text.out());
        assertEquals(1, count(text.out(), "witness run A "), text.out());
        String json = CliRun.of("prove", "--format", "json", "examples/dense-mnist.net").out();
        int data = json.indexOf("\"data\": [{");
        String sample = json.substring(data, json.indexOf("}]", data));
        assertEquals(784, count(sample, "\"x["), sample.substring(0, 200));
        assertTrue(json.contains("\"witness\": {\"run\": \"A\", \"step\": 1,"), json.substring(0, 2000));
    }
}
