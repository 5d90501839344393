package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cross-check's evaluator is only evidence if it is right: hand-computed gradients and finite differences. */
class IndependentGradientsTest {
    private static Network network(String spec) {
        var parsed = Netsym.parse(spec);
        assertTrue(parsed.network().isPresent(), spec + parsed.diagnostics());
        return parsed.network().get();
    }

    private static Map<String, Rational> values(Object... nameValue) {
        Map<String, Rational> m = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) m.put((String) nameValue[i], Rational.parse((String) nameValue[i + 1]));
        return m;
    }

    private static <T> Map<String, T> lift(IndependentGradients<T> g, Map<String, Rational> values) {
        Map<String, T> m = new HashMap<>();
        values.forEach((k, v) -> m.put(k, g.numbers().of(v)));
        return m;
    }

    @Test
    void cs231nGradientsMatchTheChainRuleByHand() throws IOException {
        Network n = Netsym.read(Path.of("examples/cs231n.net")).network().orElseThrow();
        assertTrue(IndependentGradients.isRational(n));
        var g = IndependentGradients.exact(n);
        Map<String, Rational> w = new HashMap<>();
        for (int i = 1; i <= 10; i++) w.put("w" + i, Rational.of(i, 7));
        var e = g.evaluate(w, values("x1", "2", "x2", "-3"));
        Rational x1 = Rational.of(2);
        Rational x2 = Rational.of(-3);
        Rational y1 = w.get("w1").multiply(x1).add(w.get("w3").multiply(x2));
        Rational y2 = w.get("w2").multiply(x1).add(w.get("w4").multiply(x2));
        Rational y3 = w.get("w5").multiply(y1).add(w.get("w7").multiply(y2));
        Rational y4 = w.get("w6").multiply(y1).add(w.get("w8").multiply(y2));
        // dy/dw1 = (w9*w5 + w10*w6)*x1, dy/dw9 = y3, dy/dw7 = w9*y2.
        assertEquals(w.get("w9").multiply(w.get("w5")).add(w.get("w10").multiply(w.get("w6"))).multiply(x1),
                e.gradient().get("w1"));
        assertEquals(y3, e.gradient().get("w9"));
        assertEquals(y4, e.gradient().get("w10"));
        assertEquals(w.get("w9").multiply(y2), e.gradient().get("w7"));
        assertEquals(w.get("w9").multiply(y3).add(w.get("w10").multiply(y4)), e.objective());
    }

    @Test
    void theFalseTheoremsGradientsPartExactlyOffTheRoots() {
        Network n = network("""
                input x
                y = w1*x + w2*(x + (10*x-1)*(10*x-2)*(10*x-3)*(10*x-4)*(10*x-5)*(10*x-6)*(10*x-7)*(10*x-8)*(10*x-9))
                objective y
                init all = a
                assume x > 0, x < 1
                """);
        var g = IndependentGradients.exact(n);
        var atRoot = g.evaluate(values("w1", "1/2", "w2", "1/2"), values("x", "3/10"));
        assertEquals(atRoot.gradient().get("w1"), atRoot.gradient().get("w2"));
        var off = g.evaluate(values("w1", "1/2", "w2", "1/2"), values("x", "15/100"));
        // P(0.15) = Π (1.5 − k) for k = 1..9 = 0.5·(−0.5)(−1.5)···(−7.5)
        Rational p = Rational.ONE;
        for (int k = 1; k <= 9; k++) p = p.multiply(Rational.of(3, 2).subtract(Rational.of(k)));
        assertEquals(Rational.of(15, 100), off.gradient().get("w1"));
        assertEquals(Rational.of(15, 100).add(p), off.gradient().get("w2"));
        // One step of gradient descent from a = 1 with x = 0.15 already separates them.
        var run = g.descend(values("w1", "1", "w2", "1"), List.of(values("x", "15/100")), Rational.of(1, 10), 1);
        assertTrue(!run.get(1).get("w1").equals(run.get(1).get("w2")));
    }

    @Test
    void reluAtZeroHasSlopeZeroAndLeakyReluItsSlope() {
        Network n = network("input x\ny = relu(w*x) + leaky_relu(v*x, 1/4)\nobjective y\n");
        var g = IndependentGradients.exact(n);
        var e = g.evaluate(values("w", "0", "v", "0"), values("x", "3"));
        assertEquals(Rational.ZERO, e.gradient().get("w"));
        assertEquals(Rational.of(3, 4), e.gradient().get("v"));
        var negative = g.evaluate(values("w", "-1", "v", "-1"), values("x", "3"));
        assertEquals(Rational.ZERO, negative.gradient().get("w"));
        assertEquals(Rational.of(3, 4), negative.gradient().get("v"));
        assertEquals(Rational.of(-3, 4), negative.objective());
    }

    @Test
    void elementaryFunctionsAgreeWithDoublesAndWithTheirIdentities() {
        var d = new IndependentGradients.DecimalNumbers(new MathContext(IndependentGradients.DIGITS));
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            double x = (r.nextDouble() - 0.5) * 40;
            BigDecimal bx = new BigDecimal(x);
            assertEquals(Math.exp(x), d.exp(bx).doubleValue(), Math.abs(Math.exp(x)) * 1e-13);
            assertEquals(Math.tanh(x), d.tanh(bx).doubleValue(), 1e-13);
            assertEquals(1 / (1 + Math.exp(-x)), d.sigmoid(bx).doubleValue(), 1e-13);
            assertEquals(Math.log1p(Math.exp(x)), d.softplus(bx).doubleValue(), Math.max(1, Math.abs(x)) * 1e-13);
            BigDecimal positive = bx.abs().add(new BigDecimal("1e-3"));
            assertEquals(Math.log(positive.doubleValue()), d.log(positive).doubleValue(), 1e-13);
            // To 60 digits: log(exp(x)) = x, softplus(x) − softplus(−x) = x, tanh x = 2σ(2x) − 1.
            assertTrue(d.same(d.log(d.exp(bx)), bx));
            assertTrue(d.same(d.subtract(d.softplus(bx), d.softplus(bx.negate())), bx));
            assertTrue(d.same(d.tanh(bx), d.subtract(d.multiply(BigDecimal.valueOf(2),
                    d.sigmoid(bx.multiply(BigDecimal.valueOf(2)))), BigDecimal.ONE)));
        }
        assertTrue(d.same(d.log(new BigDecimal("1e-60")), d.multiply(BigDecimal.valueOf(-60), d.log(BigDecimal.TEN))));
        // Far out, from e^(−|x|): e^(2x) at x = 10^10 would be out of range.
        BigDecimal far = new BigDecimal("1e10");
        assertEquals(0, BigDecimal.ONE.compareTo(d.tanh(far)));
        assertEquals(0, BigDecimal.ONE.negate().compareTo(d.tanh(far.negate())));
        assertEquals(0, BigDecimal.ONE.compareTo(d.sigmoid(far)));
        assertEquals(0, BigDecimal.ZERO.compareTo(d.sigmoid(far.negate())));
        assertTrue(d.same(far, d.softplus(far)));
        // The logarithm of numbers far from 1 takes its decimal exponent off first: e^±1000000.
        BigDecimal huge = d.exp(BigDecimal.valueOf(1_000_000));
        assertTrue(d.same(BigDecimal.valueOf(1_000_000), d.log(huge)));
        assertTrue(d.same(BigDecimal.valueOf(-1_000_000), d.log(d.exp(BigDecimal.valueOf(-1_000_000)))));
        // erf against values computed independently at 80 digits.
        assertTrue(d.same(new BigDecimal("0.520499877813046537682746653891964528736451575757963700058805725"),
                d.erf(new BigDecimal("0.5"))));
        assertTrue(d.same(new BigDecimal("-0.999999999999999999999999999999999999999999997911512416237455"),
                d.erf(BigDecimal.valueOf(-10))));
    }

    /**
     * Every construct the generator writes, differentiated by central differences at
     * 70 digits (error about h², h = 10^-20) against forward mode; kinks of relu are kept off
     * the points (1/1000 is no product of the points' coordinates).
     */
    @Test
    void forwardModeAgreesWithFiniteDifferencesOnEveryConstruct() {
        Network n = network("""
                input x1, x2, z[2]
                target t
                activation f, g
                h1 = tanh(w1*x1 + w2*x1^(1/2)) + sigmoid(w3*x2) + softplus(w4*x1*x2)
                h2 = exp(w5*x1/3) + log(1 + (w6*x2)^2) + (w7*x1)/(1 + (w7*x2)^2) + f(w8*x1 + b1)
                h3 = relu(w9*x1 + 1/1000) + leaky_relu(w10*x2 - 1/1000, 1/4) + g(h1) + x1^w11 + log(exp(w12) + exp(-w12))
                y = v1*h1 + v2*h2*h3 + 1/(2 + h3^2) + (v3*x1 + (10*x1-1)*(10*x1-2))
                objective (y - t)^2 + sum(w13*z^2)
                """);
        assertTrue(!IndependentGradients.isRational(n));
        var g = IndependentGradients.decimal(n);
        var k = g.numbers();
        Random r = new Random(11);
        BigDecimal h = new BigDecimal("1e-20");
        for (int point = 0; point < 5; point++) {
            Map<String, Rational> params = new HashMap<>();
            for (String p : g.parameterNames()) params.put(p, Rational.of(r.nextInt(21) - 10, 1 + r.nextInt(9)));
            Map<String, Rational> data = values("x1", (1 + r.nextInt(9)) + "/7", "x2", (r.nextInt(9) - 4) + "/3",
                    "t", "1/2", "z[1]", "2", "z[2]", "-1/3");
            var at = g.evaluate(lift(g, params), lift(g, data));
            for (String p : g.parameterNames()) {
                Map<String, BigDecimal> up = lift(g, params);
                Map<String, BigDecimal> down = lift(g, params);
                up.put(p, up.get(p).add(h));
                down.put(p, down.get(p).subtract(h));
                BigDecimal difference = k.divide(k.subtract(g.evaluate(up, lift(g, data)).objective(),
                        g.evaluate(down, lift(g, data)).objective()), h.multiply(BigDecimal.valueOf(2)));
                BigDecimal exact = at.gradient().get(p);
                BigDecimal scale = exact.abs().max(BigDecimal.ONE);
                assertTrue(difference.subtract(exact).abs().compareTo(scale.multiply(new BigDecimal("1e-30"))) < 0,
                        p + ": finite difference " + difference + " vs " + exact);
            }
        }
    }

    @Test
    void exactAndDecimalAgreeOnARationalNetworkWithRelu() {
        Network n = network("input x1, x2\nh = relu(w1*x1 - w2*x2)\ny = v*h^2 + w1/(1 + w2^2)\nobjective (y - 1)^2\n");
        assertTrue(IndependentGradients.isRational(n));
        var exact = IndependentGradients.exact(n).evaluate(values("w1", "2/3", "w2", "-5/4", "v", "7"),
                values("x1", "3", "x2", "1/2"));
        var decimal = IndependentGradients.decimal(n);
        var approx = decimal.evaluate(lift(decimal, values("w1", "2/3", "w2", "-5/4", "v", "7")),
                lift(decimal, values("x1", "3", "x2", "1/2")));
        for (String p : List.of("w1", "w2", "v")) {
            BigDecimal expected = exact.gradient().get(p).toBigDecimal(new MathContext(IndependentGradients.DIGITS));
            assertTrue(decimal.numbers().same(expected, approx.gradient().get(p)), p);
        }
    }

    @Test
    void aConstructItCannotEvaluateFailsLoudly() {
        Network n = network("input x\ny = w*x\nobjective y\n");
        Network strange = new Network(n.name(), n.inputs(), n.targets(), n.units(),
                new Expr.Call("mystery", List.of(new Expr.Ref("y"))), n.parameters(), n.activations(), n.layers(),
                n.data(), n.assumptions(), n.optimizer());
        var g = IndependentGradients.decimal(strange);
        assertThrows(IllegalStateException.class, () -> g.evaluate(lift(g, values("w", "1")), lift(g, values("x", "1"))));
    }
}
