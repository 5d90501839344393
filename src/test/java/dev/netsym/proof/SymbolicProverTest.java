package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.render.ExprPrinter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SymbolicProverTest {
    static SymbolicEngine engine;

    @BeforeAll
    static void start() { engine = new SymbolicEngine(Duration.ofSeconds(10)); }

    @AfterAll
    static void stop() { engine.close(); }

    /** y1 and y2 compute the same value, written differently: only algebra sees v1 and v2 stay equal. */
    static String algebraOnly(String activation) {
        return """
                input x1, x2
                y1 = ACT(w1*(x1 + x2))
                y2 = ACT(w2*x1 + w2*x2)
                y = v1*y1 + v2*y2
                objective y
                init all = a
                """.replace("ACT", activation);
    }

    static Proof proveWithSymbolic(Network n) {
        return ProofEngine.prove(n, SymbolicProver.withProver(ProofEngine.Options.defaults(),
                new SymbolicProver(n, engine, Duration.ofSeconds(30))));
    }

    static ParameterClass classOf(Proof p, String member) {
        return p.classes().stream().filter(c -> c.members().contains(member)).findFirst().orElseThrow();
    }

    static String print(Expr e) { return ExprPrinter.unicode().print(e); }

    @Test
    void tanhUnitsEqualOnlyByAlgebraAreCertifiedSymbolically() {
        Network n = ProofEngineTest.network(algebraOnly("tanh"));
        Proof p = proveWithSymbolic(n);
        assertEquals(List.of(List.of("v1", "v2"), List.of("w1", "w2")), ProofEngineTest.classes(p));
        assertTrue(p.undecided().isEmpty(), p.undecided()::toString);
        Certificate v = classOf(p, "v1").certificate();
        assertEquals(Certificate.Kind.SYMBOLIC, v.kind());
        assertEquals("tanh(c2·(x1 + x2))", print(v.commonGradient().orElseThrow()));
        assertTrue(v.detail().startsWith("∂y/∂v1 − ∂y/∂v2 reduces to 0 on the subspace"), v.detail());
        Certificate w = classOf(p, "w1").certificate();
        assertEquals(Certificate.Kind.SYMBOLIC, w.kind());
        assertEquals("c1·(x1 + x2)·(1 − tanh(c2·(x1 + x2))²)", print(w.commonGradient().orElseThrow()));
    }

    @Test
    void withoutTheSymbolicProverTheTanhPairsAreCertifiedWithTanhArgumentsAsUnknowns() {
        // w1·(x1 + x2) and w2·x1 + w2·x2 are one rational function on the subspace, so both
        // tanh calls are one unknown there: the identity test proves what the prover above did.
        Proof p = ProofEngine.prove(ProofEngineTest.network(algebraOnly("tanh")), ProofEngine.Options.defaults());
        assertEquals(List.of(List.of("v1", "v2"), List.of("w1", "w2")), ProofEngineTest.classes(p));
        assertTrue(p.undecided().isEmpty(), p.undecided()::toString);
        assertEquals(Certificate.Kind.RANDOMIZED, classOf(p, "v1").certificate().kind());
        assertEquals(Certificate.Kind.RANDOMIZED, classOf(p, "w1").certificate().kind());
    }

    @Test
    void polynomialVersionIsCertifiedSymbolicallyBeforeTheRandomizedTest() {
        Network n = ProofEngineTest.network(algebraOnly(""));
        Proof p = proveWithSymbolic(n);
        // y = 2·v·w·(x1 + x2) on the subspace: v and w play the same role, one class.
        assertEquals(List.of(List.of("v1", "v2", "w1", "w2")), ProofEngineTest.classes(p));
        assertEquals(Certificate.Kind.SYMBOLIC, p.classes().get(0).certificate().kind());
        assertEquals(Certificate.Kind.RANDOMIZED, ProofEngine.prove(n, ProofEngine.Options.defaults())
                .classes().get(0).certificate().kind());
    }

    @Test
    void pinnedParameterWhoseGradientCancelsIsProvedFrozen() {
        Network n = ProofEngineTest.network("""
                input x
                h = tanh(w*x)
                y = v*(h - tanh(w*x))
                objective y
                init v = 1
                init w = 2
                """);
        Proof p = proveWithSymbolic(n);
        assertEquals(List.of("v", "w"), p.frozen());
        assertEquals(0, p.trainableValues());
        p.classes().forEach(c -> assertEquals(Certificate.Kind.SYMBOLIC, c.certificate().kind(), c::toString));
        assertEquals(Optional.of(Expr.Num.of(0)), p.classes().get(0).certificate().commonGradient());
    }

    @Test
    void proverAnswersOnStatesOfTheSearchAndCachesPerState() {
        Network n = ProofEngineTest.network(ProofEngineTest.cs231n("", "init all = a"));
        SymbolicProver prover = new SymbolicProver(n, engine, Duration.ofSeconds(30));
        // Tape order is natural order here: w1..w10. Classes {w1,w2} {w3,w4} {w5..w8} {w9,w10}, none pinned.
        int[] classOf = {0, 0, 1, 1, 2, 2, 2, 2, 3, 3};
        boolean[] pinned = new boolean[10];
        Certificate c = prover.proveEqual(classOf, pinned, pinned, 0, 1).certificate().orElseThrow();
        assertEquals(Certificate.Kind.SYMBOLIC, c.kind());
        assertEquals("2·c3·c4·x1", print(c.commonGradient().orElseThrow()));
        assertTrue(prover.proveEqual(classOf, pinned, pinned, 0, 2).refuted(), "w1 and w3 separate: x1 ≠ x2");
        assertTrue(prover.proveZero(classOf, pinned, pinned, 8).refuted());
        // Everything pinned at a = 0 ... here a stays a symbol, so nothing is zero.
        boolean[] allPinned = new boolean[10];
        java.util.Arrays.fill(allPinned, true);
        assertTrue(prover.proveZero(new int[10], allPinned, new boolean[10], 0).refuted());
        assertEquals("2·a²·x1", print(prover.proveEqual(new int[10], allPinned, new boolean[10], 0, 1).certificate().orElseThrow()
                .commonGradient().orElseThrow()));
    }

    @Test
    void bigNetworksAreDeclinedAtOnce() {
        StringBuilder spec = new StringBuilder("input x\nh0 = x\n");
        for (int k = 1; k <= 12; k++) spec.append("h").append(k).append(" = tanh(w").append(k).append("*h").append(k - 1)
                .append(") + v").append(k).append("*h").append(k - 1).append("\n");
        spec.append("objective h12\ninit all = a\n");
        Network n = ProofEngineTest.network(spec.toString());
        // A closed engine refuses every call, so declining without algebra is the only way to answer.
        SymbolicEngine closed = new SymbolicEngine(Duration.ofSeconds(10));
        closed.close();
        SymbolicProver prover = new SymbolicProver(n, closed, Duration.ofSeconds(30));
        assertTrue(prover.unavailableBecause().orElseThrow().startsWith("the objective in inputs and parameters would have size"),
                prover.unavailableBecause()::toString);
        // Too big is no verdict at all: neither refuted nor cut short by a time limit.
        assertEquals(ProverVerdict.UNKNOWN, prover.proveEqual(new int[24], new boolean[24], new boolean[24], 0, 1));
    }

    @Test
    void anExhaustedBudgetGivesNoCertificate() {
        Network n = ProofEngineTest.network(ProofEngineTest.cs231n("", "init all = a"));
        SymbolicProver prover = new SymbolicProver(n, engine, Duration.ZERO);
        assertEquals(ProverVerdict.CUT_SHORT, prover.proveEqual(new int[10], new boolean[10], new boolean[10], 0, 1));
    }
}
