package dev.netsym.render;

import dev.netsym.calculus.Derivation;
import dev.netsym.model.Expr;
import dev.netsym.proof.ClassSymbols;
import dev.netsym.proof.CommonSubexpressions;
import dev.netsym.proof.ShownExpressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the renderers of a derivation show its expressions: the gradients' local forms, results
 * and values (at the initialisation, at a point) compacted as one display, with units kept by name where
 * writing them out swells and repeated parts named once; everything else within the bound.
 * Each renderer computes the same forms from the same derivation.
 */
final class DerivationDisplay {
    private DerivationDisplay() {}

    /** @param full show everything as computed (--full) */
    static ShownExpressions of(Derivation d, boolean full) {
        return of(d, full, List.of());
    }

    /** @param alsoTaken names the parts must not take (a proof's in the same document) */
    static ShownExpressions of(Derivation d, boolean full, java.util.Collection<String> alsoTaken) {
        if (full) return ShownExpressions.FULL;
        // A big network's adjoint form has one short line per unit and per layer, compared
        // as text to find a layer's pattern; its gradients are computed only when read.
        if (d.adjointForm()) return ShownExpressions.FULL;
        List<Expr> group = new ArrayList<>();
        for (Derivation.GradientDerivation g : d.gradients()) group.addAll(expressions(g));
        Map<String, Expr> units = new LinkedHashMap<>();
        for (Derivation.UnitDerivation u : d.units()) if (u.expansion() != null) units.put(u.name(), u.expansion());
        return CommonSubexpressions.of(group, units, false,
                ClassSymbols.forParts(d.network(), taken(d, alsoTaken)).numbered(), CommonSubexpressions.DERIVATION);
    }

    /**
     * The expressions of one gradient that are compacted: the local form (long only when the
     * units are few), the result and its values; the chain's local factors are short.
     */
    static List<Expr> expressions(Derivation.GradientDerivation g) {
        List<Expr> out = new ArrayList<>();
        for (Expr e : new Expr[] {g.local(), g.result(), g.atInit(), g.atPoint()}) if (e != null) out.add(e);
        return out;
    }

    private static List<String> taken(Derivation d, java.util.Collection<String> alsoTaken) {
        List<String> taken = new ArrayList<>(List.of(d.objectiveName(), "L", "J"));
        taken.addAll(alsoTaken);
        return taken;
    }
}
