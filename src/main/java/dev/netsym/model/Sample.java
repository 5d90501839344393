package dev.netsym.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One data sample: a value for every input and target. */
public record Sample(Map<String, Rational> values, SourcePos pos) {
    public Sample {
        // In the order given: Map.copyOf iterates in an order that changes from run to run, and
        // outputs that list a sample's values must read the same every time.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
