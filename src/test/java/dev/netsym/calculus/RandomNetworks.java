package dev.netsym.calculus;

import static dev.netsym.calculus.TestNetworks.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Seeded random layered networks: shared weights, biases, products of units, several objectives. */
final class RandomNetworks {
    enum Activation {
        IDENTITY, SQUARE, RATIONAL, RELU, LEAKY_RELU, TANH, SIGMOID, SOFTPLUS, EXP, LOG, REAL_POWER,
        GENERIC_F, GENERIC_G, GENERIC_F_PRIME
    }

    enum Objective { SQUARED_ERROR, LOG_SQUARED_ERROR, CROSS_ENTROPY }

    static final List<Activation> POLYNOMIAL = List.of(Activation.IDENTITY, Activation.SQUARE, Activation.RATIONAL);
    static final List<Activation> PIECEWISE = List.of(Activation.IDENTITY, Activation.SQUARE, Activation.RATIONAL,
            Activation.RELU, Activation.LEAKY_RELU);
    static final List<Activation> SMOOTH = List.of(Activation.TANH, Activation.SIGMOID, Activation.SOFTPLUS,
            Activation.EXP, Activation.LOG, Activation.REAL_POWER, Activation.IDENTITY,
            Activation.GENERIC_F, Activation.GENERIC_G, Activation.GENERIC_F_PRIME);
    static final List<Activation> ALL = List.of(Activation.values());

    private RandomNetworks() {}

    static Network generate(long seed, List<Activation> activations, List<Objective> objectives) {
        SplittableRandom random = new SplittableRandom(seed);
        int inputCount = random.nextInt(1, 4);
        List<String> inputs = new ArrayList<>();
        for (int i = 1; i <= inputCount; i++) inputs.add("x" + i);
        List<String> parameters = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        List<String> previous = inputs;
        int depth = random.nextInt(1, 5);
        for (int layer = 1; layer <= depth; layer++) {
            int width = random.nextInt(1, 6);
            List<String> current = new ArrayList<>();
            for (int j = 1; j <= width; j++) {
                String name = "h" + layer + "_" + j;
                Expr definition;
                if (previous.size() >= 2 && random.nextInt(5) == 0) {
                    // a product of two units (or inputs) of the layer below
                    definition = product(ref(previous.get(random.nextInt(previous.size()))),
                            ref(previous.get(random.nextInt(previous.size()))));
                } else {
                    List<Expr> terms = new ArrayList<>();
                    for (String source : previous) terms.add(product(ref(weight(random, parameters)), ref(source)));
                    if (random.nextBoolean()) terms.add(ref(weight(random, parameters)));
                    definition = activate(activations.get(random.nextInt(activations.size())), sum(terms));
                }
                units.add(unit(name, definition));
                current.add(name);
            }
            previous = current;
        }
        List<String> targets = new ArrayList<>();
        List<Expr> losses = new ArrayList<>();
        Objective objective = objectives.get(random.nextInt(objectives.size()));
        for (int k = 0; k < previous.size(); k++) {
            String target = "t" + (k + 1);
            targets.add(target);
            Expr y = ref(previous.get(k));
            Expr t = ref(target);
            Expr squaredError = power(minus(y, t), num(2));
            switch (objective) {
                case SQUARED_ERROR: losses.add(squaredError); break;
                case LOG_SQUARED_ERROR: losses.add(call("log", sum(num(1), squaredError))); break;
                default:
                    losses.add(neg(sum(product(t, call("log", call("sigmoid", y))),
                            product(minus(num(1), t), call("log", minus(num(1), call("sigmoid", y)))))));
            }
        }
        return network(inputs, targets, units, sum(losses), parameters, Set.of("f", "g"));
    }

    /** A new weight, or (one time in five) one already used elsewhere: shared weights. */
    private static String weight(SplittableRandom random, List<String> parameters) {
        if (!parameters.isEmpty() && random.nextInt(5) == 0) return parameters.get(random.nextInt(parameters.size()));
        String name = "w" + (parameters.size() + 1);
        parameters.add(name);
        return name;
    }

    private static Expr activate(Activation activation, Expr z) {
        switch (activation) {
            case IDENTITY: return z;
            case SQUARE: return power(z, num(2));
            case RATIONAL: return quotient(z, sum(num(1), power(z, num(2))));
            case RELU: return call("relu", z);
            case LEAKY_RELU: return call("leaky_relu", z, num(1, 10));
            case TANH: return call("tanh", z);
            case SIGMOID: return call("sigmoid", z);
            case SOFTPLUS: return call("softplus", z);
            case EXP: return call("exp", product(num(1, 2), z));
            case LOG: return call("log", sum(num(1), power(z, num(2))));
            case REAL_POWER: return power(sum(num(1), power(z, num(2))), num(3, 4));
            case GENERIC_F: return call("f", z);
            case GENERIC_G: return call("g", z);
            default: return new Expr.DerivativeCall("f", 1, z);
        }
    }

    /** Small random rationals k/8, the kind of values a witness would use. */
    static Rational[] rationals(SplittableRandom random, int n) {
        Rational[] values = new Rational[n];
        for (int i = 0; i < n; i++) values[i] = Rational.of(random.nextInt(-8, 9), 8);
        return values;
    }

    /** Data values for a tape: targets in (0, 1) so cross-entropy makes sense. */
    static Rational[] data(SplittableRandom random, Tape tape) {
        Rational[] values = new Rational[tape.dataNames().size()];
        for (int i = 0; i < values.length; i++) {
            boolean target = tape.dataNames().get(i).startsWith("t");
            values[i] = target ? Rational.of(random.nextInt(1, 8), 8) : Rational.of(random.nextInt(-8, 9), 8);
        }
        return values;
    }
}
