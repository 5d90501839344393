package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netsym.Netsym;
import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.ArithmeticKind;
import dev.netsym.calculus.DecimalArithmetic;
import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.GradientDescentSimulation;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Independent evidence for the proof engine: on randomly generated networks, exact (or
 * 60-digit) simulation of gradient descent from random points of the initialisation keeps
 * every claimed class together and every frozen parameter put, and every witness, replayed
 * from its own numbers, really shows its two parameters separating.
 */
class ProofCrossCheckTest {
    private static final String[] ACTIVATIONS = {"", "tanh", "relu", "sigmoid", "SQUARE", "leaky"};

    /** A layered network written as a spec, with symmetric structure so that classes are not trivial. */
    static String randomSpec(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int inputs = 1 + r.nextInt(3);
        int depth = 1 + r.nextInt(3);
        StringBuilder spec = new StringBuilder("input ");
        List<String> previous = new ArrayList<>();
        for (int i = 1; i <= inputs; i++) {
            previous.add("x" + i);
            spec.append(i > 1 ? ", " : "").append("x").append(i);
        }
        spec.append('\n');
        boolean target = r.nextBoolean();
        if (target) spec.append("target t\n");
        int weight = 0;
        List<String> weights = new ArrayList<>();
        for (int layer = 1; layer <= depth; layer++) {
            int width = 1 + r.nextInt(3);
            String act = ACTIVATIONS[r.nextInt(ACTIVATIONS.length)];
            boolean bias = r.nextInt(3) == 0;
            List<String> current = new ArrayList<>();
            for (int u = 1; u <= width; u++) {
                String unit = "h" + layer + "_" + u;
                StringBuilder sum = new StringBuilder();
                for (String in : previous) {
                    // Now and then reuse an earlier weight: shared, convolution-like parameters.
                    String w = !weights.isEmpty() && r.nextInt(6) == 0 ? weights.get(r.nextInt(weights.size()))
                            : "w" + (++weight);
                    weights.add(w);
                    sum.append(sum.length() > 0 ? " + " : "").append(w).append("*").append(in);
                }
                if (bias) sum.append(" + b").append(layer).append("_").append(u);
                String z = "(" + sum + ")";
                String value = switch (act) {
                    case "" -> z;
                    case "SQUARE" -> z + "^2";
                    case "leaky" -> "leaky_relu(" + z + ", 1/4)";
                    default -> act + z;
                };
                spec.append(unit).append(" = ").append(value).append('\n');
                current.add(unit);
            }
            previous = current;
        }
        StringBuilder out = new StringBuilder();
        for (String in : previous) out.append(out.length() > 0 ? " + " : "").append("v_").append(in).append("*").append(in);
        spec.append("y = ").append(out).append('\n');
        spec.append(target ? "objective (y - t)^2\n" : "objective y\n");
        switch (r.nextInt(4)) {
            case 0 -> spec.append("init all = a\n");
            case 1 -> spec.append("init all = a\ninit v* = c\n");
            case 2 -> spec.append(spec.indexOf(" + b") >= 0 ? "init w* = a\ninit b* = 0\n" : "init w* = a\n");
            default -> spec.append("init all = a\ninit w1 = random\n");
        }
        return spec.toString();
    }

    @Test
    void simulationAgreesWithEveryClaimOnRandomNetworks() {
        int checkedClasses = 0;
        int checkedWitnesses = 0;
        for (long seed = 1; seed <= 40; seed++) {
            String spec = randomSpec(seed);
            var parsed = Netsym.parse(spec);
            assertTrue(parsed.network().isPresent(), spec + parsed.diagnostics());
            Network network = parsed.network().get();
            Proof proof = ProofEngine.prove(network, ProofEngine.Options.defaults());
            Tape tape = Tape.compile(network);
            boolean exact = ArithmeticKind.requiredFor(tape) != ArithmeticKind.DECIMAL;
            for (int trial = 0; trial < 2; trial++) {
                SplittableRandom r = new SplittableRandom(seed * 100 + trial);
                checkedClasses += exact
                        ? checkClaims(network, tape, proof, new ExactArithmetic(seed), r, spec)
                        : checkClaims(network, tape, proof, new DecimalArithmetic(seed, new MathContext(60)), r, spec);
            }
            for (Separation s : proof.separations()) {
                replayWitness(network, tape, s, spec);
                checkedWitnesses++;
            }
        }
        assertTrue(checkedClasses > 40, "too few claims checked: " + checkedClasses);
        assertTrue(checkedWitnesses > 40, "too few witnesses replayed: " + checkedWitnesses);
    }

    private static Rational randomRational(SplittableRandom r) {
        return Rational.of(r.nextInt(1, 9) * (r.nextBoolean() ? 1 : -1), r.nextInt(1, 6));
    }

    private static <T> int checkClaims(Network network, Tape tape, Proof proof, Arithmetic<T> a, SplittableRandom r,
                                       String spec) {
        Map<String, Rational> symbols = new HashMap<>();
        T[] initial = a.newArray(tape.parameterCount());
        for (Parameter p : network.parameters()) {
            Rational v;
            if (p.init() instanceof Init.Numeric n) v = n.value();
            else if (p.init() instanceof Init.Symbolic s) v = symbols.computeIfAbsent(s.symbol(), k -> randomRational(r));
            else v = randomRational(r);
            initial[tape.parameterIndex(p.name())] = a.fromRational(v.divide(Rational.of(3)));
        }
        List<T[]> samples = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            T[] data = a.newArray(tape.dataNames().size());
            for (int i = 0; i < data.length; i++) data[i] = a.fromRational(randomRational(r));
            samples.add(data);
        }
        var run = new GradientDescentSimulation<>(tape, a).run(initial, samples, a.fromRational(Rational.of(1, 7)), 3);
        int checked = 0;
        for (ParameterClass c : proof.classes()) {
            int first = tape.parameterIndex(c.members().get(0));
            for (int step = 0; step <= run.stepCount(); step++) {
                for (String m : c.members()) {
                    T value = run.value(step, tape.parameterIndex(m));
                    if (!a.equal(value, run.value(step, first))) {
                        fail("claimed class " + c.members() + " split at step " + step + " in\n" + spec);
                    }
                    if (c.frozen() && !a.equal(value, run.value(0, first))) {
                        fail("claimed frozen " + m + " moved at step " + step + " in\n" + spec);
                    }
                }
            }
            checked++;
        }
        return checked;
    }

    /** Runs gradient descent again from the witness's own numbers and checks what it claims. */
    private static void replayWitness(Network network, Tape tape, Separation s, String spec) {
        Witness w = s.witness();
        boolean exact = w.exact();
        if (exact) replay(network, tape, s, w, new ExactArithmetic(0), spec);
        else replay(network, tape, s, w, new DecimalArithmetic(0, new MathContext(40)), spec);
    }

    private static <T> void replay(Network network, Tape tape, Separation s, Witness w, Arithmetic<T> a, String spec) {
        T[] initial = a.newArray(tape.parameterCount());
        for (Parameter p : network.parameters()) {
            Rational v = p.init() instanceof Init.Numeric n ? n.value()
                    : Rational.parse(w.start().get(p.init() instanceof Init.Symbolic sym ? sym.symbol() : p.name()));
            initial[tape.parameterIndex(p.name())] = a.fromRational(v);
        }
        List<T[]> samples = new ArrayList<>();
        for (Map<String, String> sample : w.data()) {
            T[] data = a.newArray(tape.dataNames().size());
            for (int i = 0; i < data.length; i++) data[i] = a.fromRational(Rational.parse(sample.get(tape.dataNames().get(i))));
            samples.add(data);
        }
        var run = new GradientDescentSimulation<>(tape, a).run(initial, samples, a.fromRational(Rational.parse(w.learningRate())),
                w.step());
        int first = tape.parameterIndex(s.first());
        T after = run.value(w.step(), first);
        T other = s.isMove() ? run.value(0, first) : run.value(w.step(), tape.parameterIndex(s.second()));
        assertTrue(!a.equal(after, other), "witness does not separate " + s + " in\n" + spec);
        if (w.step() > 0 && !s.isMove()) {
            assertEquals(true, a.equal(run.value(w.step() - 1, first),
                    run.value(w.step() - 1, tape.parameterIndex(s.second()))), "not the first step: " + s);
        }
    }
}
