package dev.netsym.proof;

import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which optimisers the theorem covers, as data that every renderer prints.
 *
 * <p>The induction step needs one thing of an optimiser: the members of a class, having had
 * equal gradients at every step so far, receive equal updates, and a parameter whose gradient
 * has always been 0 receives none. Every rule that updates each coordinate by one shared
 * function of its own gradient history does that. Weight decay (L2 or decoupled, as in AdamW)
 * keeps classes together too, but moves a frozen parameter that does not start at 0, and then
 * the subspace the certificates speak about is left: for those the theorem is not claimed, unless
 * the spec names AdamW, when the proof itself pins only parameters that start at 0.
 *
 * @param covered the optimisers the theorem holds for
 * @param decayMoves frozen parameters that weight decay would move (their start is not 0);
 *                   when non-empty, weight decay and AdamW are not covered
 * @param outside what no optimiser-independent argument covers
 */
public record OptimiserScope(List<String> covered, List<String> decayMoves, List<String> outside) {
    private static final List<String> SHARED_RULE = List.of("SGD", "momentum", "Nesterov", "RMSprop", "Adagrad",
            "Adadelta", "Adam");
    private static final List<String> DECAY = List.of("weight decay (L2 or decoupled)", "AdamW");
    private static final List<String> OUTSIDE = List.of("dropout", "gradient noise", "per-parameter learning rates",
            "a random initialisation");
    /** With the spec's parameter groups the theorem covers their rates, and only theirs. */
    private static final List<String> OUTSIDE_WITH_GROUPS = List.of("dropout", "gradient noise",
            "learning rates other than the spec's 'lr' lines", "a random initialisation");

    public OptimiserScope {
        covered = List.copyOf(covered);
        decayMoves = List.copyOf(decayMoves);
        outside = List.copyOf(outside);
    }

    static OptimiserScope of(Network network, List<String> frozen) {
        Set<String> frozenNames = Set.copyOf(frozen);
        List<String> moved = new ArrayList<>();
        for (Parameter p : network.parameters()) {
            if (!frozenNames.contains(p.name())) continue;
            boolean startsAtZero = p.init() instanceof Init.Numeric n && n.value().isZero();
            if (!startsAtZero) moved.add(p.name());
        }
        List<String> covered = new ArrayList<>(SHARED_RULE);
        if (moved.isEmpty()) covered.addAll(DECAY);
        boolean groups = network.hasLearningRateGroups();
        return new OptimiserScope(covered, moved, groups ? OUTSIDE_WITH_GROUPS : OUTSIDE);
    }
}
