package dev.netsym.model;

/**
 * A trainable value, with how it starts, where it first appears, and its learning rate as a
 * multiple of the optimiser's (1 unless the spec puts it in a parameter group with 'lr').
 */
public record Parameter(String name, Init init, SourcePos pos, Rational learningRate) {
    public Parameter {
        if (learningRate.signum() <= 0) throw new IllegalArgumentException("learning rate " + learningRate + " of " + name);
    }

    /** A parameter trained at the optimiser's own learning rate. */
    public Parameter(String name, Init init, SourcePos pos) {
        this(name, init, pos, Rational.ONE);
    }
}
