package dev.netsym.calculus;

/** Three-valued answer of a zero test: a proof may only use ZERO and NONZERO. */
public enum SymbolicVerdict { ZERO, NONZERO, UNKNOWN }
