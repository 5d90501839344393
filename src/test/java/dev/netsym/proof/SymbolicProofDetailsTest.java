package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.render.ExprPrinter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SymbolicProofDetailsTest {
    static SymbolicEngine engine;
    static Network cs231n;
    static Proof cs231nProof;
    static ProofDetails cs231nDetails;

    @BeforeAll
    static void start() {
        engine = new SymbolicEngine(Duration.ofSeconds(10));
        cs231n = ProofEngineTest.network(ProofEngineTest.cs231n("", "init all = a"));
        cs231nProof = ProofEngine.prove(cs231n, ProofEngine.Options.defaults());
        cs231nDetails = SymbolicProofDetails.of(cs231nProof, engine, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() { engine.close(); }

    static String print(Expr e) { return ExprPrinter.unicode().print(e); }

    static Map<String, String> printed(Map<String, Expr> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, print(v)));
        return out;
    }

    static Separation separation(ProofDetails d, String first, String second) {
        return d.separations().stream().filter(s -> s.first().equals(first) && java.util.Objects.equals(s.second(), second))
                .findFirst().orElseThrow(() -> new AssertionError(first + " vs " + second + " in " + d.separations()));
    }

    @Test
    void cs231nUnitsOnTheFinalSubspace() {
        assertEquals(Map.of(
                "y1", "c1·x1 + c2·x2",
                "y2", "c1·x1 + c2·x2",
                "y3", "2·c3·(c1·x1 + c2·x2)",
                "y4", "2·c3·(c1·x1 + c2·x2)",
                "y", "4·c3·c4·(c1·x1 + c2·x2)"), printed(cs231nDetails.units()));
        assertEquals(List.of("y1", "y2", "y3", "y4", "y"), List.copyOf(cs231nDetails.units().keySet()));
        assertTrue(cs231nDetails.skipped().isEmpty(), cs231nDetails.skipped()::toString);
    }

    @Test
    void cs231nHasFourCommonGradients() {
        Map<String, String> g = printed(cs231nDetails.gradients());
        assertEquals(List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10"), List.copyOf(g.keySet()));
        for (String w : List.of("w1", "w2")) assertEquals("2·c3·c4·x1", g.get(w));
        for (String w : List.of("w3", "w4")) assertEquals("2·c3·c4·x2", g.get(w));
        for (String w : List.of("w5", "w6", "w7", "w8")) assertEquals("c4·(c1·x1 + c2·x2)", g.get(w));
        for (String w : List.of("w9", "w10")) assertEquals("2·c3·(c1·x1 + c2·x2)", g.get(w));
        assertEquals(4, Set.copyOf(g.values()).size());
    }

    @Test
    void cs231nSeparationsCarryTheirFactoredDifference() {
        String w1w3 = print(separation(cs231nDetails, "w1", "w3").difference().orElseThrow());
        assertTrue(Set.of("2·c3·c4·(x1 − x2)", "−2·c3·c4·(x2 − x1)").contains(w1w3), w1w3);
        // A move: the gradient itself, here of w1, which stands for all ten leaving a in round 1.
        assertEquals("2·c3·c4·x1", print(separation(cs231nDetails, "w1", null).difference().orElseThrow()));
        assertTrue(cs231nDetails.separations().stream().allMatch(s -> s.difference().isPresent()));
        assertEquals(cs231nProof.separations().size(), cs231nDetails.separations().size());
        // The witnesses are kept.
        assertEquals(cs231nProof.separations().stream().map(Separation::witness).toList(),
                cs231nDetails.separations().stream().map(Separation::witness).toList());
    }

    @Test
    void cs231nCollapsesToOneProductOfClasses() {
        assertEquals("4·c3·c4·(c1·x1 + c2·x2)", print(cs231nDetails.objective().orElseThrow()));
    }

    @Test
    void cs231nSpecialValueZeroIsFoundBySolvingAndConfirmedByProof() {
        List<SpecialValue> values = SymbolicProofDetails.specialValues(cs231n, cs231nProof, engine,
                ProofEngine.Options.defaults());
        assertEquals(List.of(new SpecialValue("a", "0", 0, 10, "every gradient is 0: nothing ever moves")), values);
    }

    @Test
    void specialValuesReproveWithTheSymbolicProverToo() {
        Network n = ProofEngineTest.network(SymbolicProverTest.algebraOnly("tanh"));
        ProofEngine.Options options = SymbolicProver.withProver(ProofEngine.Options.defaults(),
                new SymbolicProver(n, engine, Duration.ofSeconds(30)));
        Proof p = ProofEngine.prove(n, options);
        assertEquals(2, p.trainableValues());
        assertEquals(List.of(new SpecialValue("a", "0", 0, 4, "every gradient is 0: nothing ever moves")),
                SymbolicProofDetails.specialValues(n, p, engine, options));
    }

    @Test
    void assumptionsRuleOutRootsAndGenericValuesAreNotSpecial() {
        Network positive = ProofEngineTest.network(ProofEngineTest.cs231n("", "init all = a\nassume a > 0"));
        Proof p = ProofEngine.prove(positive, ProofEngine.Options.defaults());
        assertEquals(List.of(), SymbolicProofDetails.specialValues(positive, p, engine, ProofEngine.Options.defaults()));
        Network numeric = ProofEngineTest.network(ProofEngineTest.cs231n("", "init all = 1"));
        Proof q = ProofEngine.prove(numeric, ProofEngine.Options.defaults());
        assertEquals(List.of(), SymbolicProofDetails.specialValues(numeric, q, engine, ProofEngine.Options.defaults()));
    }

    @Test
    void tanhVariantKeepsUnitsEqualInsideTheActivation() {
        Network n = ProofEngineTest.network(ProofEngineTest.cs231n("tanh", "init all = a"));
        Proof p = ProofEngine.prove(n, ProofEngine.Options.defaults());
        ProofDetails d = SymbolicProofDetails.of(p, engine, Duration.ofSeconds(60));
        Map<String, String> units = printed(d.units());
        assertEquals("tanh(c1·x1 + c2·x2)", units.get("y1"));
        assertEquals(units.get("y1"), units.get("y2"));
        assertEquals(units.get("y3"), units.get("y4"));
        assertEquals("tanh(2·c3·tanh(c1·x1 + c2·x2))", units.get("y3"));
        Map<String, String> g = printed(d.gradients());
        assertEquals(g.get("w1"), g.get("w2"));
        assertEquals(g.get("w5"), g.get("w8"));
        assertNotEquals(g.get("w1"), g.get("w3"));
        String w1w3 = print(separation(d, "w1", "w3").difference().orElseThrow());
        assertTrue(w1w3.contains("(x1 − x2)") || w1w3.contains("(x2 − x1)"), w1w3);
        List<SpecialValue> special = SymbolicProofDetails.specialValues(n, p, engine, ProofEngine.Options.defaults());
        assertEquals(1, special.size(), special::toString);
        assertEquals("0", special.get(0).value());
        assertEquals(0, special.get(0).trainableValues());
    }

    @Test
    void bigNetworksAreSkippedWithTheReason() {
        StringBuilder spec = new StringBuilder("input x\nh0 = x\n");
        for (int k = 1; k <= 12; k++) spec.append("h").append(k).append(" = tanh(w").append(k).append("*h").append(k - 1)
                .append(") + v").append(k).append("*h").append(k - 1).append("\n");
        spec.append("objective h12\ninit all = a\n");
        Network n = ProofEngineTest.network(spec.toString());
        Proof p = ProofEngine.prove(n, ProofEngine.Options.defaults());
        ProofDetails d = SymbolicProofDetails.of(p, engine, Duration.ofSeconds(60));
        assertTrue(d.units().isEmpty() && d.gradients().isEmpty() && d.objective().isEmpty());
        assertTrue(d.skipped().orElseThrow().startsWith("not written out symbolically: the objective in inputs and "
                + "parameters would have size"), d.skipped()::toString);
        assertEquals(p.separations(), d.separations());
    }

    @Test
    void anExhaustedBudgetSaysWhatWasNotReached() {
        ProofDetails d = SymbolicProofDetails.of(cs231nProof, engine, Duration.ZERO);
        assertTrue(d.gradients().isEmpty());
        assertTrue(d.skipped().orElseThrow().startsWith("the budget of 0 ms ran out before unit y1, unit y2"),
                d.skipped()::toString);
    }
}
