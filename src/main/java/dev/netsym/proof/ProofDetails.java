package dev.netsym.proof;

import dev.netsym.model.Expr;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished proof looks like on its final subspace, for a reader to check by hand on
 * a small network: every unit and gradient in the class symbols, why separated parameters
 * separate, and the objective the network collapses to.
 *
 * @param units unit name → its value on the subspace, e.g. y3 = 2·c3·(c1·x1 + c2·x2); in
 *     unit order, only the units that were computed
 * @param gradients parameter name → ∂objective/∂parameter on the subspace; members of one
 *     class have the same entry, so a renderer can write ∂y/∂w1 = ∂y/∂w2 = 2·c3·c4·x1
 * @param nonPositiveByAssumption unit or parameter name → the arguments z that the spec's sign
 *     facts make ≤ 0, so that relu(z) and relu′(z) in its entry were replaced by 0; only
 *     names whose entry this changed
 * @param separations the proof's separations, with {@link Separation#difference()} filled in
 *     (g_first − g_second, or g_first for a move, factored) where it was computed
 * @param objective the objective on the subspace (what the network collapses to)
 * @param skipped what was not computed and why (network too big, time budget), or empty
 * @param shown how renderers show these expressions (and the proof's common gradients):
 *     long ones with units kept by name and repeated parts named, see {@link ShownExpressions}
 */
public record ProofDetails(Map<String, Expr> units, Map<String, Expr> gradients,
                           Map<String, List<Expr>> nonPositiveByAssumption, List<Separation> separations,
                           Optional<Expr> objective, Optional<String> skipped, ShownExpressions shown) {
    /** Details whose expressions are shown as computed (within the bound) until {@link #withShown}. */
    public ProofDetails(Map<String, Expr> units, Map<String, Expr> gradients,
                        Map<String, List<Expr>> nonPositiveByAssumption, List<Separation> separations,
                        Optional<Expr> objective, Optional<String> skipped) {
        this(units, gradients, nonPositiveByAssumption, separations, objective, skipped, ShownExpressions.BOUND_ONLY);
    }

    public ProofDetails withShown(ShownExpressions s) {
        return new ProofDetails(units, gradients, nonPositiveByAssumption, separations, objective, skipped, s);
    }

    public ProofDetails {
        nonPositiveByAssumption = Collections.unmodifiableMap(new LinkedHashMap<>(nonPositiveByAssumption));
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        separations = List.copyOf(separations);
    }

    /** The arguments the sign facts make ≤ 0 in the entries of these names, each once, in order. */
    public List<Expr> nonPositiveByAssumption(List<String> names) {
        java.util.Set<Expr> all = new java.util.LinkedHashSet<>();
        for (String name : names) all.addAll(nonPositiveByAssumption.getOrDefault(name, List.of()));
        return List.copyOf(all);
    }

    /** Nothing computed: the proof's separations as they are, and the reason. */
    public static ProofDetails skipped(Proof proof, String why) {
        return new ProofDetails(Map.of(), Map.of(), Map.of(), proof.separations(), Optional.empty(), Optional.of(why));
    }
}
