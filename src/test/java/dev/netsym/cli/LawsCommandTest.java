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
        // Wrapped to 100 columns before the last term.
        assertTrue(r.out().contains("for each k in {1, 2, 3, 4}: W_h[k,1]^2 + W_h[k,2]^2 + W_h[k,3]^2 - W_out[1,k]^2"
                + " - W_out[2,k]^2\n      + b_h[k]^2\n"), r.out());
        assertTrue(r.out().contains("Complete: yes"), r.out());
        CliRun json = CliRun.of("laws", "--format", "json", p.toString());
        assertTrue(json.out().contains("\"count\": 4,") && json.out().contains("\"complete\": true")
                && json.out().contains("\"certificate\": \"along grad h every unit moves"), json.out());
    }

    @Test
    void aSingleOutputStillGroupsEveryUnitsLaw() throws Exception {
        // W_out[1,1] holds the first unit's index in both slots; only the second is the unit's.
        Path p = spec("input x[3]\ntarget t\nlayer h[4] = relu(dense(x))\nlayer out[1] = dense(h)\n"
                + "objective sum((out - t)^2)\n");
        CliRun r = CliRun.of("laws", p.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("for each k in {1, 2, 3, 4}: W_h[k,1]^2 + W_h[k,2]^2 + W_h[k,3]^2 - W_out[1,k]^2\n"),
                r.out());
    }

    @Test
    void degreeThreeFindsTheCubicLawOfTheExampleAndBadDegreesAreRefused() throws Exception {
        CliRun two = CliRun.of("laws", "examples/cubic-law.net");
        assertEquals(ExitCodes.OK, two.exitCode(), two.err());
        assertTrue(two.out().contains("Count: at most 2 independent") && two.out().contains("  a^2 - b^2\n"), two.out());
        CliRun three = CliRun.of("laws", "--degree", "3", "examples/cubic-law.net");
        assertEquals(ExitCodes.OK, three.exitCode(), three.err());
        assertEquals("", three.err());
        assertTrue(three.out().contains("Polynomial laws of degree <= 3 (2 functionally independent):\n  a^2 - b^2\n"
                + "  a^2*c - 2*a*b*c + b^2*c\n"), three.out());
        assertTrue(three.out().contains("Complete: yes"), three.out());
        CliRun json = CliRun.of("laws", "--degree", "3", "--format", "json", "examples/cubic-law.net");
        assertTrue(json.out().contains("[\"1\", \"a\", \"a\", \"c\"]") && json.out().contains("\"degree\": 3,"), json.out());
        assertTrue(json.out().contains("eta^2 * (") && json.out().contains(" - eta^3 * ("), json.out());
        CliRun four = CliRun.of("laws", "--degree", "4", "examples/cubic-law.net");
        assertEquals(ExitCodes.USAGE, four.exitCode());
        assertTrue(four.err().contains("the degree is 2 or 3, not '4'"), four.err());
    }

    @Test
    void markdownLatexAndDriftRunsOfALinearNetwork() throws Exception {
        Path p = spec("input x[2]\ntarget t[2]\nlayer h[2] = dense(x)\nlayer out[2] = dense(h)\nobjective sum((out - t)^2)\n");
        CliRun md = CliRun.of("laws", "--format", "markdown", p.toString());
        assertEquals(ExitCodes.OK, md.exitCode(), md.err());
        assertEquals("", md.err());
        // W_h W_hᵀ − W_outᵀ W_out: three independent entries for a hidden layer of 2.
        assertTrue(md.out().startsWith("# Conservation laws of gradient flow for ") && md.out().contains("**Count: 3 independent"),
                md.out());
        assertTrue(md.out().contains("## Complete") && md.out().contains("Yes: the 3 proved laws"), md.out());
        CliRun json = CliRun.of("laws", "--format", "json", p.toString());
        String out = json.out();
        assertTrue(out.contains("\"equal_to_formula\": true"), out);
        // Adam's change at rates ten apart differs by about ten: first order.
        java.util.regex.Matcher adam = java.util.regex.Pattern
                .compile("\"adam\": \\{[^}]*\"changes\": \\[\"([-0-9.E]+)\", \"([-0-9.E]+)\"\\]").matcher(out);
        assertTrue(adam.find(), out);
        double ratio = Double.parseDouble(adam.group(1)) / Double.parseDouble(adam.group(2));
        assertTrue(ratio > 5 && ratio < 20, "Adam drift ratio " + ratio);
        Path tex = p.resolveSibling("laws.tex");
        CliRun latex = CliRun.of("latex", "--laws", "-o", tex.toString(), p.toString());
        assertEquals(ExitCodes.OK, latex.exitCode(), latex.err());
        String document = java.nio.file.Files.readString(tex);
        assertTrue(document.contains("\\section*{Conservation laws of gradient flow}")
                && document.contains("{W^{h}_{k,1}}^{2}"), document);
        CliRun refused = CliRun.of("latex", "--laws", "-o", tex.toString(), spec("input x\nh = tanh(a*x)\nobjective h\n").toString());
        assertEquals(ExitCodes.BAD_SPEC, refused.exitCode());
        assertTrue(refused.err().contains("error: --laws cannot use the exact method here: "), refused.err());
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
