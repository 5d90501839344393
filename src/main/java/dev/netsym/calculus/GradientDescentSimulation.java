package dev.netsym.calculus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

/**
 * Full-batch gradient descent, θ ← θ − η·Σ_samples ∂L/∂θ (or another optimiser's step, as a
 * {@link StepRule} describes it), in any arithmetic: run in
 * exact rationals it turns "these parameters separate" into a checkable witness
 * ("w1 and w3 first differ after step 2").
 */
public final class GradientDescentSimulation<T> {
    private final GradientEngine engine;
    private final Arithmetic<T> arithmetic;
    private final StepRule rule;

    public GradientDescentSimulation(GradientEngine engine, Arithmetic<T> arithmetic) {
        this(engine, arithmetic, StepRule.plain(engine.parameterCount()));
    }

    /** Runs of the optimiser {@code rule} describes instead of plain gradient descent. */
    public GradientDescentSimulation(GradientEngine engine, Arithmetic<T> arithmetic, StepRule rule) {
        if (rule.rates().length != engine.parameterCount()) {
            throw new IllegalArgumentException(rule.rates().length + " learning rates for " + engine.parameterCount() + " parameters");
        }
        this.engine = engine;
        this.arithmetic = arithmetic;
        this.rule = rule;
    }

    /** Parameter values after each step; index 0 holds the initial values. */
    public static final class Trajectory<T> {
        private final List<T[]> steps;
        private final Arithmetic<T> arithmetic;

        Trajectory(List<T[]> steps, Arithmetic<T> arithmetic) {
            this.steps = Collections.unmodifiableList(steps);
            this.arithmetic = arithmetic;
        }

        public int stepCount() { return steps.size() - 1; }

        /** The value of parameter {@code parameterIndex} after {@code step} steps (0 = initial). */
        public T value(int step, int parameterIndex) { return steps.get(step)[parameterIndex]; }

        /** All parameter values after {@code step} steps (a copy). */
        public T[] values(int step) { return steps.get(step).clone(); }

        /** The first step after which the two parameters differ, or empty if they never do within the run. */
        public OptionalInt firstStepWhereDiffer(int first, int second) {
            return firstStepWhereDiffer(first, second, false);
        }

        /** The same for θ_first = −θ_second when {@code opposite}: the first step where that fails. */
        public OptionalInt firstStepWhereDiffer(int first, int second, boolean opposite) {
            for (int step = 0; step < steps.size(); step++) {
                T[] values = steps.get(step);
                T other = opposite ? arithmetic.negate(values[second]) : values[second];
                if (!arithmetic.equal(values[first], other)) return OptionalInt.of(step);
            }
            return OptionalInt.empty();
        }

        /** The first step after which the parameter differs from its initial value, or empty. */
        public OptionalInt firstStepWhereMoved(int parameterIndex) {
            T initial = steps.get(0)[parameterIndex];
            for (int step = 1; step < steps.size(); step++) {
                if (!arithmetic.equal(steps.get(step)[parameterIndex], initial)) return OptionalInt.of(step);
            }
            return OptionalInt.empty();
        }
    }

    /**
     * Runs {@code steps} steps from {@code initialValues} over all {@code samples} (each a data
     * vector in {@link Tape#dataNames()} order, which every engine follows) with learning rate {@code learningRate}.
     */
    public Trajectory<T> run(T[] initialValues, List<T[]> samples, T learningRate, int steps) {
        List<T[]> trajectory = new ArrayList<>(steps + 1);
        descend(initialValues, samples, learningRate, steps, false, (step, values, loss) -> {
            trajectory.add(values);
            return true;
        });
        return new Trajectory<>(trajectory, arithmetic);
    }

    /** Sees each iterate as the run makes it; answers whether the run goes on. */
    @FunctionalInterface
    public interface Observer<T> {
        /**
         * @param values the parameters after {@code step} steps (0 = initial), not to be changed
         * @param loss the objective summed over the samples at these values
         */
        boolean observe(int step, T[] values, T loss);
    }

    /**
     * The same run, handing each iterate and its loss to {@code observer} instead of keeping
     * them, so that memory stays one iterate however many steps; it ends early when the observer
     * says so (a floating-point run that overflowed). Returns the number of steps taken.
     */
    public int run(T[] initialValues, List<T[]> samples, T learningRate, int steps, Observer<T> observer) {
        return descend(initialValues, samples, learningRate, steps, true, observer);
    }

    /** The one loop of both runs; without {@code withLoss} the loss passed on is null. */
    private int descend(T[] initialValues, List<T[]> samples, T learningRate, int steps, boolean withLoss,
                        Observer<T> observer) {
        if (steps < 0) throw new IllegalArgumentException("negative step count " + steps);
        T[] current = initialValues.clone();
        StepRule.Stepper<T> stepper = rule.start(arithmetic);
        for (int step = 0; ; step++) {
            T[] total = arithmetic.newArray(current.length);
            java.util.Arrays.fill(total, arithmetic.zero());
            T loss = withLoss ? arithmetic.zero() : null;
            // The last iterate needs its loss only; its gradient is skipped unless the loss comes with it.
            boolean last = step == steps;
            if (withLoss || !last) {
                for (T[] sample : samples) {
                    if (withLoss) {
                        GradientEngine.ObjectiveAndGradient<T> evaluation = engine.objectiveAndGradient(arithmetic, current, sample);
                        loss = arithmetic.add(loss, evaluation.objective());
                        addTo(total, evaluation.gradient());
                    } else {
                        addTo(total, engine.gradient(arithmetic, current, sample));
                    }
                }
            }
            if (!observer.observe(step, current, loss) || last) return step;
            current = stepper.next(current, total, learningRate);
        }
    }

    private void addTo(T[] total, T[] gradient) {
        for (int i = 0; i < total.length; i++) total[i] = arithmetic.add(total[i], gradient[i]);
    }
}
