package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specs the front end accepts but that are built to break the computing commands: each
 * either works or ends with a clear error and exit 65 or 75, never hanging, never with a
 * stack trace, exit 70, a stack overflow or running out of memory. Runs that use up a budget
 * of a minute are behind -Dnetsym.slow=true (a separate CI step).
 */
class ComputeLimitsTest {
    @TempDir
    Path dir;

    private Path spec(String text) throws Exception {
        Path file = dir.resolve("spec.net");
        Files.writeString(file, text);
        return file;
    }

    /** Only catches a hang: each run here stops by its own limits (--timeout, the engine's limit per call). */
    private static final Duration HANG = Duration.ofMinutes(5);

    private CliRun run(String... args) {
        CliRun run = assertTimeoutPreemptively(HANG, () -> CliRun.of(args), () -> "no answer: " + String.join(" ", args));
        assertFalse(run.err().contains("Exception") || run.err().contains("Error:") || run.err().contains("\tat "),
                run::toString);
        assertTrue(run.exitCode() != 70, run::toString);
        return run;
    }

    private static String chain(int units, boolean sharedWeight) {
        StringBuilder s = new StringBuilder("input x\nu0 = tanh(w0*x)\n");
        for (int i = 1; i <= units; i++) {
            s.append("u").append(i).append(" = tanh(w").append(sharedWeight ? 0 : i).append("*u").append(i - 1).append(")\n");
        }
        return s.append("objective u").append(units).append('\n').toString();
    }

    /** Runs the commands in this JVM one after another, for a child JVM with default flags. */
    public static void main(String[] args) {
        for (String command : List.of("prove", "derive", "latex", "dot")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {command, args[0]}, new PrintWriter(out), new PrintWriter(err));
            System.out.print(command + " " + code + " " + err);
        }
    }

    @Test
    void twentyThousandChainedPowersAreRefusedWithoutOverflowUnderDefaultJvmFlags() throws Exception {
        Path file = spec("input x\ny = w*x" + "^x".repeat(20_000) + "\nobjective y\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ComputeLimitsTest.class.getName(), file.toString()).redirectErrorStream(true).start();
        ProcessOutput run = ProcessOutput.collect(p, Duration.ofMinutes(5));
        assertTrue(run.finished(), run::text);
        String output = run.text();
        String error = file + ":2:1: error: y is nested 20002 levels deep, more than the 400 netsym computes with;"
                + " split it into units\n";
        assertEquals("prove 65 " + error + "derive 65 " + error + "latex 65 " + error + "dot 65 " + error, output);
    }

    @Test
    void aChainOfTwoThousandUnitsSharingOneWeight() throws Exception {
        String file = spec(chain(2000, true)).toString();
        CliRun prove = run("prove", "--timeout", "30", file);
        assertEquals(0, prove.exitCode(), prove::toString);
        assertTrue(prove.out().contains("What the network really is: 1 trainable value of 1 parameter."), prove::toString);
        // Too big to expand: derive gives the adjoint (unit-level) form instead.
        CliRun derive = run("derive", file);
        assertEquals(0, derive.exitCode(), derive::toString);
        assertTrue(derive.out().contains("Backpropagation"), derive::toString);
        assertEquals("", derive.err());
    }

    @Test
    void aChainOfTwoThousandUnitsWithTwoThousandWeights() throws Exception {
        String file = spec(chain(2000, false)).toString();
        // About 7 s of CPU; a generous budget so that a loaded machine does not cut the witness search short.
        CliRun prove = run("prove", "--format", "json", "--timeout", "120", file);
        assertEquals(0, prove.exitCode(), prove::toString);
        assertTrue(JsonSyntax.isValid(prove.out()), prove::toString);
        // Decided within its budget, not cut short by it. (Vanishing gradients, about 2^-2000 at w0,
        // move the early weights by less than any witness run can show: those stay undecided.)
        assertTrue(prove.out().contains("\"timed_out\": false"), prove::toString);
        assertEquals(0, run("derive", file).exitCode());
    }

    @Test
    void aUnitSummingAHundredThousandTerms() throws Exception {
        StringBuilder s = new StringBuilder("input x\ny = ");
        for (int i = 0; i < 100_000; i++) s.append(i == 0 ? "" : " + ").append("w").append(i).append("*x");
        String file = spec(s + "\nobjective y\ninit all = a\n").toString();
        CliRun prove = run("prove", "--format", "json", file);
        assertEquals(0, prove.exitCode(), prove::toString);
        assertTrue(prove.out().contains("\"trainable_values\": 1,"), prove::toString);
        assertEquals(0, run("derive", file).exitCode());
    }

    @Test
    void hugeAndTinyNumbersStayExact() throws Exception {
        String file = spec("input x\ny = 1e300*w*x + v/3^200 + u*(1/3)^200*x\nobjective y\ninit all = a\n").toString();
        for (String command : List.of("prove", "derive")) {
            CliRun r = run(command, file);
            assertEquals(0, r.exitCode(), r::toString);
        }
    }

    @Test
    void divisionByZeroReachableOnlyAtRunTime() throws Exception {
        for (String body : List.of("y = w/(v - v)*x", "y = log(w - w)*x + v*x", "y = w*x^-1 + v\ndata x = 0")) {
            String file = spec("input x\n" + body.replace("\ndata", "\nobjective y\ndata")
                    + (body.contains("data") ? "\n" : "\nobjective y\n")).toString();
            for (String command : List.of("prove", "derive", "dot")) {
                CliRun r = run(command, file);
                assertEquals(65, r.exitCode(), r::toString);
                assertTrue(r.err().startsWith(file + ": error: the network has no value at any of 24 random points ("),
                        r::toString);
            }
        }
        // Defined in general, but not where gradient descent starts; the message says where.
        String file = spec("input x\ny = v/w*x\nobjective y\ninit w = 0\n").toString();
        CliRun r = run("prove", file);
        assertEquals(65, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith(file + ": error: the network has no value where gradient descent would start"
                + " (in unit y: division by zero"), r::toString);
        String inObjective = spec("input x\ny = w*x\nobjective y/(v - v)\n").toString();
        CliRun o = run("prove", inObjective);
        assertEquals(65, o.exitCode(), o::toString);
        // v, only in the objective, is warned about first.
        assertTrue(o.err().lines().anyMatch(line -> line.startsWith(inObjective + ": error: the network has no value"
                + " at any of 24 random points (in the objective: division of ")), o::toString);
    }

    @Test
    void saturatedActivationsAreEvaluatedNotRefused() throws Exception {
        // Arguments beyond 10^8: exp of a very negative number underflows to 0 (as inside a
        // saturated tanh, sigmoid or softplus), which must not pass for "no value anywhere".
        // The random points' slopes vanish this far out; a witness run from small values may
        // still show w moving. (tanh and sigmoid behave alike but spend their 10 s limits in
        // computer algebra trying to prove the slope 0.)
        for (String f : List.of("softplus", "exp")) {
            String file = spec("input x\ny = " + f + "(1000000000*w*x)\nobjective y\n").toString();
            CliRun r = run("prove", file);
            assertEquals(0, r.exitCode(), r::toString);
            // Evaluated, not refused: either a witness run shows w moving or it is left undecided.
            assertTrue(r.out().contains("w moves") || r.out().contains("w might never move"), r::toString);
        }
    }

    @Test
    void zeroToTheZeroAndPowersThatCanDivideByZeroWork() throws Exception {
        for (String body : List.of("y = w*0^0*x", "y = w*x^-1 + v*x", "y = w*x^(-1) + v*x\ninit all = a")) {
            String file = spec("input x\n" + body.replace("\ninit", "\nobjective y\ninit")
                    + (body.contains("init") ? "\n" : "\nobjective y\n")).toString();
            for (String command : List.of("prove", "derive")) {
                CliRun r = run(command, file);
                assertEquals(0, r.exitCode(), r::toString);
            }
        }
    }

    @Test
    void theBudgetOfAProofIsRespectedAndTheResultSaysWhatIsOpen() throws Exception {
        StringBuilder s = new StringBuilder("input x\ny = ");
        for (int i = 0; i < 100_000; i++) s.append(i == 0 ? "" : " + ").append("w").append(i).append("*x");
        String file = spec(s + "\nobjective y\n").toString();
        // 10 ms: too little for 100000 parameters even in a warm JVM.
        CliRun r = run("prove", "--format", "json", "--timeout", "0.01", file);
        assertEquals(75, r.exitCode(), r::toString);
        assertTrue(r.out().contains("\"timed_out\": true"), r::toString);
        assertTrue(JsonSyntax.isValid(r.out()), r::toString);
    }

    /** Each takes up to the whole budget: for the separate slow CI step. */
    @Test
    @EnabledIfSystemProperty(named = "netsym.slow", matches = "true")
    void slowButBounded() throws Exception {
        String file = spec(chain(100, true)).toString();
        CliRun derive = run("derive", "--timeout", "20", file);
        assertTrue(derive.exitCode() == 0 || derive.exitCode() == 75, derive::toString);
        file = spec("input x\ny = w*x^1000000 + v*x\nobjective y\n").toString();
        for (String command : List.of("prove", "derive")) {
            CliRun r = run(command, "--timeout", "60", file);
            assertTrue(r.exitCode() == 0 || r.exitCode() == 75, r::toString);
        }
    }
}
