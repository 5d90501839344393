package dev.netsym.model;

/** What is known of a value's sign on the whole subspace. */
public enum Sign {
    NEGATIVE, NONPOSITIVE, ZERO, NONNEGATIVE, POSITIVE, UNKNOWN;

    public static Sign of(int signum) {
        return signum < 0 ? NEGATIVE : signum > 0 ? POSITIVE : ZERO;
    }

    public boolean atMostZero() { return this == NEGATIVE || this == NONPOSITIVE || this == ZERO; }

    public boolean atLeastZero() { return this == POSITIVE || this == NONNEGATIVE || this == ZERO; }

    public Sign negate() {
        return switch (this) {
            case NEGATIVE -> POSITIVE;
            case NONPOSITIVE -> NONNEGATIVE;
            case NONNEGATIVE -> NONPOSITIVE;
            case POSITIVE -> NEGATIVE;
            default -> this;
        };
    }

    public Sign plus(Sign o) {
        if (this == ZERO) return o;
        if (o == ZERO) return this;
        if (atLeastZero() && o.atLeastZero()) return this == POSITIVE || o == POSITIVE ? POSITIVE : NONNEGATIVE;
        if (atMostZero() && o.atMostZero()) return this == NEGATIVE || o == NEGATIVE ? NEGATIVE : NONPOSITIVE;
        return UNKNOWN;
    }

    public Sign times(Sign o) {
        if (this == ZERO || o == ZERO) return ZERO;
        if (this == UNKNOWN || o == UNKNOWN) return UNKNOWN;
        boolean strict = (this == POSITIVE || this == NEGATIVE) && (o == POSITIVE || o == NEGATIVE);
        boolean nonneg = atLeastZero() == o.atLeastZero();
        if (strict) return nonneg ? POSITIVE : NEGATIVE;
        return nonneg ? NONNEGATIVE : NONPOSITIVE;
    }
}
