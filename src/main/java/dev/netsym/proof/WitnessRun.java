package dev.netsym.proof;

import dev.netsym.calculus.StepRule;
import dev.netsym.model.Expr;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to repeat one run of gradient descent by hand: several separations
 * usually share one run, so renderers print it once and refer to it.
 *
 * @param start the initial value of each initial-value symbol and random parameter
 * @param data the samples used (name → value); empty when the spec's own data were used
 * @param learningRate η
 * @param activations what each declared activation was in this run
 * @param exact whether the arithmetic was exact (rationals or modular)
 * @param arithmetic how the run was computed, for the reader
 * @param rule how each step was taken when not by plain gradient descent (null: plain)
 */
public record WitnessRun(Map<String, String> start, List<Map<String, String>> data, String learningRate,
                         List<Activation> activations, boolean exact, String arithmetic, StepRule rule) {
    /** A run of plain gradient descent. */
    public WitnessRun(Map<String, String> start, List<Map<String, String>> data, String learningRate,
                      List<Activation> activations, boolean exact, String arithmetic) {
        this(start, data, learningRate, activations, exact, arithmetic, null);
    }

    /**
     * From the sizes and the small fields only: equal runs still hash alike, and a big network's
     * hundreds of thousands of separations, each looking its run up by it, do not each hash
     * every start value (which made the JSON of a 235,000-weight proof take many minutes).
     */
    @Override
    public int hashCode() {
        return java.util.Objects.hash(start.size(), data.size(), learningRate, exact, arithmetic);
    }

    /** Whether the run steps by θ ← θ − η·g alone (no rule, or a plain one). */
    public boolean plainSteps() {
        return rule == null || rule.isPlain();
    }

    public WitnessRun {
        // Map.copyOf would iterate in hash order, which changes from run to run: keep the given order.
        start = ordered(start);
        data = data.stream().map(WitnessRun::ordered).toList();
        activations = List.copyOf(activations);
    }

    /**
     * A declared activation as the run used it: a formula in z (floating arithmetics), or, where
     * f is only a choice of values (exact, modular), every value of f and its derivatives the run
     * read. Any smooth function with those values gives the same run.
     */
    public record Activation(String name, Optional<Expr> formula, List<Value> values) {
        public Activation {
            values = List.copyOf(values);
        }
    }

    /** f^(order)(at) = value. */
    public record Value(int order, String at, String value) {}

    private static Map<String, String> ordered(Map<String, String> values) {
        // Drawn values stay numbers until read: a big network's run has hundreds of thousands.
        if (values instanceof NumberTexts drawn) return drawn.sealed();
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
