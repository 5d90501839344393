package dev.netsym.proof;

/** What is known of a value's sign on the whole subspace. */
enum Sign {
    NEGATIVE, NONPOSITIVE, ZERO, NONNEGATIVE, POSITIVE, UNKNOWN;

    static Sign of(int signum) {
        return signum < 0 ? NEGATIVE : signum > 0 ? POSITIVE : ZERO;
    }

    boolean atMostZero() { return this == NEGATIVE || this == NONPOSITIVE || this == ZERO; }

    boolean atLeastZero() { return this == POSITIVE || this == NONNEGATIVE || this == ZERO; }

    Sign negate() {
        return switch (this) {
            case NEGATIVE -> POSITIVE;
            case NONPOSITIVE -> NONNEGATIVE;
            case NONNEGATIVE -> NONPOSITIVE;
            case POSITIVE -> NEGATIVE;
            default -> this;
        };
    }

    Sign plus(Sign o) {
        if (this == ZERO) return o;
        if (o == ZERO) return this;
        if (atLeastZero() && o.atLeastZero()) return this == POSITIVE || o == POSITIVE ? POSITIVE : NONNEGATIVE;
        if (atMostZero() && o.atMostZero()) return this == NEGATIVE || o == NEGATIVE ? NEGATIVE : NONPOSITIVE;
        return UNKNOWN;
    }

    Sign times(Sign o) {
        if (this == ZERO || o == ZERO) return ZERO;
        if (this == UNKNOWN || o == UNKNOWN) return UNKNOWN;
        boolean strict = (this == POSITIVE || this == NEGATIVE) && (o == POSITIVE || o == NEGATIVE);
        boolean nonneg = atLeastZero() == o.atLeastZero();
        if (strict) return nonneg ? POSITIVE : NEGATIVE;
        return nonneg ? NONNEGATIVE : NONPOSITIVE;
    }
}
