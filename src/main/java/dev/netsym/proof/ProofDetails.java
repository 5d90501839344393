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
 * @param separations the proof's separations, with {@link Separation#difference()} filled in
 *     (g_first − g_second, or g_first for a move, factored) where it was computed
 * @param objective the objective on the subspace (what the network collapses to)
 * @param skipped what was not computed and why (network too big, time budget), or empty
 */
public record ProofDetails(Map<String, Expr> units, Map<String, Expr> gradients, List<Separation> separations,
                           Optional<Expr> objective, Optional<String> skipped) {
    public ProofDetails {
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        separations = List.copyOf(separations);
    }

    /** Nothing computed: the proof's separations as they are, and the reason. */
    public static ProofDetails skipped(Proof proof, String why) {
        return new ProofDetails(Map.of(), Map.of(), proof.separations(), Optional.empty(), Optional.of(why));
    }
}
