package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.calculus.Derivation;
import dev.netsym.calculus.DerivationOptions;
import dev.netsym.model.Network;
import dev.netsym.proof.Proof;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatexDocumentRendererTest {

    /** Overfull boxes up to this are a hair over the margin, invisible on the page. */
    static final double OVERFULL_TOLERANCE_PT = 20;

    static Derivation cs231nDerivation;

    @BeforeAll
    static void derive() {
        cs231nDerivation = Derivation.of(ProofFixtures.cs231n(), DerivationOptions.defaults());
    }

    static String render(Network n, Derivation d, Proof p, boolean fragment) {
        StringWriter s = new StringWriter();
        new LatexDocumentRenderer(new PrintWriter(s), fragment).render(n, d, p);
        return s.toString();
    }

    static String cs231nDocument() {
        return render(ProofFixtures.cs231n(), cs231nDerivation, ProofFixtures.cs231nProof(), false);
    }

    @Test
    void cs231nDocumentMatchesItsGolden() throws IOException {
        assertGolden("cs231n.tex", cs231nDocument());
    }

    @Test
    void theDerivationReadsLikeTheSourceAnswer() {
        // The source is wrapped at spaces, which TeX reads as the spaces they replace.
        String doc = cs231nDocument().replace('\n', ' ');
        assertTrue(doc.contains("\\frac{\\partial y}{\\partial w_{5}} &= \\frac{\\partial y}{\\partial y_{3}} "
                + "\\frac{\\partial y_{3}}{\\partial w_{5}} + \\frac{\\partial y}{\\partial y_{4}} "
                + "\\frac{\\partial y_{4}}{\\partial w_{5}}"), doc);
        assertTrue(doc.contains("&= w_{9} y_{1} + w_{10} \\cdot 0"), doc);
        assertTrue(doc.contains("&= w_{9} (w_{1} x_{1} + w_{3} x_{2})"), doc);
        assertTrue(doc.contains("&= (w_{9} w_{5} + w_{10} w_{6}) x_{1}"), doc);
        assertTrue(doc.contains("\\right|_{\\theta_{0}} &= 2 a^{2} (x_{1} + x_{2})"), doc);
        assertTrue(doc.contains("w_{5} &\\color{netsymclassc}= w_{6} = w_{7} = w_{8},"), doc);
        assertTrue(doc.contains("y_{3} &= c_{3} y_{1} + c_{3} y_{2}"), doc);
        assertTrue(doc.contains("$y_{1} =\\allowbreak y_{2}$, $y_{3} =\\allowbreak y_{4}$"), doc);
    }

    @Test
    void fragmentIsTheBodyOnly() {
        String body = render(ProofFixtures.cs231n(), cs231nDerivation, ProofFixtures.cs231nProof(), true);
        assertFalse(body.contains("\\documentclass"));
        assertFalse(body.contains("\\begin{document}"));
        assertFalse(body.contains("\\end{document}"));
        assertTrue(body.contains("\\definecolor{netsymclassa}{HTML}{0072B2}"));
        assertTrue(body.contains("\\begin{tikzpicture}"));
    }

    @Test
    void pdflatexCompilesTheCs231nDocumentWithoutErrorsOrOverfullBoxes(@TempDir Path dir) throws Exception {
        String pdf = compile(dir, "cs231n", cs231nDocument());
        assertTrue(Files.size(dir.resolve(pdf)) > 1000);
    }

    @Test
    void pdflatexCompilesFrozenAndBlockDocuments(@TempDir Path dir) throws Exception {
        Network zero = ProofFixtures.cs231nZeroProof().network();
        compile(dir, "zero", render(zero, Derivation.of(zero, DerivationOptions.defaults()),
                ProofFixtures.cs231nZeroProof(), false));
        Network dense = ProofFixtures.dense();
        compile(dir, "dense", render(dense, null, ProofFixtures.denseProof(dense), false));
    }

    @Test
    void longSumsBreakOverRowsAndStayInsideThePage(@TempDir Path dir) throws Exception {
        StringBuilder spec = new StringBuilder("network long_sums\ninput ");
        StringBuilder sum = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            spec.append(i > 1 ? ", " : "").append("x").append(i);
            sum.append(i > 1 ? " + " : "").append("w").append(i).append("*tanh(v").append(i).append("*x").append(i).append(")");
        }
        spec.append("\ny = ").append(sum).append("\nobjective y\ninit all = a\n");
        Network n = ProofFixtures.parse(spec.toString());
        String doc = render(n, null, null, false);
        assertTrue(doc.contains("&\\quad + w_{"), "the unit's sum continues on further rows");
        compile(dir, "long", doc);
    }

    @Test
    void rowsBreakOnlyAtMarks() {
        List<String> rows = LatexLines.rows("y", "a \u0001+ b");
        assertEquals(List.of("y &= a + b"), rows);
        String longSum = String.join(" \u0001+ ", java.util.Collections.nCopies(40, "w_{10} x_{10}"));
        List<String> broken = LatexLines.rows("y", longSum);
        assertTrue(broken.size() > 3, broken.toString());
        assertTrue(broken.get(1).startsWith("&\\quad + w_{10}"), broken.toString());
        for (String row : broken) assertTrue(LatexLines.width(row) < LatexLines.LINE_EM + 3, row);
    }

    /** Runs pdflatex twice-safe in batch mode in dir; fails on any error or wide overfull box. */
    static String compile(Path dir, String name, String tex) throws Exception {
        ExternalTools.require("pdflatex", "texlive-latex-base texlive-pictures");
        Path file = dir.resolve(name + ".tex");
        Files.writeString(file, tex, StandardCharsets.UTF_8);
        var run = ExternalTools.run(dir, List.of("pdflatex", "-interaction=batchmode", "-halt-on-error",
                "-no-shell-escape", name + ".tex"), 120);
        String log = Files.exists(dir.resolve(name + ".log"))
                ? Files.readString(dir.resolve(name + ".log"), StandardCharsets.ISO_8859_1) : run.output();
        Path samples = Files.createDirectories(Path.of("target", "render-samples"));
        Files.writeString(samples.resolve(name + ".tex"), tex, StandardCharsets.UTF_8);
        Files.writeString(samples.resolve(name + ".log"), log, StandardCharsets.ISO_8859_1);
        if (Files.exists(dir.resolve(name + ".pdf"))) {
            Files.copy(dir.resolve(name + ".pdf"), samples.resolve(name + ".pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(0, run.exitCode(), () -> name + ": pdflatex failed:\n" + errors(log));
        assertFalse(log.contains("\n! "), () -> name + ":\n" + errors(log));
        List<String> overfull = new ArrayList<>();
        Matcher m = Pattern.compile("Overfull \\\\[hv]box \\(([0-9.]+)pt too (wide|high)\\)[^\n]*").matcher(log);
        while (m.find()) if (Double.parseDouble(m.group(1)) > OVERFULL_TOLERANCE_PT) overfull.add(m.group());
        assertTrue(overfull.isEmpty(), () -> name + ": " + overfull);
        return name + ".pdf";
    }

    private static String errors(String log) {
        int i = log.indexOf("\n! ");
        return i < 0 ? log.substring(Math.max(0, log.length() - 3000)) : log.substring(i, Math.min(log.length(), i + 1500));
    }

    /**
     * Compares with src/test/resources/latex/NAME. The golden is written only on request, with
     * -Dnetsym.updateGoldens=true, after checking the change by eye: a test that wrote its own
     * expected output would pass whatever it produced.
     */
    @Test
    void aResidualConnectionBendsAroundItsWeightedEdge() {
        String doc = render(ProofFixtures.parse(DotRendererTest.RESIDUAL), null, null, true);
        // h[1] is n3, r[1] n7: the weighted edge straight, the skip beside it.
        assertTrue(doc.contains("\\draw[->, draw=netsymplain] (n3) -- node[weight"), doc);
        assertTrue(doc.contains("\\draw[->, draw=netsymplain] (n3) to[bend left=35] (n7);"), doc);
    }

    static final String DECIMALS = """
            network dec
            input x1, x2
            h1 = tanh(w1*x1 + w2*x2 + b1)
            h2 = tanh(w3*x1 + w4*x2 + b2)
            y = v1*h1 + v2*h2
            objective y
            init w* = 0.5
            init b* = 0.0000016073772
            init v1 = 0.3
            init v2 = 3/10
            """;

    static String latexOf(Path dir, String spec) throws IOException {
        Path file = dir.resolve("spec.net");
        Files.writeString(file, spec);
        dev.netsym.robust.CliRun run = dev.netsym.robust.CliRun.of("latex", file.toString());
        assertEquals(0, run.exitCode(), run.err());
        return run.out();
    }

    @Test
    void decimalsInTheSpecStayDecimalsAndNoSentenceStartsWithAFullStop(@TempDir Path dir) throws IOException {
        String doc = latexOf(dir, DECIMALS);
        // The source is wrapped at spaces, which TeX reads as the spaces they replace.
        String text = doc.replace('\n', ' ');
        assertTrue(text.contains("$b_{1},\\allowbreak b_{2}$ at $0.0000016073772$"), doc);
        assertTrue(text.contains("$w_{1},\\allowbreak w_{2},\\allowbreak w_{3},\\allowbreak w_{4}$ at $0.5$"), doc);
        assertTrue(text.contains("learning rate $0.1$"), doc);
        assertTrue(text.contains("but it started at $0.0000016073772$"), doc);
        assertFalse(text.contains("4018443"), doc);
        // A separation shown as a display ends the display with its full stop.
        assertTrue(doc.contains(".\n\\end{align*}\nWitness: "), doc);
        assertFalse(doc.contains("\n. Witness"), doc);
    }

    @Test
    void anUnnamedNetworkIsTitledWithoutAName(@TempDir Path dir) throws IOException {
        String doc = latexOf(dir, DECIMALS.replace("network dec\n", ""));
        assertTrue(doc.contains("\\title{The network}"), doc);
        assertTrue(doc.contains("\\caption{The network, edges coloured"), doc);
        assertFalse(doc.contains("network}}"), doc);
    }

    @Test
    void theTheoremsListOfClassesIsNotSplitOverAPage() {
        String doc = cs231nDocument();
        String theorem = doc.substring(doc.indexOf("\\textbf{Theorem.}"), doc.indexOf("\\paragraph{Proof"));
        assertTrue(theorem.contains("w_{2}, \\\\*\n"), theorem);
        assertFalse(theorem.matches("(?s).*\\\\\\\\\n.*"), theorem);
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path golden = Path.of("src", "test", "resources", "latex", name);
        if (Boolean.getBoolean("netsym.updateGoldens")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            fail("golden " + golden + " rewritten (-Dnetsym.updateGoldens=true); check the change and run again without it");
        }
        if (!Files.exists(golden)) fail("no golden " + golden + "; make it with -Dnetsym.updateGoldens=true");
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, name);
    }
}
