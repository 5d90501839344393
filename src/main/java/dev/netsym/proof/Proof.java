package dev.netsym.proof;

import dev.netsym.model.Network;
import dev.netsym.model.Expr;
import java.util.List;
import java.util.Optional;

/**
 * What {@code netsym prove} established: the greatest invariant state (P, F) containing the
 * initialisation, every class with its certificate, and the evidence that it is not coarser.
 *
 * @param classes every parameter in exactly one class, in natural order of first member
 * @param separations why classes are not merged and why unpinned parameters move
 * @param undecided pairs that were kept apart because neither proof nor witness was found
 * @param unitClasses units that compute one and the same value on the subspace (size ≥ 2 only)
 * @param arithmetic how random points were evaluated ("modular", "exact", "decimal", "double-double")
 * @param rounds how many refinement rounds the fixed point took
 * @param timedOut whether a time limit cut any decision short (the budget, or one computer-algebra call)
 * @param details expressions on the subspace, for small networks (units, gradients, collapsed objective)
 * @param cutShort what the time limits cut short, in words (empty unless {@code timedOut})
 * @param timeline when each parameter can first move, and why each frozen one never does
 */
public record Proof(Network network, List<ParameterClass> classes, List<Separation> separations,
                    List<List<String>> undecided, List<List<String>> unitClasses, String arithmetic,
                    int rounds, boolean timedOut, List<SpecialValue> specialValues, Optional<ProofDetails> details,
                    List<String> cutShort, Timeline timeline) {
    public Proof(Network network, List<ParameterClass> classes, List<Separation> separations,
                 List<List<String>> undecided, List<List<String>> unitClasses, String arithmetic,
                 int rounds, boolean timedOut, List<SpecialValue> specialValues) {
        this(network, classes, separations, undecided, unitClasses, arithmetic, rounds, timedOut, specialValues,
                Optional.empty(), timedOut ? List.of("the proof") : List.of(), Timeline.NONE);
    }

    public Proof {
        classes = List.copyOf(classes);
        separations = List.copyOf(separations);
        undecided = List.copyOf(undecided);
        unitClasses = List.copyOf(unitClasses);
        specialValues = List.copyOf(specialValues);
        cutShort = List.copyOf(cutShort);
    }

    /**
     * The number of values training really adjusts: one per class that is not frozen. Exact when
     * nothing is undecided; otherwise an upper bound (undecided pairs may yet stay together).
     */
    public long trainableValues() {
        return classes.stream().filter(c -> !c.frozen()).count();
    }

    /** Whether every pair of parameters was either certified together or shown apart by a witness. */
    public boolean complete() {
        return undecided.isEmpty() && !timedOut;
    }

    /** The optimisers the theorem covers, and which frozen parameters weight decay would move. */
    public OptimiserScope optimiserScope() {
        return OptimiserScope.of(network, frozen());
    }

    public List<String> frozen() {
        return classes.stream().filter(ParameterClass::frozen).flatMap(c -> c.members().stream()).toList();
    }

    public Proof withSpecialValues(List<SpecialValue> values) {
        return new Proof(network, classes, separations, undecided, unitClasses, arithmetic, rounds, timedOut, values,
                details, cutShort, timeline);
    }

    /**
     * The proof with its symbolic details: separations carry their differences, and each
     * class its common gradient on the subspace where the details computed the same
     * expression for every member (one member's gradient is never shown as everyone's).
     */
    public Proof withDetails(ProofDetails d) {
        List<ParameterClass> withGradients = classes.stream().map(c -> {
            Expr g = d.gradients().get(c.members().get(0));
            if (g == null || c.certificate().commonGradient().isPresent()) return c;
            boolean firstNegated = c.negated().contains(c.members().get(0));
            if (!c.members().stream().allMatch(m -> c.negated().contains(m) == firstNegated
                    ? g.equals(d.gradients().get(m)) : negation(g, d.gradients().get(m)))) {
                return c;
            }
            Certificate cert = new Certificate(c.certificate().kind(), c.certificate().detail(), Optional.of(g));
            return c.withCertificate(cert);
        }).toList();
        ProofDetails shown = d.withShown(shownExpressions(network, withGradients, d));
        return new Proof(network, withGradients, d.separations(), undecided, unitClasses, arithmetic, rounds, timedOut,
                specialValues, Optional.of(shown), cutShort, timeline);
    }

    /**
     * Everything the proof writes out on the subspace, compacted as one display: the units,
     * the classes' common gradients, the separations' differences and the objective.
     */
    private static ShownExpressions shownExpressions(Network network, List<ParameterClass> classes, ProofDetails d) {
        // In the order the text shows them (a one-member class's gradient only in LaTeX), so
        // the names of parts are numbered as a reader meets them.
        List<Expr> group = new java.util.ArrayList<>(d.units().values());
        for (ParameterClass c : classes) {
            if (c.members().size() > 1 || c.frozen()) c.certificate().commonGradient().ifPresent(group::add);
        }
        for (Separation s : d.separations()) s.difference().ifPresent(group::add);
        d.objective().ifPresent(group::add);
        for (ParameterClass c : classes) {
            if (c.members().size() == 1 && !c.frozen()) c.certificate().commonGradient().ifPresent(group::add);
        }
        List<String> taken = new java.util.ArrayList<>(List.of("L", "J"));
        for (ParameterClass c : classes) taken.add(c.symbol());
        return CommonSubexpressions.of(group, d.units(), true, ClassSymbols.forParts(network, taken).numbered(),
                CommonSubexpressions.PROOF);
    }

    /**
     * Whether b is visibly −a, as computer algebra writes it: −x, a sign in a product's
     * number, or a sum of negated terms. Not seeing it only leaves a common gradient unshown.
     */
    private static boolean negation(Expr a, Expr b) {
        if (a == null || b == null) return false;
        if (a instanceof Expr.Neg n && n.operand().equals(b)) return true;
        if (b instanceof Expr.Neg n && n.operand().equals(a)) return true;
        if (a instanceof Expr.Num x && b instanceof Expr.Num y) return x.value().negate().equals(y.value());
        if (a instanceof Expr.Product pa && b instanceof Expr.Product pb) {
            return negatedCoefficient(pa, pb) || negatedCoefficient(pb, pa) || oddlyManyNegatedFactors(pa, pb);
        }
        if (a instanceof Expr.Product pa && pa.factors().size() == 2 && pa.factors().get(0) instanceof Expr.Num k
                && k.value().negate().isOne()) {
            return pa.factors().get(1).equals(b);
        }
        if (b instanceof Expr.Product pb && pb.factors().size() == 2 && pb.factors().get(0) instanceof Expr.Num k
                && k.value().negate().isOne()) {
            return pb.factors().get(1).equals(a);
        }
        if (a instanceof Expr.Sum sa && b instanceof Expr.Sum sb && sa.terms().size() == sb.terms().size()) {
            List<Expr> left = new java.util.ArrayList<>(sb.terms());
            for (Expr t : sa.terms()) {
                Expr match = left.stream().filter(u -> negation(t, u)).findFirst().orElse(null);
                if (match == null) return false;
                left.remove(match);
            }
            return true;
        }
        return false;
    }

    /** Factor by factor equal or negated, with an odd number negated: c·(t² − 1)·x and c·(1 − t²)·x. */
    private static boolean oddlyManyNegatedFactors(Expr.Product a, Expr.Product b) {
        if (a.factors().size() != b.factors().size()) return false;
        int negated = 0;
        for (int i = 0; i < a.factors().size(); i++) {
            Expr x = a.factors().get(i);
            Expr y = b.factors().get(i);
            if (x.equals(y)) continue;
            if (!negation(x, y)) return false;
            negated++;
        }
        return negated % 2 == 1;
    }

    /** k·x and −k·x (or x with −1 written out). */
    private static boolean negatedCoefficient(Expr.Product a, Expr.Product b) {
        List<Expr> fa = a.factors();
        List<Expr> fb = b.factors();
        if (fa.get(0) instanceof Expr.Num ka) {
            if (fb.get(0) instanceof Expr.Num kb) {
                return ka.value().negate().equals(kb.value()) && fa.subList(1, fa.size()).equals(fb.subList(1, fb.size()));
            }
            return ka.value().negate().isOne() && fa.subList(1, fa.size()).equals(fb);
        }
        return false;
    }
}
