package dev.netsym.cli;

import dev.netsym.robust.CliRun;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatexAndDotCommandTest {
    static final String SPEC = """
            network cs231n_toy
            input x1, x2
            y1 = w1*x1 + w3*x2
            y2 = w2*x1 + w4*x2
            y3 = w5*y1 + w7*y2
            y4 = w6*y1 + w8*y2
            y  = w9*y3 + w10*y4
            objective y
            init all = a
            """;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void latexWritesTheDocumentToAFileAndNeverOverTheSpec(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("cs231n.net");
        Files.writeString(spec, SPEC);
        Path tex = dir.resolve("out.tex");
        CliRun r = run("latex", spec.toString(), "-o", tex.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String doc = Files.readString(tex);
        assertTrue(doc.startsWith("\\documentclass"), doc);
        assertTrue(doc.contains("&= w_{9} (w_{1} x_{1} + w_{3} x_{2})"), doc);
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }

        CliRun over = run("latex", spec.toString(), "-o", spec.toString());
        assertEquals(ExitCodes.USAGE, over.exitCode());
        assertTrue(over.err().contains("refusing"), over.err());
        assertEquals(SPEC, Files.readString(spec));
    }

    @Test
    void latexFragmentGoesToStandardOutput(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("cs231n.net");
        Files.writeString(spec, SPEC);
        CliRun r = run("latex", spec.toString(), "--fragment");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertFalse(r.out().contains("\\documentclass"));
        assertTrue(r.out().contains("\\begin{tikzpicture}"));
        assertEquals(ExitCodes.USAGE, run("latex", spec.toString(), "--pdf").exitCode(), "--pdf needs -o");
    }

    @Test
    void latexPdfWhenPdflatexIsInstalled(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("cs231n.net");
        Files.writeString(spec, SPEC);
        CliRun r = run("latex", spec.toString(), "--pdf", "-o", dir.resolve("doc.tex").toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        if (OutputFile.onPath("pdflatex")) {
            assertTrue(Files.size(dir.resolve("doc.pdf")) > 1000, r.err());
        } else {
            assertTrue(r.err().contains("pdflatex is not installed"), r.err());
        }
    }

    @Test
    void dotAndSvg(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("cs231n.net");
        Files.writeString(spec, SPEC);
        CliRun dot = run("dot", spec.toString());
        assertEquals(ExitCodes.OK, dot.exitCode(), dot.err());
        assertTrue(dot.out().startsWith("digraph \"cs231n_toy\" {"), dot.out());
        assertTrue(dot.out().contains("label=\"w10\""), dot.out());
        // With the proof, the edges of one class share a colour: w1 and w2 are drawn alike.
        assertTrue(dot.out().contains("color="), dot.out());
        CliRun svg = run("dot", spec.toString(), "--svg", "-o", dir.resolve("net.svg").toString());
        if (OutputFile.onPath("dot")) {
            assertEquals(ExitCodes.OK, svg.exitCode(), svg.err());
            assertTrue(Files.readString(dir.resolve("net.svg")).contains("<svg"));
        } else {
            assertTrue(svg.err().contains("not installed"), svg.err());
        }
    }

    @Test
    void aTransformerDrawsAsABoxPerStatementThroughGraphviz(@TempDir Path dir) throws Exception {
        // Element by element this picture had a node per activation (126 KB of DOT for 508 weights).
        CliRun r = run("dot", "examples/gpt2-tiny.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("[label=\"H1 [3,4]\\n12 units\\n+ bo1: 4 classes\", shape=box3d];"), r.out());
        assertTrue(r.out().length() < 8000, r.out().length() + " characters");
        if (!OutputFile.onPath("dot")) return;
        Path svg = dir.resolve("gpt.svg");
        CliRun drawn = run("dot", "examples/gpt2-tiny.net", "--svg", "-o", svg.toString());
        assertEquals(ExitCodes.OK, drawn.exitCode(), drawn.err());
        String picture = Files.readString(svg);
        assertTrue(picture.contains("<svg") && picture.contains("logits [3,6]"), picture);
    }

    @Test
    void aBigTensorNetworksDocumentHasTheMatrixFormAndSaysWhatItLeavesOut(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("wide.net");
        Files.writeString(spec, "input x[2,80]\nparam W[80,80]\nh = tanh(x @ W)\nobjective sum(h)\ninit all = random\n");
        CliRun r = run("latex", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        String doc = r.out().replaceAll("\\s+", " ");
        assertTrue(doc.contains("\\section*{Gradients in matrix form}"), doc.substring(0, 2000));
        assertTrue(doc.contains("The 6,400 gradients element by element are left out: over 5,000 they are more than anyone"
                + " reads one by one; \\texttt{netsym latex --full} writes them."), doc.substring(0, 2000));
        // The network and its collapsed form are said on whole tensors too, not unit by unit (the
        // d 32 GPT toy's document was 122 MB of them), and only the colours used are defined.
        assertTrue(doc.contains("Element by element it has 160 units, more than anyone reads one by one"), doc);
        assertTrue(doc.contains("z_{h} &= x\\, W \\\\ h &= \\tanh(z_{h})"), doc);
        assertFalse(doc.contains("h_{1,1} &="), doc);
        assertTrue(doc.contains("Tensor by tensor:"), doc);
        assertTrue(doc.length() < 20_000, doc.length() + " characters");
        assertTrue(doc.split("\\\\definecolor").length < 20, doc.substring(0, 3000));
        if (!OutputFile.onPath("pdflatex")) return;
        Path pdf = dir.resolve("wide.pdf");
        CliRun typeset = run("latex", spec.toString(), "--pdf", "-o", pdf.toString());
        assertEquals(ExitCodes.OK, typeset.exitCode(), typeset.err());
        // -o wide.pdf: the PDF there and the document beside it, each written once.
        assertTrue(new String(Files.readAllBytes(pdf), java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("%PDF"));
        assertTrue(Files.readString(dir.resolve("wide.tex")).startsWith("\\documentclass"));
        assertEquals("netsym: wrote " + dir.resolve("wide.tex") + "\nnetsym: wrote " + pdf + "\n", typeset.out());
    }

    @Test
    void aBigTensorNetworksProofListsItsFrozenTensorFirstAndTensorByTensor(@TempDir Path dir) throws Exception {
        // Every element of W is a class of its own: the induction shows the frozen z before them.
        Path spec = dir.resolve("frozen.net");
        Files.writeString(spec, "input x[2,80]\nparam W[80,80]\nparam z[80]\nh = tanh(x @ W)\n"
                + "objective sum(h) + sum(z * z)\ninit W = random\ninit z = 0\n");
        CliRun r = run("latex", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String doc = r.out().replaceAll("\\s+", " ");
        int frozenRow = doc.indexOf("\\frac{\\partial L}{\\partial z_{1}} = \\dots = \\frac{\\partial L}{\\partial z_{80}} &= 0");
        int firstSingle = doc.indexOf("(one parameter)");
        assertTrue(frozenRow > 0 && frozenRow < firstSingle, doc);
        assertTrue(doc.contains("\\dots \\text{and 6389 more classes, each of one parameter}"), doc);
        assertTrue(doc.contains("\\item $z$ [80]: never moves (all 80 elements stay at 0)."), doc);
    }
}
