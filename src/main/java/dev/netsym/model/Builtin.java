package dev.netsym.model;

import java.util.Arrays;
import java.util.Optional;

/** The functions the spec language knows, with their arity. */
public enum Builtin {
    RELU("relu", 1),
    LEAKY_RELU("leaky_relu", 2),
    TANH("tanh", 1),
    SIGMOID("sigmoid", 1),
    SOFTPLUS("softplus", 1),
    EXP("exp", 1),
    LOG("log", 1);

    private final String specName;
    private final int arity;

    Builtin(String specName, int arity) {
        this.specName = specName;
        this.arity = arity;
    }

    public String specName() { return specName; }
    public int arity() { return arity; }

    public static Optional<Builtin> byName(String name) {
        return Arrays.stream(values()).filter(b -> b.specName.equals(name)).findFirst();
    }
}
