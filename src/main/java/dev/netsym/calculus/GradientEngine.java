package dev.netsym.calculus;

/**
 * What gradient descent needs of a compiled network: the objective and its gradient at given
 * parameter values and one sample's data, in any arithmetic. {@link Tape} computes it one
 * scalar at a time, {@link TensorTape} one operation on whole tensors at a time.
 */
public interface GradientEngine {

    /** How many parameters, in the network's order. */
    int parameterCount();

    /** ∂objective/∂θ in parameter order. */
    <T> T[] gradient(Arithmetic<T> arithmetic, T[] parameterValues, T[] dataValues);

    /** The objective and its gradient, from one forward and one reverse pass. */
    <T> ObjectiveAndGradient<T> objectiveAndGradient(Arithmetic<T> arithmetic, T[] parameterValues, T[] dataValues);

    /** An objective's value and its gradient in parameter order. */
    record ObjectiveAndGradient<T>(T objective, T[] gradient) {}
}
