package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netsym.robust.CliRun;
import dev.netsym.robust.JsonSyntax;
import dev.netsym.robust.PythonRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prove --optimizers} and a spec's {@code optimizer adamw}, end to end through the command line. */
class OptimisersCommandTest {
    private static CliRun prove(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "prove";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRun r = CliRun.of(all);
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertEquals("", r.err(), "a good run prints nothing on stderr");
        return r;
    }

    /** examples/dead-relu.net with 'optimizer adamw': its dead units sit at a negative start, which decay moves. */
    private static Path deadReluUnderAdamw(Path dir) throws IOException {
        Path spec = dir.resolve("dead-relu-adamw.net");
        Files.writeString(spec, Files.readString(Path.of("examples/dead-relu.net")) + "optimizer adamw\n");
        return spec;
    }

    @Test
    void theTextTableSaysWhatEachOptimiserKeepsAndShowsEachBreak() {
        String text = prove("--optimizers", "examples/dead-relu.net").out();
        assertTrue(text.contains("\nOptimisers: which of the 1 claim (class or frozen parameter) above each one keeps\n"), text);
        assertTrue(text.contains("\n  keeps   Adam — m ← β₁m + (1 − β₁)g,"), text);
        assertTrue(text.contains("\n  breaks  L2 weight decay — "), text);
        assertTrue(text.contains("✗ {v1, v2, w1, w2, w3, w4}: v1 moves at step 1: -1 → -99/100 (run: a = -1; x1 = 3,"
                + " x2 = 4;\n"), text);
        assertTrue(text.contains("Runs: gradient descent with L2 weight decay λ = 1/10."), text);
        assertTrue(text.contains("\n  keeps   dropout — proved again with an input m_u multiplying each of the 2 units"), text);
        assertTrue(text.contains("\n  n/a     top-k routing with ties — "), text);
        for (String line : text.split("\n")) assertTrue(line.length() <= 100, "too wide: " + line);
    }

    @Test
    void withoutTheFlagThereIsNoTableAndTheScopeSentencePointsToIt() {
        String text = prove("examples/cs231n.net").out();
        assertFalse(text.contains("Optimisers:"), text);
        assertTrue(text.replaceAll("\\s+", " ").contains("('prove --optimizers' decides optimisers one by one)"), text);
    }

    @Test
    void jsonCarriesEveryRowWithItsRuns() {
        String json = prove("--optimizers", "--format", "json", "examples/cs231n.net").out();
        assertTrue(JsonSyntax.isValid(json), json);
        assertTrue(json.contains("{\"optimizer\": \"Adam\", \"verdict\": \"keeps\""), json);
        assertTrue(json.contains("{\"optimizer\": \"additive gradient noise\", \"verdict\": \"breaks\""), json);
        assertTrue(json.contains("\"claim\": [\"w1\", \"w2\"], \"first\": \"w1\", \"second\": \"w2\", \"step\": 1"), json);
        assertTrue(json.contains("\"optimizer\": \"gradient descent with a learning rate per parameter\""), json);
    }

    @Test
    void markdownIsATable() {
        String md = prove("--optimizers", "--format", "markdown", "examples/cs231n.net").out();
        assertTrue(md.contains("\n## Optimisers\n"), md);
        assertTrue(md.contains("\n| optimiser | verdict | why |\n|---|---|---|\n| SGD | keeps | "), md);
        assertTrue(md.contains("\n| additive gradient noise | breaks | "), md);
    }

    @Test
    void adamwInTheSpecChangesTheTheoremAndItsWitnessRuns(@TempDir Path dir) throws IOException {
        Path spec = deadReluUnderAdamw(dir);
        String plain = prove("examples/dead-relu.net").out();
        assertTrue(plain.contains("  and these never move from their initial values:\n    {v1, v2, w1, w2, w3, w4}\n"), plain);
        String text = prove(spec.toString()).out();
        assertTrue(text.contains("and no parameter is sure to stay at its initial value."), text);
        assertTrue(text.contains("gradient descent with decoupled weight decay λ = 1/10"), text);
        String json = prove("--format", "json", spec.toString()).out();
        assertTrue(JsonSyntax.isValid(json), json);
        assertTrue(json.contains("\"frozen\": []"), json);
        assertTrue(json.contains("\"optimizer\": \"gradient descent with decoupled weight decay λ = 1/10\""), json);
    }

    @Test
    void theWitnessScriptReplaysDecayRuns(@TempDir Path dir) throws Exception {
        Path spec = deadReluUnderAdamw(dir);
        Path script = dir.resolve("witness.py");
        prove(spec.toString(), "--witness-script", "python", "-o", script.toString());
        String code = Files.readString(script);
        assertTrue(code.contains("(\"DECOUPLED\", \"1/10\")"), code);
        String python = PythonRun.interpreterWith("numpy").orElse(null);
        assumeTrue(python != null, "no python3 with numpy");
        PythonRun run = PythonRun.script(python, script, 300);
        String out = run.output();
        assertEquals(0, run.exitCode(), out);
        assertTrue(out.contains("moves: v1 at step 1: -0.99 (started at -1)"), out);
        assertTrue(out.contains(" 0 disagree,"), out);
    }

    @Test
    void parameterGroupsSplitTheClassesTheyCrossAndTheirRunsReplay(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("cs231n-groups.net");
        Files.writeString(spec, Files.readString(Path.of("examples/cs231n.net")) + "lr w1, w2 = 1/2\nlr w9 = 1/10\n");
        String text = prove(spec.toString()).out();
        assertTrue(text.contains("\n    {w1, w2}  {w3, w4}  {w5, w7}  {w6, w8}\n"), text);
        assertTrue(text.contains("  w1 and w3 separate (round 1)\n"), text);
        assertTrue(text.contains("gradient descent with a learning rate per parameter"), text);
        assertTrue(text.replaceAll("\\s+", " ").contains("learning rates other than the spec's 'lr' lines"), text);
        CliRun check = CliRun.of("check", spec.toString());
        assertTrue(check.out().contains("  learning rates (times the optimizer's; the rest at 1):\n"
                + "    1/10                  1: w9\n    1/2                   2: w1, w2\n"), check.out());
        String table = prove("--optimizers", spec.toString()).out();
        assertTrue(table.contains("\n  keeps   per-parameter learning rates — the theorem above is proved with the spec's"), table);
        Path script = dir.resolve("witness.py");
        prove(spec.toString(), "--witness-script", "python", "-o", script.toString());
        assertTrue(Files.readString(script).contains("RATES = {\"w1\": \"1/2\", \"w2\": \"1/2\", \"w9\": \"1/10\"}"));
        String python = PythonRun.interpreterWith("numpy").orElse(null);
        assumeTrue(python != null, "no python3 with numpy");
        PythonRun run = PythonRun.script(python, script, 300);
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("separates: w1 w3 at step 1: 0.8 vs 0.2"), run.output());
        assertTrue(run.output().contains(" 0 disagree,"), run.output());
    }

    @Test
    void latexHasTheTableAsASectionThatCompiles(@TempDir Path dir) throws Exception {
        Path tex = dir.resolve("dead-relu.tex");
        CliRun r = CliRun.of("latex", "examples/dead-relu.net", "--optimizers", "--pdf", "-o", tex.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        String doc = Files.readString(tex);
        assertTrue(doc.contains("\\section*{Which optimisers keep the classes}"), doc);
        assertTrue(doc.contains("\\item[L2 weight decay] \\textbf{breaks.}"), doc);
        assertTrue(doc.contains("\\ensuremath{\\hat{m}}"), "Adam's m̂ as math: " + doc);
        assertTrue(doc.contains("-{}-optimizers' decides"), "two hyphens, not an en dash: " + doc);
        if (OutputFile.onPath("pdflatex")) assertTrue(Files.size(dir.resolve("dead-relu.pdf")) > 1000, r.err());
    }

    @Test
    void aProofThatClaimsNothingGetsASentenceNotATable(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("one.net");
        Files.writeString(spec, "input x\ny = w*x\nobjective y\ninit w = random\n");
        String text = prove("--optimizers", spec.toString()).out();
        assertTrue(text.endsWith("\nOptimisers: the proof above claims no class of two or more and no frozen parameter,"
                + " so there is\n  nothing for an optimiser to keep or break.\n"), text);
        String json = prove("--optimizers", "--format", "json", spec.toString()).out();
        assertTrue(JsonSyntax.isValid(json), json);
    }
}
