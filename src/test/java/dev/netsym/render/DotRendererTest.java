package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Unit;
import dev.netsym.proof.Proof;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotRendererTest {

    static String dot(Network n, Proof p) {
        StringWriter s = new StringWriter();
        new DotRenderer(new PrintWriter(s)).render(n, p);
        return s.toString();
    }

    @Test
    void cs231nEdgesCarryTheirWeightsInTheirClassColour() {
        String dot = dot(ProofFixtures.cs231n(), ProofFixtures.cs231nProof());
        // x1 is n0, x2 is n1, y1 n2, y2 n3, y3 n4, y4 n5, y n6.
        assertTrue(dot.contains("n0 -> n2 [label=\"w1\", color=\"#0072B2\", fontcolor=\"#0072B2\"];"), dot);
        assertTrue(dot.contains("n1 -> n2 [label=\"w3\", color=\"#D55E00\", fontcolor=\"#D55E00\"];"), dot);
        assertTrue(dot.contains("n4 -> n6 [label=\"w9\", color=\"#CC79A7\""), dot);
        assertTrue(dot.contains("n5 -> n6 [label=\"w10\", color=\"#CC79A7\""), dot);
        assertEquals(10, Pattern.compile(" -> n\\d+ \\[label=\"w").matcher(dot).results().count());
        assertTrue(dot.contains("{ rank=same; n0; n1; }"), dot);
        assertTrue(dot.contains("<font color=\"#009E73\">——  c3: w5, w6, w7, w8</font>"), dot);
        assertTrue(dot.contains("10 parameters, 4 trainable values"), dot);
    }

    @Test
    void frozenEdgesAreGreyAndDashed() {
        String dot = dot(ProofFixtures.cs231n(), ProofFixtures.cs231nZeroProof());
        assertTrue(dot.contains("n0 -> n2 [label=\"w1\", color=\"#999999\", fontcolor=\"#999999\", style=dashed];"), dot);
        assertTrue(dot.contains("- - -  frozen at 0: w1, w2, w3, w4, w5, w6, …, w10 (10)"), dot);
    }

    @Test
    void noNameCanBreakOutOfItsString() {
        String evil = "x\"]; evil -> pwned [label=\"\\N\n}";
        Network n = new Network("net\" { bad }", List.of(evil), List.of(),
                List.of(new Unit("y", new Expr.Product(List.of(new Expr.Ref("w\\G"), new Expr.Ref(evil))), SourcePos.NONE, null)),
                new Expr.Ref("y"), List.of(new Parameter("w\\G", new Init.Symbolic("a"), SourcePos.NONE)),
                Set.of(), List.of(), List.of(), List.of(), "sgd");
        String dot = dot(n, null);
        assertTrue(dot.contains("label=\"x\\\"]; evil -> pwned [label=\\\"\\\\N\\n}\""), dot);
        assertTrue(dot.contains("label=\"w\\\\G\""), dot);
        assertFalse(dot.contains("\n  evil"), dot);
        assertEquals("\"a\\\\b\\\"c\\nd \"", DotRenderer.quote("a\\b\"c\nd\u0007"));
        assertEquals("&lt;/table&gt;&amp;&quot;", DotRenderer.html("</table>&\""));
    }

    @Test
    void bigDenseLayersAreBlocks() {
        Network n = ProofFixtures.dense();
        String dot = dot(n, ProofFixtures.denseProof(n));
        assertTrue(dot.contains("label=\"x[1..60]\\n60 inputs\", shape=box3d"), dot);
        assertTrue(dot.contains("label=\"h[1..50]\\n50 units\\nbiases: 1 class\", shape=box3d"), dot);
        assertTrue(dot.contains("n0 -> n1 [label=\"3000 weights, 60 classes\"];"), dot);
        assertTrue(dot.contains("n1 -> n2 [label=\"50 weights, 1 class\", color="), dot);
        assertTrue(dot.contains("… and 46 more classes"), dot);
        assertTrue(dot.lines().count() < 80, "a block picture stays small");
    }

    @Test
    void graphvizDrawsIt(@TempDir Path dir) throws Exception {
        ExternalTools.require("dot", "graphviz");
        Network dense = ProofFixtures.dense();
        String[][] cases = {
            {"cs231n", dot(ProofFixtures.cs231n(), ProofFixtures.cs231nProof())},
            {"dense", dot(dense, ProofFixtures.denseProof(dense))},
            {"zero", dot(ProofFixtures.cs231n(), ProofFixtures.cs231nZeroProof())},
        };
        for (String[] c : cases) {
            Path in = dir.resolve(c[0] + ".dot");
            Files.writeString(in, c[1], StandardCharsets.UTF_8);
            var run = ExternalTools.run(dir, List.of("dot", "-Tsvg", "-o", c[0] + ".svg", in.toString()), 60);
            assertEquals(0, run.exitCode(), run.output());
            assertFalse(run.output().contains("Warning"), run.output());
            String svg = Files.readString(dir.resolve(c[0] + ".svg"));
            // Kept under target/ for a person to look at.
            Path samples = Files.createDirectories(Path.of("target", "render-samples"));
            Files.writeString(samples.resolve(c[0] + ".dot"), c[1], StandardCharsets.UTF_8);
            assertTrue(svg.contains("<svg"), c[0]);
        }
    }
}
