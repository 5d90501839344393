package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Rational;
import dev.netsym.render.ExprPrinter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cs231n answer's derivation, reproduced symbol for symbol. */
class DerivationTest {

    static SymbolicEngine engine;
    static Derivation cs231n;
    static final ExprPrinter TEXT = ExprPrinter.unicode();

    @BeforeAll
    static void derive() {
        engine = new SymbolicEngine();
        engine.evaluate(Expr.Num.of(0)); // Symja's first-use cost is not the derivation's
        long t0 = System.nanoTime();
        cs231n = Derivation.of(Cs231nNetworks.identityActivation(new Init.Symbolic("a")),
                DerivationOptions.defaults(), engine);
        System.err.printf("cs231n derivation: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() { engine.close(); }

    static Derivation.GradientDerivation gradient(Derivation d, String parameter) {
        return d.gradients().stream().filter(g -> g.parameter().equals(parameter)).findFirst().orElseThrow();
    }

    @Test
    void unitsInInputsAndParameters() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("y1", "w1·x1 + w3·x2");
        expected.put("y2", "w2·x1 + w4·x2");
        expected.put("y3", "w5·(w1·x1 + w3·x2) + w7·(w2·x1 + w4·x2)");
        expected.put("y4", "w6·(w1·x1 + w3·x2) + w8·(w2·x1 + w4·x2)");
        Map<String, String> actual = cs231n.units().stream().filter(u -> !u.name().equals("y"))
                .collect(Collectors.toMap(Derivation.UnitDerivation::name, u -> TEXT.print(u.expansion()),
                        (a, b) -> a, LinkedHashMap::new));
        assertEquals(expected, actual);
    }

    @Test
    void theTenGradientsMatchTheSourceAnswer() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("w1", "(w9·w5 + w10·w6)·x1");
        expected.put("w2", "(w9·w7 + w10·w8)·x1");
        expected.put("w3", "(w9·w5 + w10·w6)·x2");
        expected.put("w4", "(w9·w7 + w10·w8)·x2");
        expected.put("w5", "w9·(w1·x1 + w3·x2)");
        expected.put("w6", "w10·(w1·x1 + w3·x2)");
        expected.put("w7", "w9·(w2·x1 + w4·x2)");
        expected.put("w8", "w10·(w2·x1 + w4·x2)");
        expected.put("w9", "w5·(w1·x1 + w3·x2) + w7·(w2·x1 + w4·x2)");
        expected.put("w10", "w6·(w1·x1 + w3·x2) + w8·(w2·x1 + w4·x2)");
        Map<String, String> actual = new LinkedHashMap<>();
        for (var g : cs231n.gradients()) actual.put(g.parameter(), TEXT.print(g.result()));
        assertEquals(expected, actual);
    }

    @Test
    void valuesAtInitialisationToA() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String w : List.of("w1", "w2")) expected.put(w, "2·a²·x1");
        for (String w : List.of("w3", "w4")) expected.put(w, "2·a²·x2");
        for (String w : List.of("w5", "w6", "w7", "w8")) expected.put(w, "a²·(x1 + x2)");
        for (String w : List.of("w9", "w10")) expected.put(w, "2·a²·(x1 + x2)");
        Map<String, String> actual = new LinkedHashMap<>();
        for (var g : cs231n.gradients()) actual.put(g.parameter(), TEXT.print(g.atInit()));
        assertEquals(expected, actual);
        // The source writes a(ax1 + ax2) + a(ax1 + ax2) for ∂y/∂w9 at a: the same polynomial.
        Expr a = new Expr.Ref("a");
        Expr inner = new Expr.Sum(List.of(new Expr.Product(List.of(a, new Expr.Ref("x1"))),
                new Expr.Product(List.of(a, new Expr.Ref("x2")))));
        Expr source = new Expr.Sum(List.of(new Expr.Product(List.of(a, inner)), new Expr.Product(List.of(a, inner))));
        Expr difference = new Expr.Sum(List.of(gradient(cs231n, "w9").atInit(), new Expr.Neg(source)));
        assertEquals(SymbolicVerdict.ZERO, engine.isZero(difference));
    }

    @Test
    void chainRuleInLeibnizFormWithZeroTerms() {
        var w5 = gradient(cs231n, "w5");
        assertEquals("∂y/∂y3·∂y3/∂w5 [w9·y1] + ∂y/∂y4·∂y4/∂w5 [w10·0]", describe(w5.chain()));
        assertEquals("w9·y1", TEXT.print(w5.local()));
        var w1 = gradient(cs231n, "w1");
        assertEquals("∂y/∂y3·∂y3/∂y1·∂y1/∂w1 [w9·w5·x1] + ∂y/∂y4·∂y4/∂y1·∂y1/∂w1 [w10·w6·x1]", describe(w1.chain()));
        var w9 = gradient(cs231n, "w9");
        assertEquals("∂y/∂w9 [y3]", describe(w9.chain()));
        assertEquals("y3", TEXT.print(w9.local()));
    }

    private static String describe(List<ChainTerm> chain) {
        return chain.stream().map(t -> t.factors().stream().map(f -> "∂" + f.of() + "/∂" + f.wrt())
                        .collect(Collectors.joining("·"))
                        + " [" + t.factors().stream().map(f -> TEXT.print(f.local())).collect(Collectors.joining("·")) + "]")
                .collect(Collectors.joining(" + "));
    }

    @Test
    void zeroInitialisationFreezesEverything() {
        Derivation zero = Derivation.of(Cs231nNetworks.identityActivation(new Init.Numeric(Rational.ZERO)),
                DerivationOptions.defaults(), engine);
        for (var g : zero.gradients()) assertEquals(Expr.Num.of(0), g.atInit(), g.parameter());
    }

    @Test
    void randomInitialisationKeepsNamesAndPointIsApplied() {
        Derivation random = Derivation.of(Cs231nNetworks.identityActivation(new Init.Random()),
                DerivationOptions.defaults().withPoint(Map.of("x1", Expr.Num.of(1), "x2", Expr.Num.of(0))), engine);
        var w1 = gradient(random, "w1");
        assertEquals("(w9·w5 + w10·w6)·x1", TEXT.print(w1.atInit()));
        assertEquals("w9·w5 + w10·w6", TEXT.print(w1.atPoint()));
    }

    @Test
    void sizeBoundStopsExpansionAndSaysWhy() {
        Derivation small = Derivation.of(Cs231nNetworks.identityActivation(new Init.Symbolic("a")),
                DerivationOptions.defaults().withMaxExpansionSize(10), engine);
        var y3 = small.units().get(2);
        assertNull(y3.expansion());
        assertTrue(y3.stoppedBecause().contains("bound 10"), y3.stoppedBecause());
        var w9 = gradient(small, "w9");
        assertNull(w9.result());
        assertEquals("y3", TEXT.print(w9.local()));
        assertNotNull(w9.stoppedBecause());
    }
}
