package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.calculus.Tape;
import dev.netsym.spec.SpecParser;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pool view of activation regions, by hand on a two-unit network and against a full recomputation. */
class PoolRegionsTest {
    private static final String TWO_UNITS = """
            input x[1]
            target t[1]
            layer h[2] = relu(dense(x))
            layer out[1] = dense(h)
            objective sum((out - t)^2)
            """;

    private static Tape tape(String spec) {
        return Tape.compile(SpecParser.parse(spec).network().orElseThrow());
    }

    /** Samples whose inputs are drawn from {@code inputs} and targets at random, by the tape's data names. */
    private static double[][] pool(Tape tape, int[] inputs, Random random) {
        double[][] pool = new double[32][tape.dataNames().size()];
        for (double[] sample : pool) {
            for (int k = 0; k < sample.length; k++) {
                sample[k] = tape.dataNames().get(k).startsWith("x") ? inputs[random.nextInt(inputs.length)] : random.nextInt(19) - 9;
            }
        }
        return pool;
    }

    private static double[] theta(Tape tape, double wh1, double wh2, double wout1, double wout2) {
        double[] theta = new double[tape.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = switch (tape.parameterNames().get(i)) {
                case "W_h[1,1]" -> wh1;
                case "W_h[2,1]" -> wh2;
                case "W_out[1,1]" -> wout1;
                case "W_out[1,2]" -> wout2;
                default -> throw new AssertionError(tape.parameterNames().get(i));
            };
        }
        return theta;
    }

    @Test
    void aDeadUnitUsesNoneOfItsWeightsAndUnitsOnTogetherDoNotCountAsSplit() {
        Tape tape = tape(TWO_UNITS);
        Random random = new Random(3);
        double[][] positive = pool(tape, new int[] {1, 2, 3, 4}, random);
        // Unit 2 is dead on positive inputs: neither its weight in nor its weight out is used.
        PoolRegions.Balance dead = new PoolRegions(tape, positive, theta(tape, 1, -1, 2, 3), random).balance();
        assertEquals(2, dead.used());
        assertEquals(0, dead.split());
        assertFalse(dead.ideal());
        // Both units on for every input: every weight used, but no unit splits the pool.
        PoolRegions.Balance together = new PoolRegions(tape, positive, theta(tape, 1, 2, 2, 3), random).balance();
        assertEquals(4, together.used());
        assertEquals(0, together.split());
        // Inputs of both signs, units of opposite signs: each on for its own half.
        double[][] both = pool(tape, new int[] {-3, -1, 2, 5}, random);
        PoolRegions.Balance apart = new PoolRegions(tape, both, theta(tape, 1, -1, 2, 3), random).balance();
        assertEquals(4, apart.used());
        assertEquals(2, apart.split());
        assertEquals(2, apart.patterns());
        assertTrue(apart.ideal());
    }

    @Test
    void changingOneParameterAgreesWithARecomputationAndUndoRestores() {
        Tape tape = tape("""
                input x[3]
                target t[2]
                layer h1[4] = relu(dense(x, bias))
                layer h2[3] = relu(dense(h1))
                layer out[2] = dense(h2, bias)
                objective sum((out - t)^2)
                """);
        Random random = new Random(5);
        double[][] pool = pool(tape, new int[] {-2, -1, 0, 1, 3}, random);
        double[] theta = new double[tape.parameterCount()];
        for (int i = 0; i < theta.length; i++) theta[i] = random.nextInt(9) - 4;
        PoolRegions regions = new PoolRegions(tape, pool, theta, random);
        PoolRegions.Balance original = regions.balance();
        for (int trial = 0; trial < 200; trial++) {
            int i = random.nextInt(theta.length);
            double value = random.nextInt(9) - 4;
            regions.set(i, value);
            double[] changed = theta.clone();
            changed[i] = value;
            assertEquals(new PoolRegions(tape, pool, changed, random).balance(), regions.balance(), "after setting " + i);
            if (random.nextBoolean()) {
                regions.undo();
                assertEquals(original, regions.balance(), "after undoing " + i);
            } else {
                theta = changed;
                original = regions.balance();
            }
        }
    }
}
