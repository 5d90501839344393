package dev.netsym.proof;

import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import java.util.HashMap;
import java.util.Map;

/** Looks up a network's parameters by name, or in the tape's index order used by the numeric passes. */
final class Parameters {
    private Parameters() {}

    static Map<String, Parameter> byName(Network network) {
        Map<String, Parameter> byName = new HashMap<>();
        for (Parameter p : network.parameters()) byName.put(p.name(), p);
        return byName;
    }

    /** Parameter i of the result is the tape's parameter i. */
    static Parameter[] inTapeOrder(Network network, Tape tape) {
        Map<String, Parameter> byName = byName(network);
        Parameter[] ordered = new Parameter[tape.parameterCount()];
        for (int i = 0; i < ordered.length; i++) ordered[i] = byName.get(tape.parameterNames().get(i));
        return ordered;
    }
}
