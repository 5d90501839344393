package dev.netsym.proof;

/**
 * A concrete run of gradient descent that shows two parameters separate (or one moves).
 *
 * @param run the run's setup: start values, data, η, activations, arithmetic
 * @param step the first step after which the values differ
 * @param firstValue the first parameter's value after that step
 * @param secondValue the second parameter's value (or the moved parameter's initial value)
 */
public record Witness(WitnessRun run, int step, String firstValue, String secondValue) {}
