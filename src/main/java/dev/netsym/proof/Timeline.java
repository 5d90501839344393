package dev.netsym.proof;

import java.util.List;

/**
 * When each parameter can first move, and why each frozen parameter never does.
 *
 * <p>The step bounds come from a chain of states C_0 ⊒ C_1 ⊒ … whose every link is certified:
 * C_0 holds the initialisation, and each pin and class of C_{t+1} is proved on the subspace
 * of C_t (a zero gradient, equal gradients there). By induction θ_t lies in S(C_t) in every run,
 * so a parameter pinned in C_{k−1} cannot move before step k. A witness run that moves it at
 * step k makes the step exact.
 *
 * @param moves every parameter that is not frozen, in natural order
 * @param frozen every frozen parameter with the reason its gradient stays 0
 */
public record Timeline(List<Move> moves, List<Frozen> frozen) {
    /** Nothing established (a proof the time limit cut short). */
    public static final Timeline NONE = new Timeline(List.of(), List.of());

    public Timeline {
        moves = List.copyOf(moves);
        frozen = List.copyOf(frozen);
    }

    /**
     * @param notBefore proved: in every run the parameter is unchanged through step notBefore − 1
     * @param witnessStep the first step at which a witness run moved it, 0 when no run did
     * @param waitsFor names still at their start before step notBefore whose values keep its
     *                 gradient at 0 there (a run with them free moves it earlier); empty when not found
     */
    public record Move(String parameter, int notBefore, int witnessStep, List<String> waitsFor) {
        public Move {
            waitsFor = List.copyOf(waitsFor);
        }

        /** Whether the first step is known exactly: proved not earlier, and seen to move there. */
        public boolean exact() {
            return witnessStep == notBefore;
        }
    }

    /**
     * @param blockedBy for {@link Reason#ZERO_ON_INVARIANT_SET}: frozen tensors or parameters whose
     *                  start values keep the gradient at 0 (with them free, it is not 0); for
     *                  {@link Reason#ASSUMPTION}: the assume lines that do (without them, it is not
     *                  0); empty when none were named
     */
    public record Frozen(String parameter, Reason reason, List<String> blockedBy) {
        public Frozen {
            blockedBy = List.copyOf(blockedBy);
        }
    }

    /** Why a frozen parameter's gradient is 0. */
    public enum Reason {
        /** The objective does not depend on it at all: no path in the computation graph. */
        DISCONNECTED("disconnected"),
        /** It depends, but every path through it is multiplied by a value that stays at its start. */
        ZERO_ON_INVARIANT_SET("zero_gradient_on_invariant_set"),
        /** Only the assume lines keep it at 0 (a dead ReLU). */
        ASSUMPTION("blocked_by_assumption"),
        /** Its gradient was 0 at every point tried, even with every start value and assumption freed. */
        NO_DEPENDENCE_FOUND("no_dependence_found"),
        /** The objective depends on it; why its gradient stays 0 was not examined within the time budget. */
        NOT_EXAMINED("not_examined");

        private final String key;

        Reason(String key) { this.key = key; }

        /** The reason's name in JSON. */
        public String key() { return key; }
    }
}
