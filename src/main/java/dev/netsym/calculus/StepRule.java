package dev.netsym.calculus;

import dev.netsym.model.Rational;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one optimiser step turns the gradient g into new values, beyond θ ← θ − η·g: a learning
 * rate per parameter (parameter groups), a penalty that acts on θ itself (L2 or decoupled weight
 * decay λθ, the L1 term λ·sign θ), gradient noise, and Adam's moment estimates. Runs use it to
 * show what an optimiser does to parameters the plain theorem keeps equal.
 *
 * <p>Its parts: each parameter's learning rate as a multiple of η (in the tape's order), the term
 * a step adds to the gradient besides the loss's (a penalty on θ, or noise) with its strength λ,
 * and whether the update is Adam's m̂/(√v̂ + ε) instead of the gradient itself.
 */
public final class StepRule {
    /** Adam's defaults as PyTorch sets them, written as exact fractions. */
    static final Rational BETA1 = Rational.of(9, 10);
    static final Rational BETA2 = Rational.of(999, 1000);
    static final Rational EPSILON = Rational.of(1, 100_000_000);

    public enum Term {
        NONE("nothing"),
        /** λθ added to the gradient, before any moment estimate sees it. */
        L2("L2 weight decay"),
        /** θ ← θ − ηλθ beside the update (AdamW); for plain gradient descent the same as L2. */
        DECOUPLED("decoupled weight decay"),
        /** λ·sign θ added to the gradient. */
        L1("L1 penalty"),
        /**
         * λ·ξ added to the gradient, ξ a fixed draw per step and parameter: integers from −8 to
         * 8 that depend on (step, parameter) alone, so the run replays exactly.
         */
        NOISE("additive gradient noise");

        private final String description;

        Term(String description) { this.description = description; }

        public String description() { return description; }
    }

    private final Rational[] rates;
    private final Term term;
    private final Rational strength;
    private final boolean adam;
    /** Witness runs are map keys, one per separation of a million-weight network: hash the rates once. */
    private int hash;
    private final boolean plain;

    public StepRule(Rational[] rates, Term term, Rational strength, boolean adam) {
        this.rates = rates.clone();
        this.term = term;
        this.strength = strength;
        this.adam = adam;
        this.plain = term == Term.NONE && !adam && Arrays.stream(rates).allMatch(r -> r.equals(Rational.ONE));
    }

    public Term term() { return term; }

    public Rational strength() { return strength; }

    public boolean adam() { return adam; }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof StepRule r && term == r.term && strength.equals(r.strength) && adam == r.adam
                && hashCode() == r.hashCode() && Arrays.equals(rates, r.rates);
    }

    @Override
    public int hashCode() {
        if (hash == 0) hash = (Arrays.hashCode(rates) * 31 + java.util.Objects.hash(term, strength, adam)) | 1;
        return hash;
    }

    @Override
    public String toString() {
        return describe();
    }

    public Rational[] rates() {
        return rates.clone();
    }

    /** Parameter p's learning rate as a multiple of η. */
    public Rational rate(int p) {
        return rates[p];
    }

    /** Plain gradient descent: every parameter at η, nothing else. */
    public static StepRule plain(int parameterCount) {
        Rational[] ones = new Rational[parameterCount];
        Arrays.fill(ones, Rational.ONE);
        return new StepRule(ones, Term.NONE, Rational.ZERO, false);
    }

    public StepRule withTerm(Term newTerm, Rational newStrength) {
        return new StepRule(rates, newTerm, newStrength, adam);
    }

    public StepRule withAdam(boolean useAdam) {
        return new StepRule(rates, term, strength, useAdam);
    }

    /** Whether the rule needs square roots (Adam): no run in exact rationals then. */
    public boolean needsRoots() {
        return adam;
    }

    /** Whether this is θ ← θ − η·g for every parameter. */
    public boolean isPlain() {
        return plain;
    }

    /** How a run with this rule steps, for the reader of a witness. */
    public String describe() {
        StringBuilder s = new StringBuilder(adam ? "Adam (β₁ = " + BETA1 + ", β₂ = " + BETA2 + ", ε = 1e-8)"
                : "gradient descent");
        List<String> extras = new ArrayList<>();
        if (!Arrays.stream(rates).allMatch(r -> r.equals(Rational.ONE))) extras.add("a learning rate per parameter");
        switch (term) {
            case NONE -> { }
            case NOISE -> extras.add("noise λ·ξ added to each gradient (λ = " + strength + ", ξ a fixed integer from"
                    + " −8 to 8 per step and parameter)");
            default -> extras.add(term.description() + " λ = " + strength);
        }
        if (!extras.isEmpty()) s.append(" with ").append(String.join(" and ", extras));
        return s.toString();
    }

    /** One run's optimiser: the moment estimates live here, one per parameter. */
    public <T> Stepper<T> start(Arithmetic<T> arithmetic) {
        return new Stepper<>(this, arithmetic);
    }

    /** The state of one run; {@link #next} makes one step. */
    public static final class Stepper<T> {
        private final StepRule rule;
        private final Arithmetic<T> a;
        private final T[] rates;
        private final T strength;
        private final boolean plain;
        private T[] firstMoment;
        private T[] secondMoment;
        private int steps;

        Stepper(StepRule rule, Arithmetic<T> arithmetic) {
            this.rule = rule;
            this.a = arithmetic;
            plain = rule.isPlain();
            // Plain steps need no rates: no conversion of a million ones.
            rates = a.newArray(plain ? 0 : rule.rates.length);
            for (int p = 0; p < rates.length; p++) rates[p] = a.fromRational(rule.rate(p));
            strength = a.fromRational(rule.strength);
        }

        /** The values after one step from {@code current} with the summed gradient {@code gradient}. */
        public T[] next(T[] current, T[] gradient, T learningRate) {
            steps++;
            if (plain) {
                T[] next = a.newArray(current.length);
                for (int p = 0; p < next.length; p++) next[p] = a.subtract(current[p], a.multiply(learningRate, gradient[p]));
                return next;
            }
            T[] g = gradient.clone();
            // Without moment estimates, decay beside the update is decay in the gradient.
            if (rule.term == Term.L2 || rule.term == Term.DECOUPLED && !rule.adam) {
                for (int p = 0; p < g.length; p++) g[p] = a.add(g[p], a.multiply(strength, current[p]));
            } else if (rule.term == Term.L1) {
                for (int p = 0; p < g.length; p++) g[p] = a.add(g[p], a.multiply(strength, a.sign(current[p])));
            } else if (rule.term == Term.NOISE) {
                for (int p = 0; p < g.length; p++) g[p] = a.add(g[p], a.multiply(strength, a.fromRational(Rational.of(noise(steps, p)))));
            }
            T[] update = rule.adam ? adamUpdate(g) : g;
            T[] next = a.newArray(current.length);
            for (int p = 0; p < next.length; p++) {
                T step = a.multiply(a.multiply(learningRate, rates[p]), update[p]);
                if (rule.adam && rule.term == Term.DECOUPLED) {
                    step = a.add(step, a.multiply(a.multiply(learningRate, rates[p]), a.multiply(strength, current[p])));
                }
                next[p] = a.subtract(current[p], step);
            }
            return next;
        }

        /** The noise of step t at parameter p: a hash of both, −8 … 8. */
        public static int noise(int step, int p) {
            long h = (step * 0x9E3779B97F4A7C15L) ^ (p * 0xC2B2AE3D27D4EB4FL);
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 32;
            return (int) Math.floorMod(h, 17L) - 8;
        }

        /** m̂ / (√v̂ + ε) per coordinate, with the bias corrections of step t. */
        private T[] adamUpdate(T[] g) {
            T beta1 = a.fromRational(BETA1);
            T beta2 = a.fromRational(BETA2);
            if (firstMoment == null) {
                firstMoment = a.newArray(g.length);
                secondMoment = a.newArray(g.length);
                Arrays.fill(firstMoment, a.zero());
                Arrays.fill(secondMoment, a.zero());
            }
            T firstCorrection = a.subtract(a.one(), a.power(beta1, steps));
            T secondCorrection = a.subtract(a.one(), a.power(beta2, steps));
            T epsilon = a.fromRational(EPSILON);
            T[] update = a.newArray(g.length);
            for (int p = 0; p < g.length; p++) {
                firstMoment[p] = a.add(a.multiply(beta1, firstMoment[p]), a.multiply(a.subtract(a.one(), beta1), g[p]));
                secondMoment[p] = a.add(a.multiply(beta2, secondMoment[p]),
                        a.multiply(a.subtract(a.one(), beta2), a.multiply(g[p], g[p])));
                T mHat = a.divide(firstMoment[p], firstCorrection);
                T vHat = a.divide(secondMoment[p], secondCorrection);
                update[p] = a.divide(mHat, a.add(a.sqrt(vHat), epsilon));
            }
            return update;
        }
    }
}
