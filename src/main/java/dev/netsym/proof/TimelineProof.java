package dev.netsym.proof;

import dev.netsym.calculus.Tape;
import dev.netsym.model.Assumption;
import dev.netsym.model.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves the {@link Timeline}: certifies the refinement's rounds as steps, and names what keeps
 * each zero gradient at 0 by releasing start values and assumptions at random points.
 */
final class TimelineProof<T> {
    /** Random points per release test: more points make a missed non-zero gradient less likely. */
    private static final int POINTS = 16;
    /**
     * Tape nodes the release tests may evaluate in all (about a second): beyond it blockers go
     * unnamed, which claims nothing false; their names are a courtesy to the reader.
     */
    private static final long MAX_WORK = 50_000_000L;

    private final Network network;
    private final Tape tape;
    private final InvariantSearch<T> search;
    private final List<String> names;
    private long workLeft = MAX_WORK;
    /** A node in decimals (exp and log by series) costs about a hundred in the other arithmetics. */
    private final long nodeCost;

    TimelineProof(Network network, Tape tape, InvariantSearch<T> search) {
        this.network = network;
        this.tape = tape;
        this.search = search;
        this.names = tape.parameterNames();
        this.nodeCost = dev.netsym.calculus.ArithmeticKind.requiredFor(tape) == dev.netsym.calculus.ArithmeticKind.DECIMAL ? 100 : 1;
    }

    /**
     * The certified chain C_0, C_1, …, C_R: C_0 is the initial state, and C_{t+1} is what of
     * the refinement's state after round t + 1 (met with C_t) the certifier proves on S(C_t).
     * Stops early, with a shorter but still certified chain, when the deadline passes.
     */
    List<InvariantSearch.State> certifiedChain(ProofCertifier certifier, long deadlineNanos) {
        List<InvariantSearch.State> proposed = search.states();
        List<InvariantSearch.State> chain = new ArrayList<>(List.of(proposed.get(0)));
        InvariantSearch.State fixedPoint = proposed.get(proposed.size() - 1);
        for (int t = 0; t + 1 < proposed.size() && System.nanoTime() < deadlineNanos; t++) {
            InvariantSearch.State current = chain.get(t);
            InvariantSearch.State claim = proposed.get(t + 1).meet(current);
            if (claim.sameAs(fixedPoint) && current.within(fixedPoint)) {
                // The theorem's certificates hold on all of S(fixed point), so on its part S(current):
                // one step from there stays in S(fixed point). Nothing to certify again.
                chain.add(claim);
                continue;
            }
            chain.add(certifier.certifyStep(current, claim, search.negated(), current.sameAs(proposed.get(t))));
        }
        return chain;
    }

    /**
     * Step k at which p is first unpinned in the chain; past its end when never (then k is still a
     * lower bound). Free from the start (a penalty on θ moves it) means step 1: nothing moves before.
     */
    static int notBefore(List<InvariantSearch.State> chain, int p) {
        for (int t = 0; t < chain.size(); t++) if (!chain.get(t).pinned()[p]) return Math.max(1, t);
        return chain.size();
    }

    /** The first t at which the chain keeps first and second apart (at least 1, as for a move). */
    static int splitNotBefore(List<InvariantSearch.State> chain, int first, int second) {
        for (int t = 0; t < chain.size(); t++) {
            if (chain.get(t).classOf()[first] != chain.get(t).classOf()[second]) return Math.max(1, t);
        }
        return chain.size();
    }

    /** The timeline of every parameter; {@code witnessMoves[p]} is a witness run's first move step (0: none). */
    Timeline timeline(List<InvariantSearch.State> chain, boolean[] frozen, int[] witnessMoves, long deadlineNanos) {
        int n = names.size();
        int[] notBefore = new int[n];
        for (int p = 0; p < n; p++) notBefore[p] = notBefore(chain, p);
        // Parameters of one tensor that start moving at one step share one explanation.
        Map<List<Object>, List<Integer>> delayed = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) {
            if (!frozen[p] && notBefore[p] >= 2 && notBefore[p] <= chain.size()) {
                delayed.computeIfAbsent(List.of(unit(p), notBefore[p]), k -> new ArrayList<>()).add(p);
            }
        }
        Map<Integer, List<String>> waitsFor = new LinkedHashMap<>();
        for (List<Integer> group : delayed.values()) {
            if (System.nanoTime() > deadlineNanos) break;
            // Before step k the gradient is 0 on S(C_{k−2}), the subspace step k − 1 starts from.
            InvariantSearch.State state = chain.get(notBefore[group.get(0)] - 2);
            List<String> blocking = blockingUnits(state, group, network.assumptions(), deadlineNanos);
            for (int p : group) waitsFor.put(p, blocking);
        }
        List<Timeline.Move> moves = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            if (frozen[p]) continue;
            int witness = witnessMoves[p] >= notBefore[p] ? witnessMoves[p] : 0;
            moves.add(new Timeline.Move(names.get(p), notBefore[p], witness, waitsFor.getOrDefault(p, List.of())));
        }
        return new Timeline(moves, frozenReasons(frozen, deadlineNanos));
    }

    /** Why each frozen parameter's gradient stays 0 on the final invariant subspace. */
    private List<Timeline.Frozen> frozenReasons(boolean[] frozen, long deadlineNanos) {
        int n = names.size();
        InvariantSearch.State fixed = search.states().get(search.states().size() - 1);
        boolean[] connected = connectedToObjective();
        boolean[] all = fixed.pinned().clone();
        // The first question (does the gradient stay 0 with everything released?) is always asked:
        // at one point when the budget cannot pay for more, a pass as the proof's own rounds make.
        boolean examined = System.nanoTime() < deadlineNanos;
        int points = spend(network.assumptions().isEmpty() ? 1 : 2) ? POINTS : 1;
        boolean[] withAssumptions = examined ? search.nonZeroGradients(fixed, all, network.assumptions(), points) : new boolean[n];
        boolean[] withoutAssumptions = !examined || network.assumptions().isEmpty() ? withAssumptions
                : search.nonZeroGradients(fixed, all, List.of(), points);
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) {
            if (!frozen[p]) continue;
            Timeline.Reason reason = !connected[p] ? Timeline.Reason.DISCONNECTED
                    : !examined ? Timeline.Reason.NOT_EXAMINED
                    : withAssumptions[p] ? Timeline.Reason.ZERO_ON_INVARIANT_SET
                    : withoutAssumptions[p] ? Timeline.Reason.ASSUMPTION : Timeline.Reason.NO_DEPENDENCE_FOUND;
            groups.computeIfAbsent(List.of(unit(p), reason), k -> new ArrayList<>()).add(p);
        }
        List<Timeline.Frozen> result = new ArrayList<>();
        for (var entry : groups.entrySet()) {
            Timeline.Reason reason = (Timeline.Reason) entry.getKey().get(1);
            List<Integer> members = entry.getValue();
            List<String> blockedBy = System.nanoTime() > deadlineNanos ? List.of()
                    : reason == Timeline.Reason.ZERO_ON_INVARIANT_SET ? blockingUnits(fixed, members, network.assumptions(), deadlineNanos)
                    : reason == Timeline.Reason.ASSUMPTION ? blockingAssumptions(fixed, members, deadlineNanos)
                    : List.of();
            for (int p : members) result.add(new Timeline.Frozen(names.get(p), reason, blockedBy));
        }
        result.sort(java.util.Comparator.comparing(Timeline.Frozen::parameter, dev.netsym.model.NaturalOrder.INSTANCE));
        return result;
    }

    /**
     * A smallest set found of tensors (or scalar parameters) pinned in {@code state} whose
     * release gives one of the targets a non-zero gradient: all released, then each put back
     * at its start when the gradient stays non-zero without it (the targets' own first).
     * Empty when even releasing all of them leaves the gradient 0, or the tests run out.
     */
    private List<String> blockingUnits(InvariantSearch.State state, List<Integer> targets, List<Assumption> kept, long deadlineNanos) {
        Map<String, List<Integer>> units = new LinkedHashMap<>();
        String own = unit(targets.get(0));
        units.put(own, new ArrayList<>());
        for (int p = 0; p < names.size(); p++) {
            if (state.pinned()[p]) units.computeIfAbsent(unit(p), k -> new ArrayList<>()).add(p);
        }
        if (units.get(own).isEmpty()) units.remove(own);
        if (!spend(units.size() + 1)) return List.of();
        boolean[] released = new boolean[names.size()];
        units.values().forEach(ps -> ps.forEach(p -> released[p] = true));
        if (!anyNonZero(search.nonZeroGradients(state, released, kept, POINTS), targets)) return List.of();
        List<String> needed = new ArrayList<>();
        for (var unit : units.entrySet()) {
            if (System.nanoTime() > deadlineNanos) return List.of();
            unit.getValue().forEach(p -> released[p] = false);
            if (!anyNonZero(search.nonZeroGradients(state, released, kept, POINTS), targets)) {
                unit.getValue().forEach(p -> released[p] = true);
                needed.add(unit.getKey());
            }
        }
        return needed;
    }

    /** The same for assume lines, with every frozen start value released. */
    private List<String> blockingAssumptions(InvariantSearch.State state, List<Integer> targets, long deadlineNanos) {
        List<Assumption> assumptions = network.assumptions();
        if (!spend(assumptions.size())) return List.of();
        boolean[] released = state.pinned().clone();
        List<Assumption> kept = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        for (int i = 0; i < assumptions.size(); i++) {
            if (System.nanoTime() > deadlineNanos) return List.of();
            List<Assumption> trial = new ArrayList<>(kept);
            trial.add(assumptions.get(i));
            if (anyNonZero(search.nonZeroGradients(state, released, trial, POINTS), targets)) {
                kept.add(assumptions.get(i));
            } else {
                needed.add(assumptions.get(i).toString());
            }
        }
        return needed;
    }

    /** Whether {@code tests} release tests fit in what is left of the work budget; if so, spends it. */
    private boolean spend(int tests) {
        long work = (long) tests * POINTS * Math.max(1, network.data().size()) * (tape.nodeCount() + 1) * nodeCost;
        if (work > workLeft) return false;
        workLeft -= work;
        return true;
    }

    private static boolean anyNonZero(boolean[] nonZero, List<Integer> targets) {
        return targets.stream().anyMatch(p -> nonZero[p]);
    }

    /** A tensor element's tensor, or the parameter itself. */
    private String unit(int p) {
        String name = names.get(p);
        int bracket = name.indexOf('[');
        return bracket > 0 && name.endsWith("]") ? name.substring(0, bracket) : name;
    }

    /** Parameters the objective reaches in the computation graph. */
    private boolean[] connectedToObjective() {
        boolean[] seen = new boolean[tape.nodeCount()];
        java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>(List.of(tape.objectiveNode()));
        seen[tape.objectiveNode()] = true;
        while (!stack.isEmpty()) {
            int node = stack.pop();
            for (int k = 0; k < tape.childCount(node); k++) {
                int child = tape.child(node, k);
                if (!seen[child]) {
                    seen[child] = true;
                    stack.push(child);
                }
            }
        }
        boolean[] connected = new boolean[names.size()];
        for (int p = 0; p < connected.length; p++) connected[p] = seen[tape.parameterNode(p)];
        return connected;
    }
}
