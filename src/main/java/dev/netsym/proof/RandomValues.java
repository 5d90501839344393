package dev.netsym.proof;

import dev.netsym.model.Assumption;
import dev.netsym.model.Rational;
import dev.netsym.model.Sign;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random rationals for evaluation points and witnesses, each inside the interval the
 * spec's assumptions allow for its name.
 */
final class RandomValues {
    private record Interval(Rational low, boolean lowOpen, Rational high, boolean highOpen) {
        static final Interval ALL = new Interval(null, true, null, true);

        Interval with(Assumption a) {
            Rational b = a.bound();
            return switch (a.relation()) {
                case GT -> tighterLow(b, true);
                case GE -> tighterLow(b, false);
                case LT -> tighterHigh(b, true);
                case LE -> tighterHigh(b, false);
            };
        }

        private Interval tighterLow(Rational b, boolean open) {
            if (low != null && low.compareTo(b) > 0) return this;
            boolean same = low != null && low.compareTo(b) == 0;
            return new Interval(b, open || (same && lowOpen), high, highOpen);
        }

        private Interval tighterHigh(Rational b, boolean open) {
            if (high != null && high.compareTo(b) < 0) return this;
            boolean same = high != null && high.compareTo(b) == 0;
            return new Interval(low, lowOpen, b, open || (same && highOpen));
        }
    }

    private final Map<String, Interval> intervals = new HashMap<>();
    private final Random random;
    /** Magnitudes are divided by this, to keep wide sums out of tanh's and sigmoid's flat tails. */
    private Rational scale = Rational.ONE;

    RandomValues(List<Assumption> assumptions, long seed) {
        for (Assumption a : assumptions) intervals.merge(a.name(), Interval.ALL.with(a), (x, y) -> x.with(a));
        this.random = new Random(seed);
    }

    /** Divides every magnitude drawn from now on by {@code divisor}. */
    RandomValues scaledDownBy(int divisor) {
        scale = Rational.of(1, Math.max(1, divisor));
        return this;
    }

    /** The sign an assumption gives a name, if any. */
    Sign sign(String name) {
        Interval i = intervals.get(name);
        if (i == null) return Sign.UNKNOWN;
        if (i.low != null && (i.low.signum() > 0 || (i.low.signum() == 0 && i.lowOpen))) return Sign.POSITIVE;
        if (i.low != null && i.low.signum() == 0) return Sign.NONNEGATIVE;
        if (i.high != null && (i.high.signum() < 0 || (i.high.signum() == 0 && i.highOpen))) return Sign.NEGATIVE;
        if (i.high != null && i.high.signum() == 0) return Sign.NONPOSITIVE;
        return Sign.UNKNOWN;
    }

    /** A random value with a small numerator and denominator, generic enough to avoid coincidences. */
    Rational generic(String name) {
        Rational magnitude = Rational.of(1 + random.nextInt(97), 1 + random.nextInt(31)).multiply(scale);
        return place(name, magnitude, random.nextBoolean());
    }

    /**
     * A small non-zero integer (or a simple fraction when an interval needs it), for readable
     * witnesses; successive calls give distinct magnitudes, so that data values differ.
     */
    Rational small(String name) {
        Rational magnitude = Rational.of(++smallCount + random.nextInt(2)).multiply(scale);
        return place(name, magnitude, false);
    }

    private int smallCount;

    /**
     * A uniform draw from (0, 1), to three decimals, inside the name's interval: targets that
     * keep a cross-entropy or a squared error bounded below, as real targets do.
     */
    Rational fraction(String name) {
        Rational magnitude = Rational.of(1 + random.nextInt(999), 1000);
        return place(name, magnitude, false);
    }

    /**
     * A normal draw of standard deviation {@code deviation}, to three decimals and never 0,
     * inside the name's interval: values that look like a real initialisation or data set.
     */
    Rational normal(String name, double deviation) {
        double draw = random.nextGaussian() * deviation;
        Rational magnitude = Rational.of(Math.max(1, Math.round(Math.abs(draw) * 1000)), 1000);
        return place(name, magnitude, draw < 0);
    }

    /** Uniform on {1, ..., 2^61 − 1}: the sampling set the Schwartz–Zippel bound is computed over. */
    long residue() {
        long r;
        do {
            r = random.nextLong() >>> 3;
        } while (r == dev.netsym.calculus.ModularArithmetic.SAMPLING_SET_SIZE);
        return r + 1;
    }

    long nextSeed() { return random.nextLong(); }

    private Rational place(String name, Rational magnitude, boolean negative) {
        Interval i = intervals.get(name);
        if (i == null) return negative ? magnitude.negate() : magnitude;
        if (i.low != null && i.high != null) {
            // Strictly inside (low, high), at a random fraction of the way: a fine grid, since a
            // coarse one can land only on the roots of a polynomial with many roots in the interval.
            Rational t = Rational.of(1 + random.nextInt(9999), 10000);
            return i.low.add(i.high.subtract(i.low).multiply(t));
        }
        if (i.low != null) return i.low.add(magnitude);
        if (i.high != null) return i.high.subtract(magnitude);
        return magnitude;
    }
}
