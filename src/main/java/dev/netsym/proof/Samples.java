package dev.netsym.proof;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The data a random point is evaluated on: the spec's samples, or one sample drawn value by value. */
final class Samples {
    private Samples() {}

    /**
     * @param draw the value of data name i (in {@link Tape#dataNames()} order, called in that
     *     order, so that a seeded draw gives the same sample every time)
     */
    static <T> List<T[]> specOrDrawn(Network network, Tape tape, Arithmetic<T> arithmetic, IntFunction<T> draw) {
        List<T[]> samples = new ArrayList<>();
        if (network.data().isEmpty()) {
            T[] values = arithmetic.newArray(tape.dataNames().size());
            for (int i = 0; i < values.length; i++) values[i] = draw.apply(i);
            samples.add(values);
        } else {
            for (Sample s : network.data()) samples.add(tape.dataValues(arithmetic, s));
        }
        return samples;
    }
}
