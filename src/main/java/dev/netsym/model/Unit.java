package dev.netsym.model;

/**
 * A unit: a named value computed from inputs, parameters and earlier units.
 * {@code layer} names the dense layer that created it, or is null for a unit written out.
 */
public record Unit(String name, Expr definition, SourcePos pos, String layer) {}
