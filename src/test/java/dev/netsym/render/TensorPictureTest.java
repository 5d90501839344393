package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Network;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofEngine;
import dev.netsym.spec.SpecParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The picture of a network written as tensor statements: a node per statement and an edge per
 * tensor it reads, with the parameter tensors of the same term on the edge, in DOT and in TikZ.
 */
class TensorPictureTest {

    private static Network spec(String text) {
        return SpecParser.parse(text).network().orElseThrow();
    }

    private static Network example(String name) throws Exception {
        return spec(Files.readString(Path.of("examples", name)));
    }

    private static NetworkLayout.Node node(NetworkLayout layout, String name) {
        return layout.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    private static Optional<NetworkLayout.Edge> edge(NetworkLayout layout, String from, String to) {
        return layout.edges().stream().filter(e -> e.from().name().equals(from) && e.to().name().equals(to)).findFirst();
    }

    @Test
    void aTransformerIsANodePerStatementWithItsWeightsOnTheEdges() throws Exception {
        Network network = example("gpt2-tiny.net");
        NetworkLayout layout = NetworkLayout.of(network);
        assertTrue(layout.ofTensors());
        assertEquals(List.of("tok", "H0", "A1", "H1", "F1", "H2", "A2", "H3", "F2", "H4", "logits", "next", "L"),
                layout.nodes().stream().map(NetworkLayout.Node::name).toList());
        assertEquals("[3,4]", node(layout, "H0").shape());
        assertEquals("[3,16]", node(layout, "F1").shape());
        assertEquals(12, node(layout, "H0").members().size());
        // tok @ E is the term that reads tok; + P has no source, so P is H0's own.
        NetworkLayout.Edge embedding = edge(layout, "tok", "H0").orElseThrow();
        assertEquals(List.of("E"), embedding.tensors());
        assertEquals(24, embedding.parameters().size());
        assertEquals(12, node(layout, "H0").ownParameters().size());
        assertEquals(List.of("P"), NetworkLayout.tensorsOf(node(layout, "H0").ownParameters()));
        // The block's attention weights ride on the edge from its normalised input; the residual is plain.
        assertEquals(List.of("Wq1", "Wk1", "Wv1", "Wo1"), edge(layout, "A1", "H1").orElseThrow().tensors());
        assertTrue(edge(layout, "H0", "H1").orElseThrow().parameters().isEmpty());
        // A layer norm's gain and bias are in the same term as the product after it.
        assertEquals(List.of("gm1", "bm1", "Wf1"), edge(layout, "H1", "F1").orElseThrow().tensors());
        // The intermediate values of the loss belong to the objective, which reads logits and next.
        assertTrue(edge(layout, "logits", "L").isPresent());
        assertTrue(edge(layout, "next", "L").isPresent());
        assertEquals(NetworkLayout.Kind.OBJECTIVE, node(layout, "L").kind());
        assertTrue(node(layout, "next").inputBlock());
        assertEquals(node(layout, "logits").column(), node(layout, "next").column());
    }

    @Test
    void smallTensorsAndDenseLayersKeepTheirPictures() throws Exception {
        // No tensor over the block threshold: drawn unit by unit, as before.
        assertFalse(NetworkLayout.of(example("lora.net")).ofTensors());
        Network layers = spec("""
                input x[60]
                layer h[50] = tanh(dense(x))
                objective sum(h)
                init all = random
                """);
        NetworkLayout layout = NetworkLayout.of(layers);
        assertFalse(layout.ofTensors());
        assertTrue(layout.hasBlocks());
        assertEquals("", node(layout, "h").shape());
    }

    @Test
    void theDotPictureNamesTensorsShapesAndClasses() throws Exception {
        Network network = example("gpt2-tiny.net");
        Proof proof = ProofEngine.prove(network, ProofEngine.Options.defaults());
        StringWriter text = new StringWriter();
        new DotRenderer(new PrintWriter(text)).render(network, proof);
        String dot = text.toString();
        assertTrue(dot.contains("[label=\"H0 [3,4]\\n12 units\\n+ P: 12 classes\", shape=box3d];"), dot);
        assertTrue(dot.contains("[label=\"tok [3,6]\\n18 inputs\", shape=box3d];"), dot);
        assertTrue(dot.contains(" [label=\"E\\n24 weights, 24 classes\"];"), dot);
        assertTrue(dot.contains(" [label=\"gm1, bm1, Wf1\\n72 weights, 72 classes\"];"), dot);
        assertTrue(dot.contains(" [label=\"Wq1, Wk1, … (4)\\n64 weights, 64 classes\"];"), dot);
        assertTrue(dot.lines().count() < 60, "a node per statement, not per element: " + dot.lines().count() + " lines");
    }

    @Test
    void theTikzPictureRunsDownwardsWithTheLabelsInAColumn() throws Exception {
        Network network = example("gpt2-tiny.net");
        Proof proof = ProofEngine.prove(network, ProofEngine.Options.defaults());
        StringWriter text = new StringWriter();
        LatexExprPrinter printer = new LatexExprPrinter();
        NetworkLayout layout = NetworkLayout.of(network);
        new LatexNetworkPicture(new PrintWriter(text), printer).render(network, proof, layout, ClassColours.of(proof));
        String tex = text.toString();
        String h0 = node(layout, "H0").id();
        String h1 = node(layout, "H1").id();
        // Boxes one below the other; the residual loops round the left of the box between.
        assertTrue(tex.contains("(" + h0 + ") at (0.00cm,-1.09cm) {$H_{0}$ [3,4]};"), tex);
        assertTrue(tex.contains("(" + h0 + ".west) to[out=180, in=180] (" + h1 + ".west);"), tex);
        assertTrue(tex.contains("{$+P$: 12 classes};"), tex);
        assertTrue(tex.contains("{$\\mathit{gm}_{1}, \\mathit{bm}_{1}, \\mathit{Wf}_{1}$: 72 weights, 72 classes};"), tex);
        assertTrue(tex.contains("a box is a whole tensor"), tex);
    }
}
