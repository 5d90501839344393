package dev.netsym.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.SpecResult;
import dev.netsym.model.Unit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpecParserTest {
    private static Network parse(String text) {
        SpecResult r = SpecParser.parse(text.getBytes(StandardCharsets.UTF_8));
        assertFalse(r.hasErrors(), () -> r.diagnostics().toString());
        return r.network().orElseThrow();
    }

    private static Map<String, String> inits(Network n) {
        return n.parameters().stream().collect(Collectors.toMap(Parameter::name, p -> p.init().toString()));
    }

    @Test
    void readsTheCs231nNetwork() {
        Network n = parse("""
                # The 2-2-2-1 linear network
                network cs231n_toy
                input x1, x2
                y1 = w1*x1 + w3*x2
                y2 = w2*x1 + w4*x2
                y3 = w5*y1 + w7*y2
                y4 = w6*y1 + w8*y2
                y  = w9*y3 + w10*y4
                objective y
                init all = a
                """);
        assertEquals("cs231n_toy", n.name());
        assertEquals(List.of("x1", "x2"), n.inputs());
        assertEquals(List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10"),
                n.parameters().stream().map(Parameter::name).toList());
        assertTrue(n.parameters().stream().allMatch(p -> p.init().equals(new Init.Symbolic("a"))));
        assertEquals(List.of("a"), n.initSymbols());
        assertEquals(new Expr.Ref("y"), n.objective());
    }

    @Test
    void unitsMayComeInAnyOrderAndAreSortedByDependency() {
        Network n = parse("objective y; y = v*h; h = tanh(w*x); input x");
        assertEquals(List.of("h", "y"), n.units().stream().map(Unit::name).toList());
    }

    @Test
    void laterInitLinesOverrideEarlierOnesAndUnselectedParametersAreRandom() {
        Network n = parse("""
                input x
                h = w1*x + b1
                y = w2*h + b2
                objective y
                init w* = a
                init w2 = 1/2
                init b1 = -0.25
                """);
        assertEquals(Map.of("w1", "a", "w2", "1/2", "b1", "-1/4", "b2", "random"), inits(n));
    }

    private static Map<String, String> learningRates(Network n) {
        return n.parameters().stream().collect(Collectors.toMap(Parameter::name, p -> p.learningRate().toString()));
    }

    @Test
    void lrLinesSetLearningRateFactorsAndLaterLinesWin() {
        Network n = parse("""
                input x
                h = w1*x + b1
                y = w2*h + b2
                objective y
                lr w* = 1/2
                lr w2, b1 = 0.1
                lr b1 = 3
                """);
        assertEquals(Map.of("w1", "1/2", "w2", "1/10", "b1", "3", "b2", "1"), learningRates(n));
        // The rates change nothing about how parameters start.
        assertEquals(Map.of("w1", "random", "w2", "random", "b1", "random", "b2", "random"), inits(n));
    }

    @Test
    void lrAllSetsEveryParameterAndLaterLinesStillOverrideIt() {
        Network n = parse("input x; y = w1*x + w2*x + b; objective y; lr b = 5; lr all = 2; lr w? = 1/4");
        assertEquals(Map.of("w1", "1/4", "w2", "1/4", "b", "2"), learningRates(n));
        assertEquals(Map.of("w1", "1", "w2", "1", "b", "1"), learningRates(parse("input x; y = w1*x + w2*x + b; objective y")));
    }

    @Test
    void lrSelectsTensorsAndTheirElements() {
        Network n = parse("""
                input x[3]
                param W[2,3], b[2]
                y = W @ x + b
                objective sum(y)
                lr W = 2
                lr W[1,*] = 1/3
                """);
        Map<String, String> rates = learningRates(n);
        assertEquals("1/3", rates.get("W[1,2]"));
        assertEquals("2", rates.get("W[2,3]"));
        assertEquals("1", rates.get("b[1]"));
    }

    @Test
    void lrIsStillUsableAsAName() {
        Network n = parse("input x; lr = w*x; y = lr + v*x; objective y; lr v = 2");
        assertEquals(Map.of("w", "1", "v", "2"), learningRates(n));
        Network p = parse("input x; y = lr*x; objective y; lr lr = 1/2; init lr = 0");
        assertEquals(Map.of("lr", "1/2"), learningRates(p));
        assertEquals(Map.of("lr", "0"), inits(p));
    }

    @Test
    void globQuestionMarkMatchesOneCharacter() {
        Network n = parse("input x; y = b1*x + b10*x + c; objective y; init b? = 0");
        assertEquals(Map.of("b1", "0", "b10", "random", "c", "random"), inits(n));
    }

    @Test
    void denseLayersCreateNamedUnitsAndWeights() {
        Network n = parse("""
                input x[3]
                layer h[2] = tanh(dense(x, bias))
                layer out[1] = dense(h)
                objective sum(out)
                """);
        assertEquals(List.of("x[1]", "x[2]", "x[3]"), n.inputs());
        assertEquals(6 + 2 + 2, n.parameters().size());
        Unit h2 = n.unitsByName().get("h[2]");
        assertEquals("h", h2.layer());
        Expr.Call tanh = (Expr.Call) h2.definition();
        Expr.Sum sum = (Expr.Sum) tanh.args().get(0);
        assertEquals(4, sum.terms().size());
        assertEquals(new Expr.Product(List.of(new Expr.Ref("W_h[2,3]"), new Expr.Ref("x[3]"))), sum.terms().get(2));
        assertEquals(new Expr.Ref("b_h[2]"), sum.terms().get(3));
        assertTrue(n.parameters().stream().anyMatch(p -> p.name().equals("W_out[1,2]")));
    }

    @Test
    void sumOverAnElementwiseExpressionExpandsIt() {
        Network n = parse("""
                input x[2]
                target t[2]
                layer y[2] = dense(x)
                objective sum((y - t)^2)
                """);
        Expr.Sum objective = (Expr.Sum) n.objective();
        assertEquals(2, objective.terms().size());
        assertEquals(new Expr.Power(new Expr.Sum(List.of(new Expr.Ref("y[2]"), new Expr.Neg(new Expr.Ref("t[2]")))),
                Expr.Num.of(2)), objective.terms().get(1));
    }

    @Test
    void residualLayerUsesTheSameSizedVectorElementwise() {
        Network n = parse("input x[2]; layer h[2] = relu(dense(x)); layer r[2] = h + dense(h); objective sum(r)");
        Expr.Sum r1 = (Expr.Sum) n.unitsByName().get("r[1]").definition();
        assertEquals(new Expr.Ref("h[1]"), r1.terms().get(0));
    }

    @Test
    void readsDataAssumptionsOptimizerAndActivations() {
        Network n = parse("""
                input x1, x2
                target t
                activation f
                y = f(w1*x1 + w2*x2)
                objective (y - t)^2
                data x1 = 1, x2 = -2, t = 1/2
                data x1 = 0.5, x2 = 3, t = 0
                assume x1 >= 0, a < 0
                init all = a
                optimizer Adam
                """);
        assertEquals(2, n.data().size());
        assertEquals(Rational.of(-2), n.data().get(0).values().get("x2"));
        assertEquals(List.of("x1 >= 0", "a < 0"), n.assumptions().stream().map(Object::toString).toList());
        assertEquals("adam", n.optimizer());
        assertEquals(java.util.Set.of("f"), n.activations());
    }

    @Test
    void aDataLineGivesAVectorAsAList() {
        Network n = parse("""
                input x[3]
                target t[2]
                layer y[2] = dense(x)
                objective sum((y - t)^2)
                data x = [1, -2, 1/2], t = [0, 1]
                data x[1] = 3, x[2] = 0, x[3] = 0.5, t = [1, 1]
                """);
        assertEquals(2, n.data().size());
        assertEquals(Map.of("x[1]", Rational.of(1), "x[2]", Rational.of(-2), "x[3]", Rational.of(1, 2),
                "t[1]", Rational.of(0), "t[2]", Rational.of(1)), n.data().get(0).values());
        assertEquals(Rational.of(1, 2), n.data().get(1).values().get("x[3]"));
    }

    @Test
    void namesAreCaseSensitiveAndKeywordsCanBeParameterNames() {
        Network n = parse("input x; y = W1*x + w1*x + data*x; objective y");
        assertEquals(List.of("W1", "data", "w1"), n.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void unreachableUnitsAndParametersAreWarningsNotErrors() {
        SpecResult r = SpecParser.parse("input x\nh = v*x\ny = w*x\nobjective y\n".getBytes(StandardCharsets.UTF_8));
        assertFalse(r.hasErrors());
        assertEquals(List.of("2:1: warning: unit 'h' does not affect the objective",
                        "2:5: warning: parameter 'v' does not affect the objective"),
                r.diagnostics().stream().map(d -> d.format("f").substring(2)).toList());
        assertTrue(r.diagnostics().stream().noneMatch(Diagnostic::isError));
    }

    @Test
    void aParameterOfAnUnreachedUnitThatIsAlsoUsedElsewhereIsReached() {
        // u and v appear in the unreached h; u also in a unit the objective uses, v in the
        // objective itself, so only h and z are warned about.
        SpecResult r = SpecParser.parse(("input x\nh = u*x + v*x + z*x\ng = u*x\nk = g\n"
                + "objective k + v\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("2:1: warning: unit 'h' does not affect the objective",
                        "2:17: warning: parameter 'z' does not affect the objective"),
                r.diagnostics().stream().map(d -> d.format("f").substring(2)).toList());
    }

    @Test
    void unitsWrittenInAnyOrderAreWarnedAboutAlike() {
        // In the order written (each unit names only earlier ones) and reversed (the order is
        // searched for): the same units and parameters are unreached.
        List<String> statements = List.of("g = u*x", "h = u*x + v*x + z*x", "k = tanh(g)");
        String tail = "objective k + v\ninput x\n";
        List<String> reversed = new java.util.ArrayList<>(statements);
        java.util.Collections.reverse(reversed);
        for (List<String> order : List.of(statements, reversed)) {
            SpecResult r = SpecParser.parse((String.join("\n", order) + "\n" + tail).getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("warning: unit 'h' does not affect the objective",
                            "warning: parameter 'z' does not affect the objective"),
                    r.diagnostics().stream().map(d -> d.format("f").replaceFirst("^f:\\d+:\\d+: ", "")).toList(),
                    order::toString);
            assertEquals(List.of("g", "h", "k"), r.network().orElseThrow().units().stream().map(Unit::name).sorted().toList());
        }
    }

    @Test
    void unreachedElementsOfTensorStatementsAreFoundThroughTheirSharedValues() {
        // q[1] and q[2] share q.sum; p[2] is reached from the objective, p[1] only through q.
        SpecResult r = SpecParser.parse(("input x[2]\nparam W[2,2], V[2,2]\np = softmax(W @ x)\nq = softmax(V @ p)\n"
                + "r = tanh(W @ x)\nobjective q[1] + p[2]\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("4:1: warning: unit 'q[2]' does not affect the objective",
                        "5:1: warning: unit 'r[1]' does not affect the objective",
                        "5:1: warning: unit 'r[2]' does not affect the objective"),
                r.diagnostics().stream().map(d -> d.format("f").substring(2)).toList());
    }

    @Test
    void aLongChainAndAWideSumParseWithoutOverflow() {
        StringBuilder chain = new StringBuilder("input x\nu0 = w0*x\n");
        for (int i = 1; i <= 2000; i++) chain.append("u").append(i).append(" = tanh(w").append(i).append("*u").append(i - 1).append(")\n");
        chain.append("objective u2000\n");
        assertEquals(2001, parse(chain.toString()).units().size());

        StringBuilder wide = new StringBuilder("input x\ny = ");
        for (int i = 0; i < 100_000; i++) wide.append(i == 0 ? "" : " + ").append("w").append(i).append("*x");
        wide.append("\nobjective y\n");
        assertEquals(100_000, parse(wide.toString()).parameters().size());
    }

    @Test
    void lineContinuationsJoinLines() {
        Network n = parse("input x\ny = w1*x + \\\n    w2*x\nobjective y\n");
        assertEquals(2, n.parameters().size());
    }
}
