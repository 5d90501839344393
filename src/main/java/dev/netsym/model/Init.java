package dev.netsym.model;

/** How a parameter starts. */
public sealed interface Init {
    /** A known number, e.g. {@code init all = 0}. */
    record Numeric(Rational value) implements Init {
        @Override public String toString() { return value.toString(); }
    }

    /** A named unknown shared by every parameter given it, e.g. {@code init all = a}. */
    record Symbolic(String symbol) implements Init {
        @Override public String toString() { return symbol; }
    }

    /** Its own independent value, unrelated to every other parameter's. */
    record Random() implements Init {
        @Override public String toString() { return "random"; }
    }
}
