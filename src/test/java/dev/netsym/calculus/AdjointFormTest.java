package dev.netsym.calculus;

import static dev.netsym.calculus.TestNetworks.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.Netsym;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Unit;
import dev.netsym.render.ExprPrinter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The adjoint form of big networks: its structure, and its values against the tape's reverse pass. */
class AdjointFormTest {
    static final ExprPrinter TEXT = ExprPrinter.unicode();

    static final String NET_12 = """
            input x[12]
            layer h1[12] = tanh(dense(x))
            layer h2[12] = tanh(dense(h1))
            layer h3[12] = tanh(dense(h2))
            layer out[1] = dense(h3)
            objective sum(out)
            init all = a
            """;

    static Network parse(String spec) {
        var result = Netsym.parse(spec);
        assertFalse(result.hasErrors(), result.diagnostics().toString());
        return result.network().orElseThrow();
    }

    /** No CAS in the adjoint form: the engine may be null. */
    static Derivation derive(Network network, DerivationOptions options) {
        return Derivation.of(network, options, null);
    }

    @Test
    void theTwelveWideTanhNetworkGetsTheAdjointForm() {
        Network net = parse(NET_12);
        assertEquals(444, net.parameters().size());
        assertTrue(Derivation.needsAdjointForm(net, DerivationOptions.defaults()));
        Derivation d = derive(net, DerivationOptions.defaults());
        assertTrue(d.adjointForm());
        assertEquals("L", d.objectiveName());
        assertEquals(444, d.gradients().size());

        var h1 = unitOf(d, "h1[1]");
        assertEquals(12, h1.adjoint().size(), "one term per unit of h2 using h1[1]");
        var first = h1.adjoint().get(0).factors();
        assertEquals("h2[1]", first.get(0).wrt());
        assertEquals("W_h2[1,1]·(1 − h2[1]²)", TEXT.print(first.get(1).local()));
        assertTrue(TEXT.print(h1.adjointLocal()).startsWith("∂L/∂h2[1]·W_h2[1,1]·(1 − h2[1]²) + "
                + "∂L/∂h2[2]·W_h2[2,1]·(1 − h2[2]²)"), TEXT.print(h1.adjointLocal()));
        assertEquals("1", TEXT.print(unitOf(d, "out[1]").adjointLocal()));

        var w = gradient(d, "W_h2[3,1]");
        assertEquals(1, w.chain().size());
        assertEquals("∂L/∂h2[3]·(1 − h2[3]²)·h1[1]", TEXT.print(w.local()));
        assertNull(w.result());
        assertNotNull(w.stoppedBecause());

        var first1 = gradient(d, "W_h1[1,1]");
        assertEquals("∂L/∂h1[1]·(1 − h1[1]²)·x[1]", TEXT.print(first1.local()));
        // Units of the first layer are small enough to be shown in inputs and parameters.
        assertNotNull(unitOf(d, "h1[1]").expansion());
        assertNull(unitOf(d, "h3[1]").expansion());
        assertTrue(unitOf(d, "h3[1]").stoppedBecause().contains("bound 400"));
    }

    @Test
    void onlyTheAskedParametersAreDerived() {
        Derivation d = derive(parse(NET_12), DerivationOptions.defaults().withOnly(Set.of("W_h3[2,5]")));
        assertEquals(1, d.gradients().size());
        assertEquals("∂L/∂h3[2]·(1 − h3[2]²)·h2[5]", TEXT.print(d.gradients().get(0).local()));
        assertEquals(37, d.units().size(), "units stay, for context");
    }

    @Test
    void directUseByTheObjectiveGivesResultAndValueAtInit() {
        // y = Σ w_k·x_k with 50 weights: every gradient is x_k, at init too.
        List<Expr> terms = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> params = new ArrayList<>();
        for (int k = 1; k <= 50; k++) {
            inputs.add("x" + k);
            params.add("w" + k);
            terms.add(product(ref("w" + k), ref("x" + k)));
        }
        Network net = network(inputs, List.of(), List.of(unit("y", sum(terms))), ref("y"), params, Set.of());
        Derivation d = derive(net, DerivationOptions.defaults());
        assertTrue(d.adjointForm());
        var g = gradient(d, "w7");
        assertEquals("x7", TEXT.print(g.local()));
        assertEquals("x7", TEXT.print(g.result()));
        assertEquals("x7", TEXT.print(g.atInit()));
        assertNull(g.stoppedBecause());
    }

    @Test
    void everyAdjointFormGradientMatchesTheTapesReversePass() {
        int checked = 0;
        for (long seed = 0; seed < 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Network net = randomDense(random);
            Derivation d = derive(net, DerivationOptions.defaults().withMaxSymbolicParameters(0));
            assertTrue(d.adjointForm());
            Tape tape = Tape.compile(net);
            Double[] theta = new Double[tape.parameterCount()];
            for (int i = 0; i < theta.length; i++) theta[i] = random.nextDouble(-1, 1);
            Double[] data = new Double[tape.dataNames().size()];
            for (int i = 0; i < data.length; i++) data[i] = random.nextDouble(-1, 1);
            Evaluation<Double> e = tape.evaluate(new DoubleArithmetic(seed), theta, data);

            Map<String, Double> env = new HashMap<>();
            for (int i = 0; i < data.length; i++) env.put(tape.dataNames().get(i), data[i]);
            for (int i = 0; i < theta.length; i++) env.put(tape.parameterNames().get(i), theta[i]);
            for (Unit u : net.units()) env.put(u.name(), eval(u.definition(), env));
            // Adjoints from the last unit back, each from the adjoint form's own line.
            List<Derivation.UnitDerivation> units = d.units();
            for (int k = units.size() - 1; k >= 0; k--) {
                var u = units.get(k);
                double adjoint = eval(u.adjointLocal(), env);
                assertClose(e.unitAdjoint(u.name()), adjoint, "seed " + seed + ", ∂L/∂" + u.name());
                env.put("∂" + d.objectiveName() + "/∂" + u.name(), adjoint);
            }
            for (var g : d.gradients()) {
                assertClose(e.gradient(g.parameter()), eval(g.local(), env), "seed " + seed + ", " + g.parameter());
                checked++;
            }
        }
        assertTrue(checked > 1000, "only " + checked);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
    }

    /** Depth 2–4, width 3–8, tanh/relu/sigmoid/identity, biases, squared error on 1–3 outputs. */
    static Network randomDense(SplittableRandom random) {
        List<String> inputs = new ArrayList<>();
        int inputCount = random.nextInt(2, 6);
        for (int i = 1; i <= inputCount; i++) inputs.add("x" + i);
        List<String> params = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        List<String> below = inputs;
        int depth = random.nextInt(2, 5);
        String[] activations = {"tanh", "relu", "sigmoid", "identity"};
        for (int layer = 1; layer <= depth; layer++) {
            int width = layer == depth ? random.nextInt(1, 4) : random.nextInt(3, 9);
            String activation = activations[random.nextInt(activations.length)];
            List<String> current = new ArrayList<>();
            for (int j = 1; j <= width; j++) {
                List<Expr> terms = new ArrayList<>();
                for (int i = 0; i < below.size(); i++) {
                    String w = "W" + layer + "_" + j + "_" + (i + 1);
                    params.add(w);
                    terms.add(product(ref(w), ref(below.get(i))));
                }
                if (random.nextBoolean()) {
                    params.add("b" + layer + "_" + j);
                    terms.add(ref("b" + layer + "_" + j));
                }
                Expr z = sum(terms);
                String name = "h" + layer + "_" + j;
                units.add(unit(name, activation.equals("identity") ? z : call(activation, z)));
                current.add(name);
            }
            below = current;
        }
        List<String> targets = new ArrayList<>();
        List<Expr> losses = new ArrayList<>();
        for (int k = 0; k < below.size(); k++) {
            targets.add("t" + (k + 1));
            losses.add(power(minus(ref(below.get(k)), ref("t" + (k + 1))), num(2)));
        }
        return network(inputs, targets, units, sum(losses), params, Set.of());
    }

    /** A tiny evaluator for the expressions the adjoint form produces. */
    static double eval(Expr e, Map<String, Double> env) {
        if (e instanceof Expr.Num n) return n.value().doubleValue();
        if (e instanceof Expr.Ref r) {
            Double v = env.get(r.name());
            if (v == null) throw new IllegalArgumentException("no value for " + r.name());
            return v;
        }
        if (e instanceof Expr.Neg n) return -eval(n.operand(), env);
        if (e instanceof Expr.Sum s) return s.terms().stream().mapToDouble(t -> eval(t, env)).sum();
        if (e instanceof Expr.Product p) {
            double v = 1;
            for (Expr f : p.factors()) v *= eval(f, env);
            return v;
        }
        if (e instanceof Expr.Quotient q) return eval(q.numerator(), env) / eval(q.denominator(), env);
        if (e instanceof Expr.Power p) return Math.pow(eval(p.base(), env), eval(p.exponent(), env));
        if (e instanceof Expr.DerivativeCall d && d.function().equals("relu") && d.order() == 1) {
            return eval(d.arg(), env) > 0 ? 1 : 0;
        }
        if (e instanceof Expr.Call c) {
            double z = eval(c.args().get(0), env);
            return switch (c.function()) {
                case "tanh" -> Math.tanh(z);
                case "relu" -> Math.max(0, z);
                case "sigmoid" -> 1 / (1 + Math.exp(-z));
                case "exp" -> Math.exp(z);
                case "log" -> Math.log(z);
                case "softplus" -> Math.log1p(Math.exp(z));
                default -> throw new IllegalArgumentException("no evaluator for " + c.function());
            };
        }
        throw new IllegalArgumentException("no evaluator for " + e);
    }

    static Derivation.UnitDerivation unitOf(Derivation d, String name) {
        return d.units().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow();
    }

    static Derivation.GradientDerivation gradient(Derivation d, String parameter) {
        return d.gradients().stream().filter(g -> g.parameter().equals(parameter)).findFirst().orElseThrow();
    }
}
