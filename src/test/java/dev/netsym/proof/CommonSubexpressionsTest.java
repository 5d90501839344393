package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Expr;
import dev.netsym.render.ExprPrinter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommonSubexpressionsTest {
    private static final ExprPrinter TEXT = ExprPrinter.unicode();

    /** An expression as the spec language reads it. */
    static Expr expr(String text) {
        return ProofEngineTest.network("objective " + text + "\n").objective();
    }

    static ShownExpressions proofDisplay(List<Expr> group, Map<String, Expr> units) {
        int[] next = {0};
        return CommonSubexpressions.of(group, units, true, () -> "u" + ++next[0], CommonSubexpressions.PROOF);
    }

    static String shown(ShownExpressions s, Expr e) {
        return TEXT.print(s.of(e).expr());
    }

    /** mixed-init.net on its subspace: h1, h2 and y, and ∂L/∂b1 − ∂L/∂w1 written out in classes. */
    static Map<String, Expr> mixedInitUnits() {
        Map<String, Expr> units = new LinkedHashMap<>();
        units.put("h1", expr("tanh(c1 + c5*x1 + c6*x2)"));
        units.put("h2", expr("tanh(c2 + c7*x1 + c8*x2)"));
        units.put("y", expr("c3*tanh(c1 + c5*x1 + c6*x2) + c4*tanh(c2 + c7*x1 + c8*x2)"));
        return units;
    }

    @Test
    void anExpressionOfALineIsShownAsComputed() {
        Expr e = expr("2*c3*c4*(c1*x1 + c2*x2)");
        ShownExpressions s = proofDisplay(List.of(e), Map.of("y1", expr("c1*x1 + c2*x2")));
        assertEquals(e, s.of(e).expr());
        assertEquals(List.of(), s.definitions());
        assertFalse(s.of(e).omitted());
    }

    @Test
    void aLongExpressionKeepsTheUnitsByName() {
        Expr e = expr("-2*c3*(1 - x1)*(tanh(c1 + c5*x1 + c6*x2) - 1)*(1 + tanh(c1 + c5*x1 + c6*x2))"
                + "*(c3*tanh(c1 + c5*x1 + c6*x2) + c4*tanh(c2 + c7*x1 + c8*x2) - t)");
        ShownExpressions s = proofDisplay(List.of(e), mixedInitUnits());
        // y's terms inside a longer sum become "y − t"; h1 wherever its value stands.
        assertEquals("−2·c3·(1 − x1)·(h1 − 1)·(1 + h1)·(y − t)", shown(s, e));
        assertEquals(List.of("h1", "y"), s.definitions().stream().map(ShownExpressions.Definition::name).toList());
        assertTrue(s.definitions().stream().allMatch(ShownExpressions.Definition::unit));
    }

    @Test
    void aNegatedUnitKeepsItsNameWithTheSign() {
        Map<String, Expr> units = Map.of("z1", expr("c1*x1 + c2*x2 + c3*x3"));
        // −c1·x1 − c2·x2 − c3·x3 is −z1 however the signs are written.
        Expr e = expr("exp(-c1*x1 - c2*x2 - c3*x3)*exp(2*(c1*x1 + c2*x2 + c3*x3))*x1*t1"
                + " + exp(c1*x1 + c2*x2 + c3*x3)*x2*t2 + exp(c1*x1 + c2*x2 + c3*x3)*x3*t3");
        ShownExpressions s = proofDisplay(List.of(e), units);
        assertEquals("exp(−z1)·exp(2·z1)·x1·t1 + exp(z1)·x2·t2 + exp(z1)·x3·t3", shown(s, e));
    }

    /** The softmax of bench/softmax3.net written without units: only repeats can be named. */
    static List<Expr> flatSoftmaxGradients() {
        String e1 = "exp(w11*x1 + w12*x2 + w13*x3)";
        String e2 = "exp(w21*x1 + w22*x2 + w23*x3)";
        String e3 = "exp(w31*x1 + w32*x2 + w33*x3)";
        String s = "(" + e1 + " + " + e2 + " + " + e3 + ")";
        List<Expr> gradients = new ArrayList<>();
        for (String x : List.of("x1", "x2", "x3")) {
            gradients.add(expr(e1 + "*" + x + "*t2/" + s + " + " + e1 + "*" + x + "*t3/" + s + " + " + e1 + "*" + x
                    + "*t1/" + s + " - " + e1 + "^2*" + x + "*t1/" + s + "^2 - " + x + "*t1"));
        }
        return gradients;
    }

    @Test
    void repeatedPartsAreNamedOnceAndEachDefinitionUsesOnlyEarlierNames() {
        List<Expr> group = flatSoftmaxGradients();
        ShownExpressions s = proofDisplay(group, Map.of());
        List<String> names = s.definitions().stream().map(ShownExpressions.Definition::name).toList();
        // The other two exponentials occur only inside the sum: they repeat only along with it.
        assertEquals(List.of("u1", "u2"), names);
        assertEquals("exp(w11·x1 + w12·x2 + w13·x3)", TEXT.print(s.definitions().get(0).value().expr()));
        assertEquals("u1 + exp(w21·x1 + w22·x2 + w23·x3) + exp(w31·x1 + w32·x2 + w33·x3)",
                TEXT.print(s.definitions().get(1).value().expr()));
        assertEquals("u1·x1·t2/u2 + u1·x1·t3/u2 + u1·x1·t1/u2 − u1²·x1·t1/u2² − x1·t1", shown(s, group.get(0)));
        for (int i = 0; i < names.size(); i++) {
            Set<String> inside = new java.util.HashSet<>();
            namesIn(s.definitions().get(i).value().expr(), inside);
            inside.retainAll(names);
            assertTrue(names.subList(0, i).containsAll(inside), () -> "a definition uses a later name: " + names);
        }
    }

    @Test
    void writingTheDefinitionsBackGivesTheExpressionsAsComputed() {
        List<Expr> group = flatSoftmaxGradients();
        ShownExpressions s = proofDisplay(group, Map.of());
        Map<String, Expr> back = new HashMap<>();
        for (ShownExpressions.Definition d : s.definitions()) back.put(d.name(), d.value().expr().replaceNames(back));
        for (Expr e : group) assertEquals(e, s.of(e).expr().replaceNames(back));
    }

    @Test
    void aRendererIsToldEachDefinitionOnceBeforeItsFirstUse() {
        List<Expr> group = flatSoftmaxGradients();
        ShownExpressions s = proofDisplay(group, Map.of());
        Set<String> known = new java.util.HashSet<>();
        assertEquals(List.of("u1", "u2"), s.needs(List.of(s.of(group.get(0))), known).stream()
                .map(ShownExpressions.Definition::name).toList());
        assertEquals(List.of(), s.needs(List.of(s.of(group.get(1))), known));
    }

    @Test
    void anExpressionStillLongerThanTheBoundIsLeftOutWithItsSize() {
        StringBuilder text = new StringBuilder("w1*x1");
        for (int i = 2; i <= 60; i++) text.append(" + w").append(i).append("*x").append(i);
        Expr e = expr(text.toString());
        ShownExpressions.Shown s = proofDisplay(List.of(e), Map.of()).of(e);
        assertTrue(s.omitted());
        assertEquals(CommonSubexpressions.size(e), s.fullSize());
        assertEquals("expression not shown: 239 symbols; --full shows it", s.omission());
        assertFalse(ShownExpressions.FULL.of(e).omitted());
    }

    @Test
    void aDerivationKeepsOnlyUnitsThatSwellByNameAndWritesSmallOnesOut() {
        Map<String, Expr> units = new LinkedHashMap<>();
        units.put("h1", expr("tanh(b1 + w11*x1 + w12*x2)"));
        units.put("y1", expr("c1 + v11*tanh(b1 + w11*x1 + w12*x2) + v12*tanh(b2 + w21*x1 + w22*x2)"
                + " + v13*tanh(b3 + w31*x1 + w32*x2)"));
        units.put("y2", expr("c2 + v21*tanh(b1 + w11*x1 + w12*x2) + v22*tanh(b2 + w21*x1 + w22*x2)"
                + " + v23*tanh(b3 + w31*x1 + w32*x2)"));
        Expr result = expr("2*v11*(1 - tanh(b1 + w11*x1 + w12*x2)^2)*((c1 + v11*tanh(b1 + w11*x1 + w12*x2)"
                + " + v12*tanh(b2 + w21*x1 + w22*x2) + v13*tanh(b3 + w31*x1 + w32*x2)) - t1)"
                + " + 2*v21*(1 - tanh(b1 + w11*x1 + w12*x2)^2)*((c2 + v21*tanh(b1 + w11*x1 + w12*x2)"
                + " + v22*tanh(b2 + w21*x1 + w22*x2) + v23*tanh(b3 + w31*x1 + w32*x2)) - t2)");
        int[] next = {0};
        ShownExpressions s = CommonSubexpressions.of(List.of(result), units, false, () -> "u" + ++next[0],
                CommonSubexpressions.DERIVATION);
        assertEquals("2·v11·(1 − tanh(b1 + w11·x1 + w12·x2)²)·(y1 − t1) + 2·v21·(1 − tanh(b1 + w11·x1 + w12·x2)²)·(y2 − t2)",
                shown(s, result));
    }

    private static void namesIn(Expr e, Set<String> into) {
        if (e instanceof Expr.Ref r) into.add(r.name());
        for (Expr c : e.children()) namesIn(c, into);
    }
}
