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

    /** Parameter i of the result is the tape's parameter i (the tape keeps the network's order). */
    static Parameter[] inTapeOrder(Network network, Tape tape) {
        Parameter[] ordered = network.parameters().toArray(new Parameter[0]);
        if (ordered.length != tape.parameterCount()) throw new IllegalArgumentException("the tape is of another network");
        return ordered;
    }
}
