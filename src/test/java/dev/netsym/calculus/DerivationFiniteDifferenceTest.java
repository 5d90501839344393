package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Unit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The symbolic derivation checked against independent numbers: on random networks, every
 * gradient (its chain form, its local form and its result) equals a central finite
 * difference of the objective at a random point.
 */
class DerivationFiniteDifferenceTest {
    private static final String[] ACTIVATIONS = {"", "tanh", "sigmoid", "softplus", "relu", "exp", "SQUARE", "f"};

    static String randomSpec(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int inputs = 1 + r.nextInt(2);
        int depth = 1 + r.nextInt(3);
        StringBuilder spec = new StringBuilder("activation f\ninput ");
        List<String> previous = new java.util.ArrayList<>();
        for (int i = 1; i <= inputs; i++) {
            previous.add("x" + i);
            spec.append(i > 1 ? ", " : "").append("x").append(i);
        }
        spec.append("\ntarget t\n");
        int weight = 0;
        for (int layer = 1; layer <= depth; layer++) {
            int width = 1 + r.nextInt(2);
            List<String> current = new java.util.ArrayList<>();
            for (int u = 1; u <= width; u++) {
                StringBuilder sum = new StringBuilder();
                for (String in : previous) {
                    // Sometimes reuse weight 1: a shared parameter.
                    String w = weight > 0 && r.nextInt(5) == 0 ? "w1" : "w" + (++weight);
                    sum.append(sum.length() > 0 ? " + " : "").append(w).append("*").append(in);
                }
                if (r.nextBoolean()) sum.append(" + b").append(layer).append(u);
                String act = ACTIVATIONS[r.nextInt(ACTIVATIONS.length)];
                String z = "(" + sum + ")";
                String unit = "h" + layer + u;
                spec.append(unit).append(" = ").append(act.equals("SQUARE") ? z + "^2" : act + z).append('\n');
                current.add(unit);
            }
            previous = current;
        }
        String out = previous.size() == 1 ? previous.get(0) : previous.get(0) + "*" + previous.get(1);
        spec.append(switch (r.nextInt(3)) {
            case 0 -> "objective " + out + "\n";
            case 1 -> "objective (" + out + " - t)^2\n";
            default -> "objective log(1 + (" + out + ")^2)\n";
        });
        return spec.append("init all = random\n").toString();
    }

    @Test
    void everyGradientMatchesACentralFiniteDifference() {
        int checked = 0;
        try (SymbolicEngine engine = new SymbolicEngine()) {
            for (long seed = 1; seed <= 10; seed++) {
                String spec = randomSpec(seed);
                Network network = Netsym.parse(spec).network().orElseThrow(() -> new AssertionError(spec));
                Derivation d = Derivation.of(network, DerivationOptions.defaults(), engine);
                Tape tape = Tape.compile(network);
                DoubleArithmetic a = new DoubleArithmetic(seed);
                SplittableRandom r = new SplittableRandom(seed);
                Map<String, Double> point = new HashMap<>();
                for (String p : tape.parameterNames()) point.put(p, r.nextDouble(-1, 1));
                for (String x : tape.dataNames()) point.put(x, r.nextDouble(-1, 1));
                Map<String, Double> withUnits = new HashMap<>(point);
                for (Unit u : network.units()) withUnits.put(u.name(), eval(u.definition(), withUnits, a));
                for (Derivation.GradientDerivation g : d.gradients()) {
                    double expected = centralDifference(tape, a, point, g.parameter());
                    String where = g.parameter() + " in\n" + spec;
                    if (g.result() != null) close(expected, eval(g.result(), point, a), "result of " + where);
                    if (g.local() != null) close(expected, eval(g.local(), withUnits, a), "local form of " + where);
                    double chain = 0;
                    for (ChainTerm t : g.chain()) chain += eval(t.value(), withUnits, a);
                    if (!g.chain().isEmpty()) close(expected, chain, "chain form of " + where);
                    checked++;
                }
            }
        }
        assertTrue(checked > 30, "too few gradients checked: " + checked);
    }

    private static void close(double expected, double actual, String what) {
        double scale = Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= 1e-5 * scale, what + ": finite difference " + expected
                + " but the derivation gives " + actual);
    }

    private static double centralDifference(Tape tape, DoubleArithmetic a, Map<String, Double> point, String p) {
        double h = 1e-6;
        return (objective(tape, a, point, p, h) - objective(tape, a, point, p, -h)) / (2 * h);
    }

    private static double objective(Tape tape, DoubleArithmetic a, Map<String, Double> point, String p, double shift) {
        Double[] params = new Double[tape.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            String name = tape.parameterNames().get(i);
            params[i] = point.get(name) + (name.equals(p) ? shift : 0);
        }
        Double[] data = new Double[tape.dataNames().size()];
        for (int i = 0; i < data.length; i++) data[i] = point.get(tape.dataNames().get(i));
        return tape.evaluate(a, params, data).objective();
    }

    /** A direct evaluator of model expressions, independent of the tape and of Symja. */
    static double eval(Expr e, Map<String, Double> env, DoubleArithmetic a) {
        if (e instanceof Expr.Num n) return n.value().doubleValue();
        if (e instanceof Expr.Ref r) {
            Double v = env.get(r.name());
            if (v == null) throw new AssertionError("no value for " + r.name());
            return v;
        }
        if (e instanceof Expr.Neg n) return -eval(n.operand(), env, a);
        if (e instanceof Expr.Sum s) return s.terms().stream().mapToDouble(t -> eval(t, env, a)).sum();
        if (e instanceof Expr.Product p) {
            double v = 1;
            for (Expr f : p.factors()) v *= eval(f, env, a);
            return v;
        }
        if (e instanceof Expr.Quotient q) return eval(q.numerator(), env, a) / eval(q.denominator(), env, a);
        if (e instanceof Expr.Power p) return Math.pow(eval(p.base(), env, a), eval(p.exponent(), env, a));
        if (e instanceof Expr.Call c) {
            Double[] args = c.args().stream().map(x -> eval(x, env, a)).toArray(Double[]::new);
            return Builtin.byName(c.function()).map(b -> a.apply(b, args))
                    .orElseGet(() -> a.genericDerivative(c.function(), 0, args[0]));
        }
        if (e instanceof Expr.DerivativeCall dc) {
            double z = eval(dc.arg(), env, a);
            return Builtin.byName(dc.function()).map(b -> a.derivative(b, 0, new Double[] {z}))
                    .orElseGet(() -> a.genericDerivative(dc.function(), dc.order(), z));
        }
        throw new AssertionError("unknown expression " + e);
    }
}
