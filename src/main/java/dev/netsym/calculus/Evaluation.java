package dev.netsym.calculus;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The result of one forward and reverse pass over a {@link Tape}: values and adjoints of
 * every node, and the gradient of the objective.
 */
public final class Evaluation<T> {
    private final Tape tape;
    private final T[] values;
    private final T[] adjoints;
    private final T[] gradient;

    Evaluation(Tape tape, T[] values, T[] adjoints, T[] gradient) {
        this.tape = tape;
        this.values = values;
        this.adjoints = adjoints;
        this.gradient = gradient;
    }

    public Tape tape() { return tape; }

    public T objective() { return values[tape.objectiveNode()]; }

    public T value(int node) { return values[node]; }

    /** ∂objective/∂node; 0 for a constant node, whose adjoint is never needed (a real power's constant exponent). */
    public T adjoint(int node) { return adjoints[node]; }

    public T unitValue(String unit) { return values[tape.unitNode(unit)]; }

    /** ∂objective/∂unit, the unit taken as an independent value. */
    public T unitAdjoint(String unit) { return adjoints[tape.unitNode(unit)]; }

    /** ∂objective/∂θ for the parameter at this index of {@link Tape#parameterNames()}. */
    public T gradient(int parameterIndex) { return gradient[parameterIndex]; }

    public T gradient(String parameter) { return gradient[tape.parameterIndex(parameter)]; }

    /** The whole gradient in parameter order (a read-only view). */
    public List<T> gradient() { return Collections.unmodifiableList(Arrays.asList(gradient)); }
}
