package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims that were once false, through the command line: a randomized certificate that only
 * met roots, a separation without a witness, a proof that said it covered weight decay, a
 * budget that ran out without saying so.
 */
class SoundClaimsTest {
    @TempDir
    Path dir;

    private CliRun prove(String spec, String... options) throws IOException {
        Path file = dir.resolve("spec.net");
        Files.writeString(file, spec, StandardCharsets.UTF_8);
        String[] args = new String[options.length + 2];
        args[0] = "prove";
        args[1] = file.toString();
        System.arraycopy(options, 0, args, 2, options.length);
        return CliRun.of(args);
    }

    /** The grid the assumed x was drawn from held only roots of the difference: w1 and w2 were certified equal. */
    @Test
    void aDifferenceWithManyRootsInTheAssumedRangeSeparates() throws IOException {
        String spec = """
                input x
                y = w1*x + w2*(x + (10*x-1)*(10*x-2)*(10*x-3)*(10*x-4)*(10*x-5)*(10*x-6)*(10*x-7)*(10*x-8)*(10*x-9))
                objective y
                init all = a
                assume x > 0, x < 1
                """;
        CliRun r = prove(spec);
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.out().contains("{w1, w2}"), r.out());
        assertTrue(r.out().contains("w1 and w2 separate"), r.out());
        Matcher x = Pattern.compile("witness run A \\(exact rational arithmetic\\): a = [^,]+, x = (\\d+)/(\\d+),")
                .matcher(r.out());
        assertTrue(x.find(), r.out());
        double value = Double.parseDouble(x.group(1)) / Double.parseDouble(x.group(2));
        assertTrue(value > 0 && value < 1, "the witness's data must satisfy the assumptions: x = " + value);
    }

    /** A coefficient that is a multiple of the prime made the difference vanish modulo p. */
    @Test
    void aDifferenceThatVanishesModuloTheOldPrimeSeparates() throws IOException {
        CliRun r = prove("input x\ny = w1*x + w2*(x + 2305843009213693951*x^2)\nobjective y\ninit all = a\n");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("w1 and w2 separate"), r.out());
    }

    @Test
    void weightDecayIsNotClaimedWhenItWouldMoveFrozenParameters() throws IOException {
        String frozenAtA = """
                input x1, x2
                h1 = relu(w1*x1 + w2*x2)
                y = v1*h1 + b
                objective y
                init all = a
                init b = 0
                assume x1 >= 0, x2 >= 0, a < 0
                """;
        CliRun r = prove(frozenAtA);
        assertTrue(r.out().replace("\n  ", " ").contains(
                "It is not claimed for weight decay or AdamW: decay would move v1, w1, w2, which are frozen here"), r.out());
        CliRun json = prove(frozenAtA, "--format", "json");
        assertTrue(json.out().contains("\"weight_decay_moves\": [\"v1\", \"w1\", \"w2\"]"), json.out());
        assertFalse(json.out().contains("\"AdamW\""), json.out());

        CliRun zero = prove("input x\ny = w1*w2*x\nobjective y\ninit all = 0\noptimizer adamw\n");
        assertTrue(zero.out().contains("Adam, weight decay (L2 or decoupled), AdamW; the spec names 'adamw'."),
                zero.out());
    }

    /**
     * v's gradient is 0 while w1 = w2 = 0, so plain training never moves it; AdamW's decay does.
     * Naming AdamW proves the theorem under decay: v is not claimed frozen, and a run with decay
     * shows it move.
     */
    @Test
    void anAdamwSpecIsProvedUnderDecay() throws IOException {
        String spec = "input x\ny = w1*w2*x + v*w1*w2*x\nobjective y\ninit w1, w2 = 0\ninit v = 1\n";
        String plain = prove(spec).out();
        assertTrue(plain.replace("\n  ", " ").contains("It is not claimed for weight decay or AdamW: decay would move v,"),
                plain);
        CliRun r = prove(spec + "optimizer adamw\n");
        String text = r.out().replace("\n  ", " ");
        assertTrue(text.contains("the spec names 'adamw'."), r.out());
        assertFalse(text.contains("which it does not cover"), r.out());
        assertTrue(r.out().contains("  and these never move from their initial values:\n    {w1, w2}\n"), r.out());
        assertTrue(r.out().contains("  v moves (round 1)\n"), r.out());
        assertTrue(r.out().contains("run A: after step 1, v = 99/100 (it started at 1)"), r.out());
    }

    /** A tiny budget on a network that needs computer algebra: what was cut is said, exit 75. */
    @Test
    void aBudgetThatCutsDecisionsShortExitsWith75() throws IOException {
        String spec = """
                input x
                h1 = sigmoid(w1*x)
                h2 = (1 + tanh(w2*x/2))/2
                h3 = exp(w3*x)*exp(w4*x)
                h4 = exp((w3 + w4)*x)
                y = v1*h1 + v2*h2 + v3*h3 + v4*h4
                objective y
                init all = a
                """;
        CliRun r = prove(spec, "--timeout", "0.05");
        assertEquals(75, r.exitCode(), r::toString);
        assertTrue(r.out().contains("A time limit cut short"), r.out());
        CliRun json = prove(spec, "--timeout", "0.05", "--format", "json");
        assertEquals(75, json.exitCode(), json::toString);
        assertTrue(json.out().contains("\"timed_out\": true"), json.out());
    }

    @Test
    void assumptionsThatLeaveNoIntervalAreRefused() throws IOException {
        CliRun empty = prove("input x\ny = w*x\nobjective y\nassume x > 1, x < 0\n");
        empty.assertRefusedWithDiagnostics();
        assertTrue(empty.err().contains("leave no value for 'x'"), empty.err());
        CliRun point = prove("input x\ny = w*x\nobjective y\nassume x >= 0, x <= 0\n");
        point.assertRefusedWithDiagnostics();
        assertTrue(point.err().contains("leave only x = 0"), point.err());
    }
}
