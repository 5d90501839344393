package dev.netsym.proof;

import java.util.List;
import java.util.Map;

/**
 * A concrete run of gradient descent that shows two parameters separate (or one moves).
 *
 * @param start the initial values used for each initial-value symbol and random parameter
 * @param data the samples used (name → value)
 * @param step the first step after which the values differ
 * @param firstValue the first parameter's value after that step
 * @param secondValue the second parameter's value (or the moved parameter's initial value)
 * @param exact whether the arithmetic was exact (rationals or modular)
 * @param arithmetic how the run was computed, for the reader
 */
public record Witness(Map<String, String> start, List<Map<String, String>> data, String learningRate, int step,
                      String firstValue, String secondValue, boolean exact, String arithmetic) {
    public Witness {
        // Map.copyOf would iterate in hash order, which changes from run to run: keep the given order.
        start = ordered(start);
        data = data.stream().map(Witness::ordered).toList();
    }

    private static Map<String, String> ordered(Map<String, String> values) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
