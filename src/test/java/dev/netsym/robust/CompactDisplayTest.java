package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What prove, derive and latex show of small networks whose expressions swell (issue #11,
 * item 6): long expressions keep unit names, name their repeated parts once ("where u1 = …")
 * before using them, and no line runs off the screen. The softmax written without units
 * (softmax3-flat.net) has nothing but repeats to name.
 */
class CompactDisplayTest {
    private static final String SOFTMAX = "bench/softmax3.net";
    private static final String MLP = "bench/mlp-2-3-2.net";
    private static final String FLAT = "src/test/resources/robust/softmax3-flat.net";

    /** Text is broken at 100 columns; a line of an expression may run 25 further rather than break badly. */
    private static final int TEXT_COLUMNS = 125;
    /** The LaTeX source is wrapped at 100 columns. */
    private static final int LATEX_COLUMNS = 100;

    private static final Map<List<String>, String> OUTPUTS = new HashMap<>();

    /** The output of one command line (each run once per test class: latex proves and derives). */
    private static synchronized String out(String... args) {
        return OUTPUTS.computeIfAbsent(List.of(args), a -> {
            CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of(args),
                    () -> "no answer: " + String.join(" ", args));
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("", run.err(), run::toString);
            return run.out();
        });
    }

    private static int longestLine(String text) {
        return text.lines().mapToInt(String::length).max().orElse(0);
    }

    @Test
    void noLineOfProveDeriveOrLatexRunsOffTheScreen() {
        for (String spec : List.of(SOFTMAX, MLP, FLAT)) {
            for (String command : List.of("prove", "derive")) {
                String text = out(command, spec);
                assertTrue(longestLine(text) <= TEXT_COLUMNS, () -> command + " " + spec + ":\n" + text);
            }
            String tex = out("latex", spec);
            assertTrue(longestLine(tex) <= LATEX_COLUMNS, () -> "latex " + spec + ":\n" + tex);
        }
    }

    @Test
    void proveKeepsTheUnitsOnTheSubspaceByName() {
        String proof = out("prove", SOFTMAX);
        String units = proof.substring(proof.indexOf("  Then the units are\n"), proof.indexOf("  and on that subspace"));
        assertTrue(units.contains("\n      z1 = c1·x1 + c2·x2 + c3·x3\n"), units);
        assertTrue(units.contains("\n      s = exp("), units);
        String separations = proof.substring(proof.indexOf("Why the classes are no coarser"));
        assertTrue(separations.contains("    on the subspace, ∂L/∂w11 − ∂L/∂w12 = exp(z1)·x1·t2/s"), separations);
        assertFalse(separations.contains("exp(c1·x1"), separations);
        assertTrue(proof.contains("\n      L = −log(exp(z1)/s)·t1 − log(exp(z2)/s)·t2 − log(exp(z3)/s)·t3\n"), proof);

        String mlp = out("prove", MLP);
        assertTrue(mlp.contains("    on the subspace, ∂L/∂b1 = 2·q6·(1 − h1²)·(y1 − t1) + 2·q9·(1 − h1²)·(y2 − t2)\n"),
                mlp);
    }

    @Test
    void deriveKeepsInResultsOnlyTheUnitsWhoseExpansionSwells() {
        String softmax = out("derive", SOFTMAX);
        // s (a sum of three exponentials) keeps its name; z1 (three products) is written out.
        assertTrue(softmax.contains("\n          = exp(w11·x1 + w12·x2 + w13·x3)·(t1/s + t2/s + t3/s)·x1 − x1·t1\n"),
                softmax);
        String mlp = out("derive", MLP);
        assertTrue(mlp.contains("\n  where u1 = tanh(a + a·x1 + a·x2)\n"), mlp);
        assertTrue(mlp.contains("\n    at init = 2·v11·(1 − u1²)·u2 + 2·v21·(1 − u1²)·u3\n"), mlp);
        assertTrue(mlp.contains("\n    at init = 2·u1·u2\n"), mlp);
    }

    /** Names such as u1 in text, each defined on a "where" line above its first other use. */
    private static void assertEachPartDefinedBeforeUse(String text, String part) {
        Pattern definition = Pattern.compile("^ *(?:where )?(" + part + ") = ");
        Pattern use = Pattern.compile("\\b" + part + "\\b");
        Set<String> defined = new LinkedHashSet<>();
        for (String line : text.lines().toList()) {
            Matcher d = definition.matcher(line);
            String defines = d.find() ? d.group(1) : null;
            Matcher m = use.matcher(defines == null ? line : line.substring(d.end()));
            while (m.find()) assertTrue(defined.contains(m.group()), () -> m.group() + " used before it is defined:\n" + text);
            if (defines != null) defined.add(defines);
        }
        assertFalse(defined.isEmpty(), text);
    }

    @Test
    void repeatedPartsAreDefinedOnceBeforeTheirFirstUse() {
        assertEachPartDefinedBeforeUse(out("prove", FLAT), "u[0-9]+");
        assertEachPartDefinedBeforeUse(out("derive", FLAT), "u[0-9]+");
        assertEachPartDefinedBeforeUse(out("derive", MLP), "u[0-9]+");
        String proof = out("prove", FLAT);
        assertTrue(proof.contains("\n  where u1 = exp(c1·x1 + c2·x2 + c3·x3)\n"), proof);
        assertEquals(1, proof.split("u1 = ", -1).length - 1, proof);

        // LaTeX: an align row "u_{1} &= …" before u_{1} is used; the proof's units on S likewise.
        String tex = out("latex", FLAT).replace('\n', ' ');
        Matcher part = Pattern.compile("u_\\{([0-9]+)}").matcher(tex);
        while (part.find()) {
            String name = part.group();
            int definedAt = tex.indexOf(name + " &= ");
            assertTrue(definedAt >= 0 && definedAt <= part.start(), () -> name + " used before it is defined:\n" + tex);
        }
        String softmax = out("latex", SOFTMAX);
        int proofStart = softmax.indexOf("\\paragraph{Proof");
        int units = softmax.indexOf("Below, on $S$,\n\\begin{align*}\nz_{1} &= c_{1} x_{1} + c_{2} x_{2} + c_{3} x_{3}, \\\\\n");
        assertTrue(units > proofStart && units < softmax.indexOf("\\exp(z_{1})", proofStart), softmax);
    }

    @Test
    void jsonCarriesTheDefinitionsOfEveryNameItsExpressionsUse() {
        String json = out("prove", "--format", "json", FLAT);
        assertTrue(json.contains("\n  \"definitions\": {\"u1\": \"exp(c1*x1 + c2*x2 + c3*x3)\", "), json);
        String definitions = json.substring(json.indexOf("\"definitions\""), json.indexOf("\n", json.indexOf("\"definitions\"")));
        Matcher part = Pattern.compile("\\bu[0-9]+\\b").matcher(json);
        while (part.find()) assertTrue(definitions.contains("\"" + part.group() + "\": "), () -> part.group() + ":\n" + json);
        assertTrue(JsonSyntax.isValid(json), json);

        String derivation = out("derive", "--format", "json", MLP);
        assertTrue(derivation.contains("\n  \"definitions\": {\n    \"u1\": \"tanh(a + a*x1 + a*x2)\","), derivation);
        assertTrue(JsonSyntax.isValid(derivation), derivation);
    }

    @Test
    void fullWritesEveryExpressionOutAsComputed() {
        String proof = out("prove", "--full", SOFTMAX);
        String separations = proof.substring(proof.indexOf("Why the classes are no coarser"));
        assertTrue(separations.contains("on the subspace, ∂L/∂w11 − ∂L/∂w12 = exp(c1·x1 + c2·x2"), proof);
        assertFalse(separations.contains("exp(z1)"), proof);
        // Still broken into lines, but about eight times as many as without --full.
        String compact = out("prove", SOFTMAX);
        assertTrue(proof.lines().count() > compact.lines().count() + 100, proof);
        String derivation = out("derive", "--full", FLAT);
        assertFalse(derivation.contains("where "), derivation);
        assertFalse(derivation.contains("not shown"), derivation);
        String tex = out("latex", "--full", FLAT);
        assertFalse(tex.contains("u_{1}"), tex);
    }
}
