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
        assertTrue(dot.contains("{ rank=same; n0; n1; n0 -> n1 [style=invis]; }"), dot);
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

    static final String RESIDUAL = """
            network resid
            input x[3]
            layer h[4] = tanh(dense(x))
            layer r[4] = h + dense(h)
            objective sum(r)
            init all = a
            """;

    @Test
    void aResidualConnectionIsItsOwnEdgeBesideTheWeightedOne() {
        // x[1..3] are n0..n2, h[1..4] n3..n6, r[1..4] n7..n10.
        String dot = dot(ProofFixtures.parse(RESIDUAL), null);
        assertTrue(dot.contains("n3 -> n7 [];"), dot);
        assertTrue(dot.contains("n3 -> n7 [label=\"W_r[1,1]\"];"), dot);
        assertTrue(dot.contains("n6 -> n10 [];"), dot);
        assertTrue(dot.contains("n6 -> n10 [label=\"W_r[4,4]\"];"), dot);
    }

    @Test
    void graphvizKeepsEachColumnInNaturalOrder(@TempDir Path dir) throws Exception {
        ExternalTools.require("dot", "graphviz");
        Path in = dir.resolve("resid.dot");
        Files.writeString(in, dot(ProofFixtures.parse(RESIDUAL), null), StandardCharsets.UTF_8);
        var run = ExternalTools.run(dir, List.of("dot", "-Tplain", "-o", "resid.txt", in.toString()), 60);
        assertEquals(0, run.exitCode(), run.output());
        // "node NAME X Y ...": rankdir=LR puts a column's first element on top, at the largest y.
        java.util.Map<String, Double> y = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("resid.txt"))) {
            String[] f = line.split(" ");
            if (f[0].equals("node")) y.put(f[1], Double.parseDouble(f[3]));
        }
        for (String[] column : new String[][] {{"n3", "n4", "n5", "n6"}, {"n7", "n8", "n9", "n10"}}) {
            for (int k = 1; k < column.length; k++) {
                assertTrue(y.get(column[k - 1]) > y.get(column[k]), column[k - 1] + " above " + column[k] + ": " + y);
            }
        }
    }

    @Test
    void classSymbolsNeverReuseANameOfTheSpec(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("clash.net");
        Files.writeString(spec, """
                network clash
                input x1, x2
                h1 = tanh(c1*x1 + c2*x2 + b1)
                h2 = tanh(c1*x2 + c2*x1 + b2)
                y = h1 + h2
                objective y
                init c1, c2 = a
                init b1, b2 = 0
                """);
        var dot = dev.netsym.robust.CliRun.of("dot", spec.toString());
        assertTrue(dot.out().contains("——  q2: c1, c2"), dot.out());
        var prove = dev.netsym.robust.CliRun.of("prove", spec.toString());
        assertTrue(prove.out().contains("b1 = b2 = q1,  c1 = c2 = q2"), prove.out());
        assertTrue(prove.out().contains("It computes, with q1, q2 the class values,"), prove.out());
        assertTrue(prove.out().contains("y = 2·tanh(q1 + q2·x1 + q2·x2)"), prove.out());
    }
}
