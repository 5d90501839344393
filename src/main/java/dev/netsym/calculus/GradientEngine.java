package dev.netsym.calculus;

import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import java.util.List;

/**
 * What gradient descent needs of a compiled network: the objective and its gradient at given
 * parameter values and one sample's data, in any arithmetic. {@link Tape} computes it one
 * scalar at a time, {@link TensorTape} one operation on whole tensors at a time.
 */
public interface GradientEngine {

    /** How many parameters, in the network's order. */
    int parameterCount();

    /** Inputs then targets, in network order: the order data vectors follow. */
    List<String> dataNames();

    /** A sample's values as a data vector in {@link #dataNames()} order. */
    default <T> T[] dataValues(Arithmetic<T> arithmetic, Sample sample) {
        List<String> names = dataNames();
        T[] values = arithmetic.newArray(names.size());
        for (int i = 0; i < values.length; i++) {
            Rational value = sample.values().get(names.get(i));
            if (value == null) throw new IllegalArgumentException("sample has no value for '" + names.get(i) + "'");
            values[i] = arithmetic.fromRational(value);
        }
        return values;
    }

    /** ∂objective/∂θ in parameter order. */
    <T> T[] gradient(Arithmetic<T> arithmetic, T[] parameterValues, T[] dataValues);

    /** The objective and its gradient, from one forward and one reverse pass. */
    <T> ObjectiveAndGradient<T> objectiveAndGradient(Arithmetic<T> arithmetic, T[] parameterValues, T[] dataValues);

    /** An objective's value and its gradient in parameter order. */
    record ObjectiveAndGradient<T>(T objective, T[] gradient) {}
}
