package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.model.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProofEngineTest {
    static final String CS231N = """
            input x1, x2
            y1 = HIDDEN(w1*x1 + w3*x2)
            y2 = HIDDEN(w2*x1 + w4*x2)
            y3 = HIDDEN(w5*y1 + w7*y2)
            y4 = HIDDEN(w6*y1 + w8*y2)
            y  = w9*y3 + w10*y4
            objective y
            """;

    static Network network(String text) {
        var r = Netsym.parse(text);
        assertFalse(r.hasErrors(), r.diagnostics()::toString);
        return r.network().orElseThrow();
    }

    static String cs231n(String activation, String init) {
        return CS231N.replace("HIDDEN", activation) + init + "\n";
    }

    static List<List<String>> classes(Proof p) {
        return p.classes().stream().map(ParameterClass::members).toList();
    }

    static final List<List<String>> FOUR_CLASSES = List.of(List.of("w1", "w2"), List.of("w3", "w4"),
            List.of("w5", "w6", "w7", "w8"), List.of("w9", "w10"));

    @Test
    void cs231nWithEveryWeightAtAKeepsFourClasses() {
        Proof p = ProofEngine.prove(network(cs231n("", "init all = a")), ProofEngine.Options.defaults());
        assertEquals(FOUR_CLASSES, classes(p));
        assertTrue(p.frozen().isEmpty());
        assertEquals(4, p.trainableValues());
        assertTrue(p.undecided().isEmpty());
        assertEquals("modular", p.arithmetic());
    }

    @Test
    void cs231nStartedAtZeroNeverMoves() {
        Proof p = ProofEngine.prove(network(cs231n("", "init all = 0")), ProofEngine.Options.defaults());
        assertEquals(1, p.classes().size());
        assertEquals(10, p.frozen().size());
        assertEquals(0, p.trainableValues());
        assertEquals(Certificate.Kind.STRUCTURAL, p.classes().get(0).certificate().kind());
    }

    @Test
    void tanhHiddenUnitsKeepTheSameFourClasses() {
        Proof p = ProofEngine.prove(network(cs231n("tanh", "init all = a")), ProofEngine.Options.defaults());
        assertEquals(FOUR_CLASSES, classes(p));
        assertEquals("decimal", p.arithmetic());
        p.classes().forEach(c -> assertEquals(Certificate.Kind.STRUCTURAL, c.certificate().kind()));
    }

    @Test
    void sigmoidStartedAtZeroMovesTheOutputWeightsTogether() {
        Proof p = ProofEngine.prove(network(cs231n("sigmoid", "init all = 0")), ProofEngine.Options.defaults());
        assertTrue(p.frozen().isEmpty(), p.classes()::toString);
        assertTrue(classes(p).contains(List.of("w9", "w10")), p.classes()::toString);
    }

    @Test
    void randomInitialisationKeepsEveryParameterApart() {
        Proof p = ProofEngine.prove(network(cs231n("tanh", "init all = random")), ProofEngine.Options.defaults());
        assertEquals(10, p.classes().size());
    }

    @Test
    void deadReluNetworkOverNonNegativeInputsIsFrozenButItsBiasMoves() {
        Proof p = ProofEngine.prove(network("""
                input x1, x2
                h1 = relu(w1*x1 + w2*x2)
                h2 = relu(w3*x1 + w4*x2)
                y = w5*h1 + w6*h2 + b
                objective y
                init w* = a
                init b = 0
                assume x1 >= 0, x2 >= 0, a < 0
                """), ProofEngine.Options.defaults());
        assertEquals(List.of("w1", "w2", "w3", "w4", "w5", "w6"), p.frozen());
        assertEquals(1, p.trainableValues());
    }

    @Test
    void weightsInDifferentLayersCanStayEqual() {
        // y = v*tanh(w*x): with v and w both started at a and x fixed to 1 ... they separate in general;
        // but in y = w1*w2*x the two factors play the same role and stay equal forever.
        Proof p = ProofEngine.prove(network("input x; h = w1*x; y = w2*h; objective y; init all = a"),
                ProofEngine.Options.defaults());
        assertEquals(List.of(List.of("w1", "w2")), classes(p));
    }
}
