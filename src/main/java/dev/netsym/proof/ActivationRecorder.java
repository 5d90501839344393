package dev.netsym.proof;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.ForwardingArithmetic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An arithmetic that notes every value of a generic activation it hands out, so that a witness
 * computed where f is only a choice of values (exact, modular) can state that choice.
 */
final class ActivationRecorder<T> extends ForwardingArithmetic<T> {
    private record Point<V>(String name, int order, V at) {}

    private final Map<Point<T>, T> used = new LinkedHashMap<>();

    ActivationRecorder(Arithmetic<T> inner) {
        super(inner);
    }

    Arithmetic<T> inner() { return inner; }

    /** The values noted for {@code name}, in order of first use, shown with {@code show}. */
    List<WitnessRun.Value> values(String name, Function<T, String> show) {
        return used.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .map(e -> new WitnessRun.Value(e.getKey().order(), show.apply(e.getKey().at()), show.apply(e.getValue())))
                .toList();
    }

    @Override
    public T genericDerivative(String name, int order, T z) {
        T value = inner.genericDerivative(name, order, z);
        used.putIfAbsent(new Point<>(name, order, z), value);
        return value;
    }
}
