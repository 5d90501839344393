package dev.netsym.render;

import dev.netsym.proof.Separation;
import dev.netsym.proof.WitnessRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Witness runs named A, B, C, ... in order of first use, so each setup is printed once. */
final class WitnessRuns {
    private WitnessRuns() {}

    static Map<WitnessRun, String> labels(List<Separation> separations) {
        Map<WitnessRun, String> labels = new LinkedHashMap<>();
        for (Separation s : separations) labels.computeIfAbsent(s.witness().run(), r -> label(labels.size()));
        return labels;
    }

    /** A, B, ..., Z, AA, AB, ... */
    static String label(int index) {
        String letter = String.valueOf((char) ('A' + index % 26));
        return index < 26 ? letter : label(index / 26 - 1) + letter;
    }

    /** f(3/2), f′(3/2), f′′(3/2), f^(3)(3/2). */
    static String call(String name, WitnessRun.Value v) {
        String marks = v.order() <= 2 ? "′".repeat(v.order()) : "^(" + v.order() + ")";
        return name + marks + "(" + v.at() + ")";
    }
}
