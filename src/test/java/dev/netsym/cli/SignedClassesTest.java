package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.GradientDescentSimulation;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed classes: parameters that start as each other's negatives and stay so (θ_q = −θ_p),
 * the looks-linear initialisation through odd functions, written with -a, 2*a, a/2 or numbers.
 */
class SignedClassesTest {
    @TempDir
    Path dir;

    private CliRun run(String command, String spec, String... options) throws IOException {
        Path file = dir.resolve("spec.net");
        Files.writeString(file, spec, StandardCharsets.UTF_8);
        String[] args = new String[options.length + 2];
        args[0] = command;
        args[1] = file.toString();
        System.arraycopy(options, 0, args, 2, options.length);
        return CliRun.of(args);
    }

    /** Two units whose input weights start as each other's negatives, read out as u·h1 − v·h2 with u = v. */
    private static String mirroredPair(String activation, String inits) {
        return """
                input x1, x2
                h1 = F(p1*x1 + p2*x2)
                h2 = F(q1*x1 + q2*x2)
                y = u*h1 - v*h2
                objective y
                """.replace("F(", activation + "(") + inits;
    }

    private static final String SYMBOLIC = "init p1, p2 = a\ninit q1, q2 = -a\ninit u, v = b\n";
    private static final String NUMERIC = "init p1 = 1/2\ninit q1 = -1/2\ninit p2 = 1/3\ninit q2 = -1/3\ninit u, v = 1\n";

    @Test
    void aMirroredTanhPairKeepsQEqualToMinusPAndUEqualToV() throws IOException {
        for (String inits : List.of(SYMBOLIC, NUMERIC)) {
            CliRun r = run("prove", mirroredPair("tanh", inits));
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().contains("{p1, −q1}  {p2, −q2}  {u, v}"), r.out());
            assertTrue(r.out().contains("What the network really is: 3 trainable values of 6 parameters."), r.out());
            assertTrue(r.out().contains("∂y/∂p1 = −∂y/∂q1 = "), r.out());
            assertFalse(r.out().contains("Undecided"), r.out());
            CliRun json = run("prove", mirroredPair("tanh", inits), "--format", "json");
            assertTrue(json.out().contains("\"classes\": [[\"p1\", \"-q1\"], [\"p2\", \"-q2\"], [\"u\", \"v\"]]"),
                    json.out());
            assertTrue(json.out().contains("\"negated\": [\"q1\"]"), json.out());
            assertTrue(json.out().contains("\"complete\": true"), json.out());
        }
    }

    /** relu is not odd: the mirrored pair separates, and each split of an opposite pair has its witness. */
    @Test
    void aMirroredReluPairSeparatesUpToSignToo() throws IOException {
        CliRun r = run("prove", mirroredPair("relu", SYMBOLIC));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("p1 and −q1 separate"), r.out());
        assertTrue(r.out().contains("∂y/∂p1 + ∂y/∂q1 = "), r.out());
        assertTrue(r.out().contains("u and v separate"), r.out());
        assertTrue(r.out().contains("6 trainable values of 6 parameters"), r.out());
        CliRun json = run("prove", mirroredPair("relu", SYMBOLIC), "--format", "json");
        assertTrue(json.out().contains("\"second\": \"q1\", \"opposite\": true"), json.out());
    }

    /** Odd and even powers: x² forgets the sign, so (p·x)² and (q·x)² agree; x³ keeps it. */
    @Test
    void oddPowersKeepSignedClassesAndEvenOnesMakeThemEqual() throws IOException {
        CliRun odd = run("prove", "input x\ny = u*(p*x)^3 + v*(q*x)^3\nobjective y\ninit p = a\ninit q = -a\ninit u, v = b\n");
        // y = u·p³x³ + v·q³x³ vanishes on q = −p, u = v, but ∂y/∂q = 3v·q²x³ = +∂y/∂p there.
        assertTrue(odd.out().contains("p and −q separate"), odd.out());
        assertTrue(odd.out().contains("u and v separate"), odd.out());
        CliRun even = run("prove", "input x\ny = u*(p*x)^2 + v*(q*x)^2\nobjective y\ninit p = a\ninit q = -a\ninit u, v = b\n");
        assertTrue(even.out().contains("{p, −q}"), even.out());
        assertTrue(even.out().contains("{u, v}"), even.out());
    }

    @Test
    void scaledSymbolsAreInitialValues() throws IOException {
        CliRun check = run("check", "input x\ny = w1*w2*w3*w4*x\nobjective y\ninit w1 = -a\ninit w2 = 2*a\n"
                + "init w3 = a/2\ninit w4 = -3*a/4\n");
        assertEquals(0, check.exitCode(), check::toString);
        assertTrue(check.out().contains("-a"), check.out());
        Network n = Netsym.parse("input x\ny = w*x\nobjective y\ninit w = -3*a/4\n").network().orElseThrow();
        assertEquals(new Init.Symbolic("a", Rational.of(-3, 4)), n.parameters().get(0).init());
        CliRun zero = run("check", "input x\ny = w*x\nobjective y\ninit w = 0*a\n");
        zero.assertRefusedWithDiagnostics();
        assertTrue(zero.err().contains("a coefficient of 0"), zero.err());
    }

    /** Independent evidence: exact gradient descent from the mirrored start keeps q = −p and u = v. */
    @Test
    void exactGradientDescentKeepsTheMirror() {
        // An odd polynomial activation, so that every step is exact.
        Network n = Netsym.parse("""
                input x1, x2
                h1 = (p1*x1 + p2*x2)^3 + (p1*x1 + p2*x2)
                h2 = (q1*x1 + q2*x2)^3 + (q1*x1 + q2*x2)
                y = u*h1 - v*h2
                objective y
                """ + NUMERIC).network().orElseThrow();
        Tape tape = Tape.compile(n);
        ExactArithmetic a = new ExactArithmetic(1);
        Rational[] start = new Rational[tape.parameterCount()];
        List<String> names = tape.parameterNames();
        var byName = n.parameters().stream().collect(java.util.stream.Collectors.toMap(q -> q.name(), q -> q.init()));
        for (int p = 0; p < start.length; p++) start[p] = ((Init.Numeric) byName.get(names.get(p))).value();
        List<Rational[]> data = List.of(new Rational[] {Rational.of(1, 3), Rational.of(-2, 5)},
                new Rational[] {Rational.of(3, 7), Rational.of(1, 2)});
        var run = new GradientDescentSimulation<>(tape, a).run(start, data, Rational.of(1, 10), 4);
        int p1 = names.indexOf("p1");
        int q1 = names.indexOf("q1");
        int u = names.indexOf("u");
        int v = names.indexOf("v");
        assertTrue(run.firstStepWhereDiffer(p1, q1, true).isEmpty(), "q1 = −p1 must hold at every step");
        assertTrue(run.firstStepWhereDiffer(u, v).isEmpty(), "u = v must hold at every step");
        assertTrue(run.firstStepWhereMoved(p1).isPresent(), "p1 moves");
    }
}
