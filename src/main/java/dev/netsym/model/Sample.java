package dev.netsym.model;

import java.util.Map;

/** One data sample: a value for every input and target. */
public record Sample(Map<String, Rational> values, SourcePos pos) {
    public Sample { values = Map.copyOf(values); }
}
