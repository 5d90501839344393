package dev.netsym.proof;

/**
 * An initial value at which more stays equal or more stays put than in general, found by
 * solving and confirmed by proving again with that value.
 *
 * @param symbol the initial-value symbol (a)
 * @param value the value (0)
 * @param trainableValues how many values training adjusts then
 * @param frozenCount how many parameters never move then
 * @param summary one line saying what changes, e.g. "every gradient is 0: nothing ever moves"
 */
public record SpecialValue(String symbol, String value, long trainableValues, int frozenCount, String summary) {}
