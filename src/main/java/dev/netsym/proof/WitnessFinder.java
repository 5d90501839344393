package dev.netsym.proof;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.ArithmeticKind;
import dev.netsym.calculus.DecimalArithmetic;
import dev.netsym.calculus.DoubleArithmetic;
import dev.netsym.calculus.DoubleDouble;
import dev.netsym.calculus.DoubleDoubleArithmetic;
import dev.netsym.calculus.Evaluation;
import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.GradientDescentSimulation;
import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Builtin;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns every split and every move the refinement found into a concrete run of gradient
 * descent from the spec's initialisation: small initial values and data, η = 1/10, computed
 * exactly where the network allows (rationals; modulo a prime for big polynomial networks,
 * where differing residues prove differing values), else in 40-digit decimals.
 */
final class WitnessFinder {
    /**
     * Runs tried while some split or first move is unseen (each from other random values, one
     * step longer). A relu that is off at one position in a run hides what passes through it: with
     * 4, sixteen kernel elements of a small ResNet (one corner of a 2x2 map) stayed undecided.
     */
    private static final int TRIES = 8;
    /** Exact rationals grow fast; beyond this many parameters a polynomial network runs modulo p. */
    private static final int EXACT_LIMIT = 2_000;
    private static final int MAX_EXACT_BITS = 4_000;

    private final Network network;
    private final Tape tape;
    private final Parameter[] parameters;
    /** Whether a network that needs decimals runs in double-double: the search's choice, for big networks. */
    private final boolean doubleDouble;

    /** Which parameters are the negatives of their class's value: their pairs are compared up to sign. */
    private final boolean[] negated;
    /** The optimiser the runs use: plain gradient descent, or the spec's (learning-rate groups, decay). */
    private final StepRule rule;
    /** Per parameter, the first step at which one of the runs moved it (0: none did). */
    private final int[] earliestMoves;
    /** The tape's nodes whose function has a kink where its argument (a − b for max, min) is 0. */
    private final int[] kinkNodes;
    private static final Set<Builtin> KINKS = EnumSet.of(Builtin.RELU, Builtin.LEAKY_RELU, Builtin.ABS, Builtin.MAX, Builtin.MIN);

    WitnessFinder(Network network, Tape tape, boolean doubleDouble, boolean[] negated, StepRule rule) {
        this.negated = negated;
        this.rule = rule;
        this.network = network;
        this.tape = tape;
        this.doubleDouble = doubleDouble;
        parameters = Parameters.inTapeOrder(network, tape);
        earliestMoves = new int[parameters.length];
        kinkNodes = java.util.stream.IntStream.range(0, tape.nodeCount())
                .filter(n -> tape.operation(n) == Tape.Operation.BUILTIN && KINKS.contains(tape.builtin(n))).toArray();
    }

    /** Per parameter, the first step at which one of the runs {@link #find} made moved it (0: none did). */
    int[] earliestMoves() { return earliestMoves; }

    /** A witness per event, in event order; empty where none was found within a few tries. */
    List<Optional<Witness>> find(List<InvariantSearch.Event> events, long seed, long deadlineNanos) {
        return find(events, new int[parameters.length], seed, deadlineNanos);
    }

    /**
     * The same, also trying further runs (within the few tries) until each parameter with a
     * proved first step {@code notBefore[p] > 0} is seen moving at exactly that step.
     */
    List<Optional<Witness>> find(List<InvariantSearch.Event> events, int[] notBefore, long seed, long deadlineNanos) {
        List<Optional<Witness>> found = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) found.add(Optional.empty());
        if (events.isEmpty()) return found;
        int steps = Math.max(java.util.Arrays.stream(notBefore).max().orElse(0),
                events.stream().mapToInt(InvariantSearch.Event::round).max().orElse(1)) + 1;
        RandomValues random = new RandomValues(network.assumptions(), seed).scaledDownBy(magnitudeDivisor());
        for (int attempt = 0; attempt < TRIES && (found.contains(Optional.<Witness>empty())
                || firstMoveUnseen(notBefore)); attempt++) {
            if (System.nanoTime() > deadlineNanos) break;
            try {
                runOnce(events, steps + attempt, random, attempt, found);
            } catch (ArithmeticException e) {
                // A start where a denominator vanishes: the next attempt draws other values.
            }
        }
        return found;
    }

    private boolean firstMoveUnseen(int[] notBefore) {
        for (int p = 0; p < notBefore.length; p++) if (notBefore[p] > 0 && earliestMoves[p] != notBefore[p]) return true;
        return false;
    }

    /**
     * Exact rationals while the numbers stay readable; past that, modulo a prime for rational
     * networks (differing residues still prove differing values), else 40-digit decimals.
     */
    private void runOnce(List<InvariantSearch.Event> events, int steps, RandomValues random, int attempt,
                         List<Optional<Witness>> found) {
        // Adam's square roots leave the rationals: such runs go in decimals.
        ArithmeticKind kind = rule.needsRoots() ? ArithmeticKind.DECIMAL : ArithmeticKind.requiredFor(tape);
        long seed = random.nextSeed();
        if (kind != ArithmeticKind.DECIMAL && tape.parameterCount() <= EXACT_LIMIT) {
            try {
                simulate(new SizeBoundedArithmetic(new ExactArithmetic(seed), MAX_EXACT_BITS), events, steps,
                        draws(seed), seed, attempt, found);
                return;
            } catch (SizeBoundedArithmetic.TooLarge e) {
                // Fall through to a cheaper arithmetic with the same random choices.
            }
        }
        // Residues have no sign: an L1 step needs one, so such a run goes in decimals too.
        Arithmetic<?> arithmetic = kind == ArithmeticKind.MODULAR && rule.term() != StepRule.Term.L1
                ? new ModularArithmetic(seed)
                : doubleDouble ? new DoubleDoubleArithmetic(seed) : new DecimalArithmetic(seed, new MathContext(40));
        simulate(arithmetic, events, steps, draws(seed), seed, attempt, found);
    }

    /** The random choices of one attempt, replayable in a second arithmetic. */
    private RandomValues draws(long seed) {
        return new RandomValues(network.assumptions(), seed).scaledDownBy(magnitudeDivisor());
    }

    /**
     * From an initialisation with many equal values, a unit sums n like terms, not n random
     * ones: values of size 1/n keep such sums O(1) and the run out of tanh's flat tails, where
     * steps would change the parameters below double-double's resolution.
     */
    private int magnitudeDivisor() {
        if (!doubleDouble) return InvariantSearch.magnitudeDivisor(tape);
        return tape.widestSum();
    }

    private <T> void simulate(Arithmetic<T> arithmetic, List<InvariantSearch.Event> events, int steps,
                              RandomValues random, long seed, int attempt, List<Optional<Witness>> found) {
        // Where f is only a choice of values (exact, modular), the run notes the values it used.
        boolean record = !tape.genericActivationsUsed().isEmpty()
                && arithmetic.genericFormula(tape.genericActivationsUsed().iterator().next(), "z").isEmpty();
        ActivationRecorder<T> recorder = record ? new ActivationRecorder<>(arithmetic) : null;
        Arithmetic<T> a = record ? recorder : arithmetic;
        NumberTexts start = new NumberTexts();
        Map<String, Rational> symbolValues = new HashMap<>();
        T[] initial = a.newArray(parameters.length);
        Rational[] startValues = new Rational[parameters.length];
        List<Rational[]> drawnData = new ArrayList<>();
        for (int p = 0; p < parameters.length; p++) {
            Init init = parameters[p].init();
            Rational v;
            if (init instanceof Init.Numeric num) {
                v = num.value();
            } else {
                String symbol = init instanceof Init.Symbolic s ? s.symbol() : parameters[p].name();
                v = symbolValues.get(symbol);
                if (v == null) {
                    v = attempt == 0 ? random.small(symbol) : random.generic(symbol);
                    symbolValues.put(symbol, v);
                    start.put(symbol, v);
                }
                if (init instanceof Init.Symbolic s && !s.coefficient().isOne()) v = v.multiply(s.coefficient());
            }
            initial[p] = a.fromRational(v);
            startValues[p] = v;
        }
        List<Map<String, String>> shownData = new ArrayList<>();
        List<T[]> samples = new ArrayList<>();
        List<Sample> data = network.data();
        if (data.isEmpty()) {
            T[] values = a.newArray(tape.dataNames().size());
            Rational[] drawn = new Rational[values.length];
            NumberTexts shown = new NumberTexts();
            for (int i = 0; i < values.length; i++) {
                String name = tape.dataNames().get(i);
                Rational v = attempt == 0 ? random.small(name) : random.generic(name);
                values[i] = a.fromRational(v);
                drawn[i] = v;
                shown.put(name, v);
            }
            samples.add(values);
            drawnData.add(drawn);
            shownData.add(shown);
        } else {
            for (Sample s : data) samples.add(tape.dataValues(a, s));
        }
        Rational eta = Rational.of(1, 10);
        var trajectory = new GradientDescentSimulation<>(tape, a, rule).run(initial, samples, a.fromRational(eta), steps);
        boolean exact = !(arithmetic instanceof DecimalArithmetic || arithmetic instanceof DoubleDoubleArithmetic);
        String how = arithmetic instanceof ModularArithmetic ? "exact, " + arithmetic
                : arithmetic instanceof SizeBoundedArithmetic ? "exact rational arithmetic"
                : arithmetic instanceof DoubleDoubleArithmetic ? "double-double arithmetic, about 31 digits"
                : "40-digit decimal arithmetic";
        List<WitnessRun.Activation> activations = new ArrayList<>();
        for (String name : tape.genericActivationsUsed()) {
            activations.add(new WitnessRun.Activation(name, arithmetic.genericFormula(name, "z"),
                    record ? recorder.values(name, v -> exactly(arithmetic, v)) : List.of()));
        }
        WitnessRun run = new WitnessRun(start, shownData, eta.toString(), activations, exact, how, rule);
        // Rounding noise can look like a move where the true values are equal: an ill-conditioned
        // step (a norm of a row with no variance divides by √ε) or an unstable network can lift it
        // far above the arithmetic's tolerance, even to differences of order 1. A difference in a
        // rounded run counts only if a replay with other digits shows the same difference.
        Replay replay = exact ? null
                : new Replay(new RoundedRun<>(a, trajectory, samples), startValues, drawnData, eta, steps, seed);
        for (int p = 0; p < parameters.length; p++) {
            OptionalInt moved = trajectory.firstStepWhereMoved(p);
            if (moved.isPresent() && replay != null
                    && !replay.confirms(moved.getAsInt(), p, -1, false, trajectory.value(moved.getAsInt(), p), trajectory.value(0, p))) {
                continue;
            }
            if (moved.isPresent() && (earliestMoves[p] == 0 || moved.getAsInt() < earliestMoves[p])) {
                earliestMoves[p] = moved.getAsInt();
            }
        }
        for (int i = 0; i < events.size(); i++) {
            if (found.get(i).isPresent()) continue;
            InvariantSearch.Event e = events.get(i);
            OptionalInt step = e.second() < 0 ? trajectory.firstStepWhereMoved(e.first())
                    : trajectory.firstStepWhereDiffer(e.first(), e.second(), negated[e.first()] != negated[e.second()]);
            if (step.isEmpty()) continue;
            int t = step.getAsInt();
            T first = trajectory.value(t, e.first());
            T second = e.second() < 0 ? trajectory.value(0, e.first()) : trajectory.value(t, e.second());
            boolean opposite = e.second() >= 0 && negated[e.first()] != negated[e.second()];
            if (replay != null && !replay.confirms(t, e.first(), e.second(), opposite, first, second)) continue;
            int digits = digitsToTellApart(first, second, opposite);
            found.set(i, Optional.of(new Witness(run, t, show(arithmetic, first, digits), show(arithmetic, second, digits))));
        }
    }

    /** The decimal replay's digits: far beyond double-double's 31 and the 40-digit decimals. */
    private static final int REPLAY_DIGITS = 100;
    /** Networks up to this many parameters are replayed in decimals where doubles do not decide. */
    private static final int DECIMAL_REPLAY_LIMIT = 20_000;

    /**
     * The same run with far more or far fewer digits, made on first need, to tell real
     * differences from rounding noise: noise changes by orders of magnitude with the digits, a
     * real difference does not.
     */
    private final class Replay {
        private final RoundedRun<?> original;
        private final Rational[] start;
        private final List<Rational[]> drawnData;
        private final Rational eta;
        private final int steps;
        private final long seed;
        private Object[] originalKinks;
        private Optional<RoundedRun<?>> inDoubles;
        private Optional<RoundedRun<?>> inDecimals;

        Replay(RoundedRun<?> original, Rational[] start, List<Rational[]> drawnData, Rational eta, int steps, long seed) {
            this.original = original;
            this.start = start;
            this.drawnData = drawnData;
            this.eta = eta;
            this.steps = steps;
            this.seed = seed;
        }

        /**
         * Whether the difference seen at {@code step} (second < 0: a move from the start) is real:
         * whether a replay with far more digits (decimals) or far fewer (doubles) shows the same
         * difference to 1%. Rounding noise changes by orders of magnitude with the digits; a real
         * difference does not. Every difference is checked, however large: an unstable network can
         * lift noise of the last digit into a difference of order 1 within two steps.
         */
        boolean confirms(int step, int first, int second, boolean opposite, Object seenFirst, Object seenSecond) {
            Object seen = difference(seenFirst, seenSecond, opposite);
            if (signum(seen) <= 0) return false;
            // A double-double run (a big network) is replayed in doubles first, whose noise is 10^16
            // times its own, at a small part of the run's cost. Doubles cannot see the smallest real
            // moves: up to the decimal limit, 100-digit decimals decide those.
            if (doubleDouble) {
                if (inDoubles == null) inDoubles = trusted(new DoubleArithmetic(seed));
                if (inDoubles.isPresent() && inDoubles.get().agrees(step, first, second, opposite, seen)) return true;
            }
            if (tape.parameterCount() > DECIMAL_REPLAY_LIMIT) return false;
            if (inDecimals == null) inDecimals = trusted(new DecimalArithmetic(seed, new MathContext(REPLAY_DIGITS)));
            return inDecimals.isPresent() && inDecimals.get().agrees(step, first, second, opposite, seen);
        }

        /**
         * The replay in this arithmetic, if it took every branch the run took for the same reason:
         * each argument of relu, abs, leaky_relu, max or min (a − b) the same to 1% in both runs. An
         * argument that is only rounding noise around a kink (a value that is 0, computed along two
         * paths) has a sign chosen by the noise, and the sign can be the same at any number of digits,
         * while its size changes with them: such a run shows nothing. Empty also where the replay
         * fails (a denominator at 0 in doubles only).
         */
        private Optional<RoundedRun<?>> trusted(Arithmetic<?> arithmetic) {
            RoundedRun<?> replayed;
            Object[] kinks;
            try {
                replayed = run(arithmetic);
                if (originalKinks == null) originalKinks = original.kinkArguments(tape, kinkNodes);
                kinks = replayed.kinkArguments(tape, kinkNodes);
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
            if (kinks.length != originalKinks.length) return Optional.empty();
            for (int i = 0; i < kinks.length; i++) {
                if (!sameToOnePercent(originalKinks[i], kinks[i])) return Optional.empty();
            }
            return Optional.of(replayed);
        }

        private <T> RoundedRun<T> run(Arithmetic<T> arithmetic) {
            T[] initial = arithmetic.newArray(start.length);
            for (int p = 0; p < start.length; p++) initial[p] = arithmetic.fromRational(start[p]);
            List<T[]> samples = new ArrayList<>();
            if (drawnData.isEmpty()) {
                for (Sample s : network.data()) samples.add(tape.dataValues(arithmetic, s));
            } else {
                for (Rational[] drawn : drawnData) {
                    T[] values = arithmetic.newArray(drawn.length);
                    for (int i = 0; i < drawn.length; i++) values[i] = arithmetic.fromRational(drawn[i]);
                    samples.add(values);
                }
            }
            if (samples.size() != original.samples().size()) {
                throw new IllegalStateException("replay with " + samples.size() + " samples, not " + original.samples().size());
            }
            return new RoundedRun<>(arithmetic, new GradientDescentSimulation<>(tape, arithmetic, rule)
                    .run(initial, samples, arithmetic.fromRational(eta), steps), samples);
        }
    }

    /** A run in rounded arithmetic: its trajectory, the arithmetic that reads it, its samples. */
    private record RoundedRun<T>(Arithmetic<T> arithmetic, GradientDescentSimulation.Trajectory<T> trajectory, List<T[]> samples) {
        /**
         * The argument of every kink the run's steps passed (per step, per sample, per node: the
         * first argument, or a − b for max and min), in the same order in every run: a double-double
         * as a double, a decimal as it is.
         */
        Object[] kinkArguments(Tape tape, int[] nodes) {
            Object[] out = new Object[trajectory.stepCount() * samples.size() * nodes.length];
            if (nodes.length == 0) return out;
            int k = 0;
            for (int step = 0; step < trajectory.stepCount(); step++) {
                T[] parameters = trajectory.values(step);
                for (T[] sample : samples) {
                    Evaluation<T> evaluation = tape.evaluate(arithmetic, parameters, sample);
                    for (int node : nodes) {
                        T x = evaluation.value(tape.child(node, 0));
                        if (tape.childCount(node) == 2) x = arithmetic.subtract(x, evaluation.value(tape.child(node, 1)));
                        out[k++] = comparable(x);
                    }
                }
            }
            return out;
        }

        /** Its precision is not needed to compare to 1%. */
        private static Object comparable(Object x) {
            return x instanceof DoubleDouble d ? (Object) d.doubleValue() : x;
        }

        /**
         * Whether the replay shows the difference seen, |x − s·y| at the step (second < 0: the first
         * from its start), to 1%: noise would have changed by many orders of magnitude.
         */
        boolean agrees(int step, int first, int second, boolean opposite, Object seen) {
            T x = trajectory.value(step, first);
            T y = second < 0 ? trajectory.value(0, first) : trajectory.value(step, second);
            Object replayed = difference(x, y, opposite);
            return signum(replayed) > 0 && sameToOnePercent(seen, replayed);
        }
    }

    /** |x − s·y| of two rounded values: a double for doubles and double-doubles, else a decimal. */
    private static Object difference(Object x, Object y, boolean opposite) {
        if (x instanceof DoubleDouble a && y instanceof DoubleDouble b) {
            return a.subtract(opposite ? b.negate() : b).abs().doubleValue();
        }
        if (x instanceof Double a && y instanceof Double b) return Math.abs(opposite ? a + b : a - b);
        BigDecimal b = opposite ? ((BigDecimal) y).negate() : (BigDecimal) y;
        return ((BigDecimal) x).subtract(b).abs();
    }

    /**
     * |x − y| ≤ 1% of the larger magnitude (two zeros agree): in decimals when both are decimals,
     * whose size has no bound (a run whose values grow past 10^308 still compares), else in doubles.
     */
    private static boolean sameToOnePercent(Object x, Object y) {
        if (x instanceof BigDecimal a && y instanceof BigDecimal b) {
            return a.subtract(b).abs().compareTo(a.abs().max(b.abs()).movePointLeft(2)) <= 0;
        }
        double a = ((Number) x).doubleValue();
        double b = ((Number) y).doubleValue();
        return Math.abs(a - b) <= 0.01 * Math.max(Math.abs(a), Math.abs(b));
    }

    /** The sign of a difference; 0 for a double that is not a finite number. */
    private static int signum(Object difference) {
        if (difference instanceof BigDecimal d) return d.signum();
        double d = (Double) difference;
        return Double.isFinite(d) ? (int) Math.signum(d) : 0;
    }

    /** An exact value in full (a point or value of f must be repeatable, however long). */
    private static String exactly(Arithmetic<?> arithmetic, Object value) {
        if (value instanceof Rational r) return r.toString();
        return show(arithmetic, value, 8);
    }

    /**
     * Significant digits that show two decimal values apart (or, for an opposite pair, show the
     * first apart from the second's negative): 8 usually, more when a move is tiny, such as a
     * saturated tanh passing on a gradient of 1e-20, so that "0.5 (it started at 0.5)" never
     * appears for a witnessed move.
     */
    private static int digitsToTellApart(Object first, Object second, boolean opposite) {
        if (first instanceof DoubleDouble a && second instanceof DoubleDouble b) {
            // In double-double where the decades are certain: a big proof has a witness per parameter.
            DoubleDouble difference = opposite ? a.add(b) : a.subtract(b);
            OptionalInt size = (Math.abs(a.hi) >= Math.abs(b.hi) ? a : b).decimalExponent();
            OptionalInt apart = difference.decimalExponent();
            if (size.isPresent() && apart.isPresent() && size.getAsInt() - apart.getAsInt() < 20) {
                return Math.max(8, Math.min(size.getAsInt() - apart.getAsInt() + 2, 40));
            }
        }
        if (first instanceof DoubleDouble d) first = d.toBigDecimal();
        if (second instanceof DoubleDouble d) second = d.toBigDecimal();
        if (!(first instanceof BigDecimal a) || !(second instanceof BigDecimal b)) return 8;
        BigDecimal difference = a.subtract(opposite ? b.negate() : b).abs();
        BigDecimal size = a.abs().max(b.abs());
        if (difference.signum() == 0 || size.signum() == 0) return 8;
        // Digits of size above the difference's leading digit, plus two to show it.
        int needed = (size.precision() - size.scale()) - (difference.precision() - difference.scale()) + 2;
        return Math.max(8, Math.min(needed, 40));
    }

    private static String show(Arithmetic<?> arithmetic, Object value, int digits) {
        if (value instanceof DoubleDouble d) return d.toPlainString(digits);
        if (value instanceof BigDecimal d) return d.round(new MathContext(digits)).stripTrailingZeros().toPlainString();
        if (value instanceof Rational r) {
            String s = r.toString();
            return s.length() <= 40 ? s : "≈ " + r.toBigDecimal(new MathContext(8)).stripTrailingZeros() + " (exact value has "
                    + s.length() + " characters)";
        }
        return "residue " + ((ModularArithmetic) arithmetic).standardResidue((Long) value);
    }
}
