package dev.netsym.calculus;

import static dev.netsym.calculus.TestNetworks.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A 784-256-128-10 dense network (235,146 parameters): the tape's full gradient against a
 * plain matrix backpropagation written independently here, in doubles with tanh and modulo
 * a random prime with identity activations (tanh has no value modulo a prime).
 */
class DenseNetworkTest {
    private static final int[] SIZES = {784, 256, 128, 10};

    private static String weight(int layer, int j, int i) { return "W" + layer + "[" + j + "," + i + "]"; }

    private static String bias(int layer, int j) { return "b" + layer + "[" + j + "]"; }

    private static String unitName(int layer, int j) { return "h" + layer + "[" + j + "]"; }

    /** Parameters in order W1 (row-major), b1, W2, b2, W3, b3; the last layer is linear. */
    private static Network dense(boolean tanh) {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < SIZES[0]; i++) inputs.add("x[" + i + "]");
        List<String> targets = new ArrayList<>();
        for (int k = 0; k < SIZES[3]; k++) targets.add("t[" + k + "]");
        List<String> parameters = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        List<String> below = inputs;
        for (int layer = 1; layer < SIZES.length; layer++) {
            List<String> current = new ArrayList<>();
            for (int j = 0; j < SIZES[layer]; j++) {
                List<Expr> terms = new ArrayList<>(below.size() + 1);
                for (int i = 0; i < below.size(); i++) {
                    parameters.add(weight(layer, j, i));
                    terms.add(product(ref(weight(layer, j, i)), ref(below.get(i))));
                }
                terms.add(ref(bias(layer, j)));
                boolean activated = tanh && layer < SIZES.length - 1;
                units.add(unit(unitName(layer, j), activated ? call("tanh", sum(terms)) : sum(terms)));
                current.add(unitName(layer, j));
            }
            for (int j = 0; j < SIZES[layer]; j++) parameters.add(bias(layer, j));
            below = current;
        }
        List<Expr> losses = new ArrayList<>();
        for (int k = 0; k < SIZES[3]; k++) losses.add(power(minus(ref(below.get(k)), ref(targets.get(k))), num(2)));
        return network(inputs, targets, units, sum(losses), parameters, Set.of());
    }

    @Test
    void tanhNetworkGradientMatchesMatrixBackpropagationInDoubles() {
        Tape tape = Tape.compile(dense(true));
        assertEquals(235_146, tape.parameterCount());
        SplittableRandom random = new SplittableRandom(784);
        Double[] theta = new Double[tape.parameterCount()];
        int p = 0;
        for (int layer = 1; layer < SIZES.length; layer++) {
            double scale = 1 / Math.sqrt(SIZES[layer - 1]);
            for (int n = 0; n < SIZES[layer] * SIZES[layer - 1]; n++) theta[p++] = random.nextDouble(-scale, scale);
            for (int n = 0; n < SIZES[layer]; n++) theta[p++] = random.nextDouble(-0.1, 0.1);
        }
        Double[] data = new Double[SIZES[0] + SIZES[3]];
        for (int i = 0; i < data.length; i++) data[i] = random.nextDouble(0, 1);

        Evaluation<Double> e = tape.evaluate(new DoubleArithmetic(), theta, data);
        double[] expected = backpropagateDoubles(theta, data);
        assertEquals(expected[expected.length - 1], e.objective(), 1e-9 * Math.abs(e.objective()));
        for (int i = 0; i < theta.length; i++) {
            assertEquals(expected[i], e.gradient(i), 1e-9 * Math.max(1e-3, Math.abs(expected[i])),
                    tape.parameterNames().get(i));
        }
        // the output unit's adjoint ∂L/∂y = 2(y − t) is the gradient of its bias
        double outputAdjoint = e.unitAdjoint(unitName(3, 0));
        assertEquals(expected[theta.length - SIZES[3]], outputAdjoint, 1e-12);
        assertEquals(2 * (e.unitValue(unitName(3, 0)) - data[SIZES[0]]), outputAdjoint, 1e-12);
    }

    @Test
    void linearNetworkGradientMatchesMatrixBackpropagationModuloP() {
        Tape tape = Tape.compile(dense(false));
        assertEquals(ArithmeticKind.MODULAR, ArithmeticKind.requiredFor(tape));
        ModularArithmetic modular = new ModularArithmetic(1);
        SplittableRandom random = new SplittableRandom(61);
        long[] theta = new long[tape.parameterCount()];
        for (int i = 0; i < theta.length; i++) theta[i] = random.nextLong(modular.modulus());
        long[] data = new long[SIZES[0] + SIZES[3]];
        for (int i = 0; i < data.length; i++) data[i] = random.nextLong(modular.modulus());

        Evaluation<Long> e = tape.evaluate(modular, inField(modular, theta), inField(modular, data));
        long[] expected = backpropagateModular(BigInteger.valueOf(modular.modulus()), theta, data);
        assertEquals(expected[expected.length - 1], modular.standardResidue(e.objective()));
        for (int i = 0; i < theta.length; i++) {
            assertEquals(expected[i], modular.standardResidue(e.gradient(i)), tape.parameterNames().get(i));
        }
    }

    private static Long[] inField(ModularArithmetic modular, long[] residues) {
        Long[] values = new Long[residues.length];
        for (int i = 0; i < values.length; i++) values[i] = modular.fromRational(Rational.of(residues[i]));
        return values;
    }

    /** Gradient in parameter order, then the objective, by the textbook matrix recurrences. */
    private static double[] backpropagateDoubles(Double[] theta, Double[] data) {
        int layers = SIZES.length - 1;
        double[][] activations = new double[SIZES.length][];
        activations[0] = new double[SIZES[0]];
        for (int i = 0; i < SIZES[0]; i++) activations[0][i] = data[i];
        int[] offsets = offsets();
        for (int layer = 1; layer <= layers; layer++) {
            int fanIn = SIZES[layer - 1];
            activations[layer] = new double[SIZES[layer]];
            for (int j = 0; j < SIZES[layer]; j++) {
                double z = 0;
                for (int i = 0; i < fanIn; i++) z += theta[offsets[layer] + j * fanIn + i] * activations[layer - 1][i];
                z += theta[offsets[layer] + SIZES[layer] * fanIn + j];
                activations[layer][j] = layer < layers ? Math.tanh(z) : z;
            }
        }
        double[] result = new double[theta.length + 1];
        double[] delta = new double[SIZES[layers]];
        for (int k = 0; k < delta.length; k++) {
            double error = activations[layers][k] - data[SIZES[0] + k];
            result[theta.length] += error * error;
            delta[k] = 2 * error;
        }
        for (int layer = layers; layer >= 1; layer--) {
            int fanIn = SIZES[layer - 1];
            double[] below = new double[fanIn];
            for (int j = 0; j < SIZES[layer]; j++) {
                for (int i = 0; i < fanIn; i++) {
                    result[offsets[layer] + j * fanIn + i] = delta[j] * activations[layer - 1][i];
                    below[i] += theta[offsets[layer] + j * fanIn + i] * delta[j];
                }
                result[offsets[layer] + SIZES[layer] * fanIn + j] = delta[j];
            }
            if (layer > 1) {
                for (int i = 0; i < fanIn; i++) {
                    double a = activations[layer - 1][i];
                    below[i] *= 1 - a * a;
                }
            }
            delta = below;
        }
        return result;
    }

    /** The same recurrences on standard residues, in BigInteger: independent of the arithmetic under test. */
    private static long[] backpropagateModular(BigInteger modulus, long[] theta, long[] data) {
        int layers = SIZES.length - 1;
        BigInteger[][] activations = new BigInteger[SIZES.length][];
        activations[0] = new BigInteger[SIZES[0]];
        for (int i = 0; i < SIZES[0]; i++) activations[0][i] = BigInteger.valueOf(data[i]);
        int[] offsets = offsets();
        for (int layer = 1; layer <= layers; layer++) {
            int fanIn = SIZES[layer - 1];
            activations[layer] = new BigInteger[SIZES[layer]];
            for (int j = 0; j < SIZES[layer]; j++) {
                BigInteger z = BigInteger.valueOf(theta[offsets[layer] + SIZES[layer] * fanIn + j]);
                for (int i = 0; i < fanIn; i++) {
                    BigInteger w = BigInteger.valueOf(theta[offsets[layer] + j * fanIn + i]);
                    z = z.add(w.multiply(activations[layer - 1][i]));
                }
                activations[layer][j] = z.mod(modulus);
            }
        }
        long[] result = new long[theta.length + 1];
        BigInteger objective = BigInteger.ZERO;
        BigInteger[] delta = new BigInteger[SIZES[layers]];
        for (int k = 0; k < delta.length; k++) {
            BigInteger error = activations[layers][k].subtract(BigInteger.valueOf(data[SIZES[0] + k]));
            objective = objective.add(error.multiply(error));
            delta[k] = error.shiftLeft(1).mod(modulus);
        }
        result[theta.length] = objective.mod(modulus).longValueExact();
        for (int layer = layers; layer >= 1; layer--) {
            int fanIn = SIZES[layer - 1];
            BigInteger[] below = new BigInteger[fanIn];
            Arrays.fill(below, BigInteger.ZERO);
            for (int j = 0; j < SIZES[layer]; j++) {
                for (int i = 0; i < fanIn; i++) {
                    BigInteger w = BigInteger.valueOf(theta[offsets[layer] + j * fanIn + i]);
                    result[offsets[layer] + j * fanIn + i] =
                            delta[j].multiply(activations[layer - 1][i]).mod(modulus).longValueExact();
                    below[i] = below[i].add(w.multiply(delta[j]));
                }
                result[offsets[layer] + SIZES[layer] * fanIn + j] = delta[j].longValueExact();
            }
            for (int i = 0; i < fanIn; i++) below[i] = below[i].mod(modulus);
            delta = below;
        }
        return result;
    }

    /** Where each layer's weights start in the parameter vector (its biases follow them). */
    private static int[] offsets() {
        int[] offsets = new int[SIZES.length];
        int offset = 0;
        for (int layer = 1; layer < SIZES.length; layer++) {
            offsets[layer] = offset;
            offset += SIZES[layer] * SIZES[layer - 1] + SIZES[layer];
        }
        return offsets;
    }
}
