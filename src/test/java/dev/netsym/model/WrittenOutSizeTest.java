package dev.netsym.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WrittenOutSizeTest {

    /** level k: the sum of 4 uses of one object, level k − 1, each times a name: 4^k copies written out. */
    private static Expr shared(int levels) {
        Expr e = new Expr.Ref("x");
        for (int k = 0; k < levels; k++) {
            List<Expr> terms = new ArrayList<>();
            for (int i = 0; i < 4; i++) terms.add(new Expr.Product(List.of(new Expr.Ref("w" + i), e)));
            e = new Expr.Call("tanh", List.of(new Expr.Sum(terms)));
        }
        return e;
    }

    @Test
    void aSharedObjectCountsOncePerUse() {
        // one level: tanh, a sum and 4 products are 6 operations; with 4 weights and 4 x's, 14 nodes
        assertEquals(6, WrittenOutSize.operations(100).of(shared(1)));
        assertEquals(6 + 8, WrittenOutSize.nodes(100).of(shared(1)));
        // level k has 2 + 4·(1 + size(k − 1)) operations
        long expected = 0;
        for (int k = 1; k <= 10; k++) expected = 2 + 4 * (1 + expected);
        assertEquals(expected, WrittenOutSize.operations(Long.MAX_VALUE / 2).of(shared(10)));
        assertEquals(0, WrittenOutSize.operations(10).of(new Expr.Ref("x")));
        assertEquals(1, WrittenOutSize.nodes(10).of(new Expr.Ref("x")));
    }

    @Test
    void countingStopsJustPastTheCap() {
        // 4^40 copies written out: the count says "more than the cap" at once instead of overflowing
        assertEquals(1001, WrittenOutSize.operations(1000).of(shared(40)));
        assertEquals(Long.MAX_VALUE / 4 + 1, WrittenOutSize.operations(Long.MAX_VALUE / 4).of(shared(40)));
    }

    @Test
    void aChainDeeperThanAnyStackIsMeasured() {
        Expr e = new Expr.Ref("x");
        for (int i = 0; i < 200_000; i++) e = new Expr.Neg(e);
        assertEquals(200_000, WrittenOutSize.operations(1_000_000).of(e));
    }

    @Test
    void aNetworkFitsWhenItsUnitsAndObjectiveDoTogether() {
        Expr big = shared(10); // 2,097,150 operations written out
        SourcePos at = new SourcePos(1, 1);
        Network one = network(List.of(new Unit("h", big, at, null)), new Expr.Ref("h"));
        assertTrue(WrittenOutSize.fits(one));
        assertEquals(2_097_150, WrittenOutSize.operations(WrittenOutSize.LIMIT).of(big));
        assertEquals(-1, WrittenOutSize.operations(WrittenOutSize.LIMIT).passesCapAt(one));
        assertEquals(0, WrittenOutSize.operations(2_000_000).passesCapAt(one));
        // the same object in two units and the objective is written out three times: 6,291,450
        Network three = network(List.of(new Unit("h", big, at, null), new Unit("g", big, at, null)), big);
        assertFalse(WrittenOutSize.fits(three));
        // the two units fit (4,194,300); the objective takes them over
        assertEquals(2, WrittenOutSize.operations(WrittenOutSize.LIMIT).passesCapAt(three));
        assertEquals(1, WrittenOutSize.operations(4_000_000).passesCapAt(three));
    }

    private static Network network(List<Unit> units, Expr objective) {
        return new Network("n", List.of("x"), List.of(), units, objective, List.of(), Set.of(), List.of(), List.of(),
                List.of(), "sgd");
    }
}
