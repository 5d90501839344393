package dev.netsym.proof;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.DoubleDouble;
import dev.netsym.calculus.DoubleDoubleArithmetic;
import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Assumption;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The fixed point of the design note: start from (P0, F0) = (same initial value, all pinned),
 * then repeatedly unpin every parameter whose gradient is not identically 0 on S(P, F) and
 * split every class whose members' gradients differ there, until nothing changes.
 *
 * <p>Differences are found by evaluating all gradients at random points of S(P, F) in one
 * reverse pass per point and sample: a difference seen in exact or modular arithmetic is a
 * fact, so every split and unpin is sound. What survives is then certified (structurally,
 * or by a randomized identity test for rational functions); a pair that can be neither
 * separated nor certified is split as undecided, which keeps the result sound.
 */
final class InvariantSearch<T> {
    /** Random points per round: each extra point makes a false "equal" far less likely. */
    private static final int POINTS = 2;
    /** With values of size about 1, a decimal gradient below this is rounding noise around 0. */
    private static final BigDecimal DECIMAL_ZERO = new BigDecimal("1e-30");

    private final Network network;
    private final Tape tape;
    private final Arithmetic<T> arithmetic;
    private final RandomValues random;
    private final int n;
    private final long deadlineNanos;
    /** The network's parameters in the tape's index order. */
    private final Parameter[] parameters;

    /** Current state: class id per parameter (ids are dense, ordered by first member) and pins. */
    private int[] classOf;
    private boolean[] pinned;
    /**
     * Whether θ_p is the negative of its class's value: a signed class keeps θ_i = −θ_j (a
     * mirrored initialisation through odd functions). Fixed by the initial values; classes only split.
     */
    private boolean[] negated;
    private final List<Event> events = new ArrayList<>();
    /** The state after each round, the initial state first: what the timeline certifies step by step. */
    private final List<State> states = new ArrayList<>();
    private int rounds;
    private boolean timedOut;

    /**
     * A split (two representatives now in different classes) or a move (second = -1): a claim
     * the proof makes only once a witness run shows it, else reports as undecided.
     */
    record Event(int first, int second, int round) {}

    /** A state (P, F): class id per parameter, ids dense and numbered by first member, and the pins. */
    record State(int[] classOf, boolean[] pinned) {
        /** Ids renumbered by first member, so that equal partitions have equal arrays. */
        State {
            int[] dense = new int[classOf.length];
            Map<Integer, Integer> ids = new HashMap<>();
            for (int p = 0; p < classOf.length; p++) dense[p] = ids.computeIfAbsent(classOf[p], k -> ids.size());
            classOf = dense;
            pinned = pinned.clone();
        }

        /** Both states' equalities and pins at once: the classes that are classes in both. */
        State meet(State other) {
            int[] key = new int[classOf.length];
            boolean[] both = new boolean[classOf.length];
            LongIds ids = new LongIds(classOf.length);
            for (int p = 0; p < key.length; p++) {
                both[p] = pinned[p] && other.pinned[p];
                key[p] = ids.idOf(LongIds.pair(2 * classOf[p] + (both[p] ? 1 : 0), other.classOf[p]));
            }
            return new State(key, both);
        }

        boolean sameAs(State other) {
            return Arrays.equals(classOf, other.classOf) && Arrays.equals(pinned, other.pinned);
        }

        /** Whether S(this) ⊆ S(other): each of other's classes lies in one of ours, each of its pins is ours. */
        boolean within(State other) {
            int[] ours = new int[classOf.length];
            Arrays.fill(ours, -1);
            for (int p = 0; p < classOf.length; p++) {
                if (other.pinned[p] && !pinned[p]) return false;
                int c = other.classOf[p];
                if (ours[c] < 0) ours[c] = classOf[p];
                else if (ours[c] != classOf[p]) return false;
            }
            return true;
        }
    }

    private final Consumer<String> progress;

    InvariantSearch(Network network, Tape tape, Arithmetic<T> arithmetic, long seed, long deadlineNanos) {
        this(network, tape, arithmetic, seed, deadlineNanos, StepRule.plain(tape.parameterCount()), phase -> { });
    }

    /**
     * @param rule the optimiser's step: parameters with different learning rates start in
     *     different classes, and under a penalty on θ (weight decay, L1) only parameters that
     *     start at 0 start pinned, as λθ and λ·sign θ move every other one
     */
    InvariantSearch(Network network, Tape tape, Arithmetic<T> arithmetic, long seed, long deadlineNanos,
                    StepRule rule, Consumer<String> progress) {
        this.progress = progress;
        this.network = network;
        this.tape = tape;
        this.arithmetic = arithmetic;
        this.random = new RandomValues(network.assumptions(), seed).scaledDownBy(magnitudeDivisor(tape));
        this.n = tape.parameterCount();
        this.deadlineNanos = deadlineNanos;
        this.parameters = Parameters.inTapeOrder(network, tape);
        initialState(rule);
        states.add(new State(classOf, pinned));
    }

    /**
     * Wide sums of O(1) values push tanh and sigmoid so far into their flat tails that their
     * derivatives vanish below any working precision; values of size 1/√(fan-in) keep the
     * sums O(1). Exact and modular arithmetic need no such care.
     */
    static int magnitudeDivisor(Tape tape) {
        if (dev.netsym.calculus.ArithmeticKind.requiredFor(tape) != dev.netsym.calculus.ArithmeticKind.DECIMAL) return 1;
        return (int) Math.ceil(Math.sqrt(tape.widestSum()));
    }

    int[] classOf() { return classOf; }

    boolean[] pinned() { return pinned; }

    boolean[] negated() { return negated; }

    List<Event> events() { return events; }

    int rounds() { return rounds; }

    /** The state after each round, from the initial state (index 0) to the fixed point (index {@link #rounds()}). */
    List<State> states() { return states; }

    boolean timedOut() { return timedOut; }

    /**
     * Parameters with the same initial value up to sign share a class (1/2 and −1/2, a and −a),
     * the negative ones marked, and the same learning rate; every parameter starts pinned unless
     * the rule's penalty moves it at the first step. Such a move is an event like any other: a
     * run must show it before the proof claims it.
     */
    private void initialState(StepRule rule) {
        Map<Object, Integer> ids = new HashMap<>();
        Map<Object, Integer> firstAtStart = new HashMap<>();
        Set<Integer> released = new HashSet<>();
        classOf = new int[n];
        pinned = new boolean[n];
        negated = new boolean[n];
        for (int p = 0; p < n; p++) {
            Init init = parameter(p).init();
            // Inits are values (records); a random start is the parameter's own.
            Object key = init instanceof Init.Random ? parameter(p).name() : init;
            if (init instanceof Init.Numeric num && num.value().signum() < 0) {
                key = new Init.Numeric(num.value().negate());
                negated[p] = true;
            } else if (init instanceof Init.Symbolic s && s.coefficient().signum() < 0) {
                key = new Init.Symbolic(s.symbol(), s.coefficient().negate());
                negated[p] = true;
            }
            // Equal starts at different learning rates: apart from the start, which a run must show.
            Object startKey = key;
            Rational rate = rule.rate(p);
            if (!rate.equals(Rational.ONE)) key = List.of(key, rate);
            if (!ids.containsKey(key)) {
                Integer sameStart = firstAtStart.putIfAbsent(startKey, p);
                if (sameStart != null) events.add(new Event(sameStart, p, 1));
            }
            classOf[p] = ids.computeIfAbsent(key, k -> ids.size());
            boolean startsAtZero = init instanceof Init.Numeric num && num.value().isZero();
            pinned[p] = rule.term() == StepRule.Term.NONE || rule.term() != StepRule.Term.NOISE && startsAtZero;
            // One witness per class that starts moving is enough: its members move alike or split later.
            if (!pinned[p] && released.add(classOf[p])) events.add(new Event(p, -1, 1));
        }
    }

    private Parameter parameter(int p) {
        return parameters[p];
    }

    /** Runs refinement and certification to the fixed point. */
    void run(Certifier certifier) {
        while (true) {
            refineToFixedPoint();
            if (timedOut) return;
            progress.accept("certifying the classes (colour refinement of the computation graph)");
            if (!certifier.certifyOrSplit(this)) return;
            // What the certifier split off belongs to the last round's state.
            states.set(rounds, new State(classOf, pinned));
        }
    }

    private void refineToFixedPoint() {
        while (true) {
            if (System.nanoTime() > deadlineNanos) {
                timedOut = true;
                return;
            }
            rounds++;
            progress.accept("refinement round " + rounds + ": gradients at random points (" + arithmetic + ")");
            int[][] signatures = signatures();
            if (!refine(signatures)) {
                rounds--;
                return;
            }
            states.add(new State(classOf, pinned));
        }
    }

    /**
     * Per coordinate (random point × sample), per parameter: an id for its gradient's value
     * there. Equal ids mean equal values (up to rounding noise for floating arithmetic); id 0
     * means 0.
     */
    private int[][] signatures() {
        List<Sample> data = network.data();
        int perPoint = data.isEmpty() ? 1 : data.size();
        int[][] ids = new int[POINTS * perPoint][];
        for (int point = 0; point < POINTS; point++) {
            for (int attempt = 0; ; attempt++) {
                try {
                    evaluatePoint(point, perPoint, ids);
                    break;
                } catch (ArithmeticException e) {
                    // A random point where a denominator vanishes or a log's argument is not positive: draw again.
                    if (attempt == 20) throw e;
                }
            }
        }
        return ids;
    }

    private void evaluatePoint(int point, int perPoint, int[][] ids) {
        T[] params = pointIn(new State(classOf, pinned), new boolean[n], random);
        List<T[]> samples = samples(random);
        int[][] computed = new int[samples.size()][];
        for (int s = 0; s < samples.size(); s++) {
            computed[s] = valueIds(tape.gradient(arithmetic, params, samples.get(s)));
        }
        // Only a point that evaluated completely counts: a redraw must not leave half a point behind.
        for (int s = 0; s < samples.size(); s++) ids[point * perPoint + s] = computed[s];
    }

    /** The spec's samples, or one random sample when the spec gives none. */
    private List<T[]> samples(RandomValues draw) {
        return Samples.specOrDrawn(network, tape, arithmetic, i -> randomValue(draw, tape.dataNames().get(i)));
    }

    /**
     * Ids for one coordinate of the signatures: ids of s_p·g_p, the gradient as seen by the
     * class value; equal ids keep θ_i = s_i·c.
     */
    private int[] valueIds(T[] values) {
        for (int p = 0; p < values.length; p++) if (negated[p]) values[p] = arithmetic.negate(values[p]);
        if (values instanceof DoubleDouble[] dd) return clusterIds(dd);
        Map<Object, Integer> byKey = new HashMap<>();
        int[] ids = new int[values.length];
        for (int p = 0; p < values.length; p++) {
            Object key = key(values[p]);
            ids[p] = isZeroKey(key) ? 0 : byKey.computeIfAbsent(key, k -> byKey.size() + 1);
        }
        return ids;
    }

    /**
     * Double-double values grouped by gaps: sorted, neighbours within rounding noise of each
     * other share an id. Two parameters get different ids only if the sorted values between
     * them have a gap beyond the noise, so their own values differ beyond it too: every split
     * this causes is a real difference. Chains of nearly equal values merge instead, and a
     * merge is never trusted without a certificate. The group that reaches 0 is id 0.
     */
    static int[] clusterIds(DoubleDouble[] values) {
        // Tied parameters' gradients are computed alike, hence bitwise equal: only the distinct
        // values are sorted, which keeps a million-weight network's rounds close to linear.
        LongIds bits = new LongIds(16);
        int[] distinctOf = new int[values.length];
        List<DoubleDouble> distinct = new ArrayList<>();
        for (int p = 0; p < values.length; p++) {
            DoubleDouble v = values[p];
            if (!v.isFinite()) throw new ArithmeticException("a gradient overflowed");
            int d = bits.idOf(Double.doubleToLongBits(v.hi), Double.doubleToLongBits(v.lo));
            if (d == distinct.size()) distinct.add(v);
            distinctOf[p] = d;
        }
        int[] byValue = sortedIndices(distinct);
        int[] clusterOfDistinct = new int[byValue.length];
        int zeroCluster = -1;
        int next = 1;
        DoubleDouble previous = null;
        for (int d : byValue) {
            DoubleDouble v = distinct.get(d);
            boolean joins = previous != null && DoubleDoubleArithmetic.close(previous.doubleValue(),
                    v.doubleValue(), v.subtract(previous).doubleValue());
            int cluster = joins ? next - 1 : next++;
            clusterOfDistinct[d] = cluster;
            if (DoubleDoubleArithmetic.close(0, v.doubleValue(), v.doubleValue())) zeroCluster = cluster;
            previous = v;
        }
        int[] ids = new int[values.length];
        for (int p = 0; p < values.length; p++) {
            int id = clusterOfDistinct[distinctOf[p]];
            ids[p] = id == zeroCluster ? 0 : id;
        }
        return ids;
    }

    /**
     * The indices of the values in increasing order, sorted on primitive copies of their digits:
     * on 10^5 values, boxed indices under a comparator cost more than the gradient itself.
     */
    private static int[] sortedIndices(List<DoubleDouble> values) {
        int n = values.size();
        double[] hi = new double[n];
        double[] lo = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            hi[i] = values.get(i).hi;
            lo[i] = values.get(i).lo;
            order[i] = i;
        }
        int[] buffer = new int[n];
        // Bottom-up merge sort: runs of width 1, 2, 4, … merged from order into buffer and back.
        for (int width = 1; width < n; width *= 2) {
            for (int start = 0; start < n; start += 2 * width) {
                int middle = Math.min(start + width, n), end = Math.min(start + 2 * width, n);
                int a = start, b = middle, out = start;
                while (a < middle && b < end) {
                    int x = order[a], y = order[b];
                    int c = Double.compare(hi[x], hi[y]);
                    if (c == 0) c = Double.compare(lo[x], lo[y]);
                    buffer[out++] = c <= 0 ? order[a++] : order[b++];
                }
                while (a < middle) buffer[out++] = order[a++];
                while (b < end) buffer[out++] = order[b++];
            }
            int[] swap = order;
            order = buffer;
            buffer = swap;
        }
        return order;
    }

    /**
     * Per parameter: whether its gradient is not 0 at one of {@code points} random points of
     * S(state) on which the released parameters take values of their own, every value drawn
     * under the {@code kept} assumptions only. A non-zero value is a fact in exact and modular
     * arithmetic, and beyond rounding noise in decimals: it shows what keeps a gradient at 0.
     */
    boolean[] nonZeroGradients(State state, boolean[] released, List<Assumption> kept, int points) {
        RandomValues draw = new RandomValues(kept, random.nextSeed()).scaledDownBy(magnitudeDivisor(tape));
        boolean[] nonZero = new boolean[n];
        for (int point = 0; point < points; point++) {
            for (int attempt = 0; ; attempt++) {
                try {
                    T[] params = pointIn(state, released, draw);
                    for (T[] sample : samples(draw)) {
                        int[] ids = valueIds(tape.gradient(arithmetic, params, sample));
                        for (int p = 0; p < n; p++) nonZero[p] |= ids[p] != 0;
                    }
                    break;
                } catch (ArithmeticException e) {
                    // A point where a denominator vanishes: draw again, and give up on this point after a while.
                    if (attempt == 20) break;
                }
            }
        }
        return nonZero;
    }

    /**
     * A random point of S(state): one value per free class, initial values for pinned
     * parameters, and a value of its own for each released one (drawn as its initial
     * symbol's assumptions allow).
     */
    private T[] pointIn(State state, boolean[] released, RandomValues draw) {
        Map<String, T> symbolValues = new HashMap<>();
        T[] classValues = arithmetic.newArray(n);
        T[] values = arithmetic.newArray(n);
        for (int p = 0; p < n; p++) {
            int c = state.classOf()[p];
            if (released[p]) {
                values[p] = randomValue(draw, initialSymbol(p));
            } else if (state.pinned()[p]) {
                values[p] = initialValue(p, symbolValues, draw);
            } else {
                if (classValues[c] == null) classValues[c] = randomValue(draw, null);
                values[p] = negated[p] ? arithmetic.negate(classValues[c]) : classValues[c];
            }
        }
        return values;
    }

    /** The symbol a parameter starts at: its own name for a random or numeric start. */
    private String initialSymbol(int p) {
        return parameter(p).init() instanceof Init.Symbolic s ? s.symbol() : parameter(p).name();
    }

    private T initialValue(int p, Map<String, T> symbolValues, RandomValues draw) {
        Parameter param = parameter(p);
        Init init = param.init();
        if (init instanceof Init.Numeric num) return arithmetic.fromRational(num.value());
        T value = symbolValues.computeIfAbsent(initialSymbol(p), name -> randomValue(draw, name));
        if (init instanceof Init.Symbolic s && !s.coefficient().isOne()) {
            value = arithmetic.multiply(arithmetic.fromRational(s.coefficient()), value);
        }
        return value;
    }

    /**
     * Modulo p every variable is drawn uniformly from the residues, assumed or not: that is the
     * set the Schwartz–Zippel bound speaks about, and for a rational network the assumptions
     * cannot matter (each confines a variable to an interval with interior, and a rational
     * function that vanishes on a box with interior vanishes identically). Elsewhere values
     * respect the assumptions: relu's kinks make them matter there.
     */
    private T randomValue(RandomValues draw, String name) {
        if (arithmetic instanceof ModularArithmetic) return arithmetic.fromRational(Rational.of(draw.residue()));
        return arithmetic.fromRational(draw.generic(name == null ? "" : name));
    }

    /** A value as a key for grouping: exact values as they are; decimals rounded well past their noise. */
    private Object key(T value) {
        if (value instanceof BigDecimal d) {
            if (arithmetic.isZero(value) || d.abs().compareTo(DECIMAL_ZERO) < 0) return BigDecimal.ZERO;
            return d.round(new MathContext(30)).stripTrailingZeros();
        }
        if (value instanceof Double d) {
            return Math.abs(d) < 1e-12 ? 0.0 : Double.valueOf(Double.parseDouble(String.format("%.9e", d)));
        }
        return value;
    }

    private boolean isZeroKey(Object key) {
        if (key instanceof BigDecimal d) return d.signum() == 0;
        if (key instanceof Double d) return d == 0.0;
        if (key instanceof Rational r) return r.isZero();
        if (key instanceof Long l) return l == 0L;
        return false;
    }

    /** One round: unpin and split by the signatures; returns whether anything changed. */
    private boolean refine(int[][] signatures) {
        boolean changed = false;
        boolean[] nextPinned = pinned.clone();
        Set<Integer> classesThatMoved = new HashSet<>();
        for (int p = 0; p < n; p++) {
            if (!pinned[p]) continue;
            for (int[] coordinate : signatures) {
                if (coordinate[p] != 0) {
                    nextPinned[p] = false;
                    // One witness per class that starts moving is enough: its members move alike or split below.
                    if (classesThatMoved.add(classOf[p])) events.add(new Event(p, -1, rounds));
                    changed = true;
                    break;
                }
            }
        }
        // New class = (old class, pinned, id at every coordinate), numbered by first member
        // (each pairing pass numbers by first appearance, and POINTS > 0 passes run).
        int[] key = new int[n];
        for (int p = 0; p < n; p++) key[p] = 2 * classOf[p] + (nextPinned[p] ? 1 : 0);
        for (int[] coordinate : signatures) {
            LongIds ids = new LongIds(n);
            for (int p = 0; p < n; p++) key[p] = ids.idOf(LongIds.pair(key[p], coordinate[p]));
        }
        int[] nextClass = key;
        Map<Integer, Integer> firstOfOldClass = new HashMap<>();
        int seen = 0;
        for (int p = 0; p < n; p++) {
            if (nextClass[p] == seen) {
                seen++;
                Integer firstOld = firstOfOldClass.putIfAbsent(classOf[p], p);
                if (firstOld != null) {
                    events.add(new Event(firstOld, p, rounds));
                    changed = true;
                }
            }
        }
        classOf = nextClass;
        pinned = nextPinned;
        return changed;
    }

    /** Splits classes by the groups a certifier could not prove equal; the pairs await a witness. */
    void splitUndecided(int[] group) {
        Map<List<Integer>, Integer> ids = new HashMap<>();
        Map<Integer, Integer> firstOfOld = new HashMap<>();
        int[] next = new int[n];
        for (int p = 0; p < n; p++) {
            List<Integer> key = List.of(classOf[p], group[p]);
            Integer id = ids.get(key);
            if (id == null) {
                id = ids.size();
                ids.put(key, id);
                Integer first = firstOfOld.putIfAbsent(classOf[p], p);
                if (first != null) events.add(new Event(first, p, Math.max(1, rounds)));
            }
            next[p] = id;
        }
        classOf = next;
    }

    /** Unpins parameters whose zero gradient could not be certified; they await a witness. */
    void unpinUndecided(boolean[] keepPinned) {
        for (int p = 0; p < n; p++) {
            if (pinned[p] && !keepPinned[p]) {
                pinned[p] = false;
                events.add(new Event(p, -1, Math.max(1, rounds)));
            }
        }
    }

    /** Certifies the current state or splits what it cannot certify; returns whether it split. */
    interface Certifier {
        boolean certifyOrSplit(InvariantSearch<?> search);
    }
}
