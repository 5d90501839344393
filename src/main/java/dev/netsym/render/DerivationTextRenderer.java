package dev.netsym.render;

import dev.netsym.calculus.ChainTerm;
import dev.netsym.calculus.Derivation;
import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.proof.ShownExpressions;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A derivation as a person writes it by hand: each unit, then for each parameter a chain of
 * equalities from the Leibniz form down to the result and its value at the initialisation.
 * Lines stay within {@link TextLines#WIDTH} columns; long right-hand sides break at their shallowest operator.
 */
public final class DerivationTextRenderer {
    private final ExprPrinter printer;
    private final boolean full;
    /** How expressions are shown: compacted and bounded, or as computed with --full. */
    private ShownExpressions shown = ShownExpressions.BOUND_ONLY;

    public DerivationTextRenderer() { this(ExprPrinter.unicode(), false); }

    public DerivationTextRenderer(ExprPrinter printer) { this(printer, false); }

    /** @param full every expression as computed, however long (--full) */
    public DerivationTextRenderer(ExprPrinter printer, boolean full) {
        this.printer = printer;
        this.full = full;
    }

    public void render(Derivation derivation, Writer writer) {
        PrintWriter out = writer instanceof PrintWriter pw ? pw : new PrintWriter(writer);
        shown = DerivationDisplay.of(derivation, full);
        boolean matrixForm = MatrixGradients.applies(derivation.network().tensors());
        boolean matrixFirst = matrixForm && MatrixFormSection.first(derivation);
        if (matrixFirst) {
            renderMatrixForm(derivation, out);
            out.println();
        }
        if (DerivationSummary.unitsSummarised(derivation)) {
            renderAdjointForm(derivation, out);
        } else {
            renderScalarForm(derivation, out);
        }
        if (matrixForm && !matrixFirst) {
            out.println();
            renderMatrixForm(derivation, out);
        }
        out.flush();
    }

    /**
     * The gradients of tensor parameters as a textbook writes backpropagation: the statements
     * on whole tensors, then δ of each unit from the objective backwards, each parameter's
     * gradient as soon as it is complete.
     */
    private void renderMatrixForm(Derivation d, PrintWriter out) {
        renderMatrixForm(d.network(), d.objectiveName(), MatrixFormSection.shownParameters(d), out);
    }

    /**
     * The matrix form alone, for a network too big to derive element by element
     * ({@link MatrixFormSection#scalarFormLeftOut}): needs no computer algebra.
     */
    public void renderMatrixFormOnly(Network network, Writer writer) {
        PrintWriter out = writer instanceof PrintWriter pw ? pw : new PrintWriter(writer);
        String top = network.objectiveName();
        renderMatrixForm(network, top, MatrixGradients.of(network.tensors()).parameters(), out);
        out.println();
        note(MatrixFormSection.leftOut(network) + "; 'netsym derive --param NAME' derives one parameter's"
                + " (repeatable), 'netsym derive --full' all of them", out);
        out.flush();
    }

    private void renderMatrixForm(Network network, String top, Set<String> wanted, PrintWriter out) {
        MatrixGradients.Form form = MatrixGradients.of(network.tensors());
        MatrixFormPrinter matrices = MatrixFormPrinter.text();
        out.println("Gradients in matrix form");
        note("vectors are columns; W x is the matrix product, ᵀ the transpose, ⊙ the product element by element,"
                + " 𝟙 a tensor of ones; δ_u = ∂" + matrices.name(top) + "/∂u", out);
        for (var s : form.forward()) {
            TextLines.printExpression(out, "  " + matrices.name(s.name()) + " = ", matrices.print(s.value()), "      ");
        }
        // An objective that is a unit (objective y) is defined above already.
        if (!matrices.print(form.objective()).equals(matrices.name(top))) {
            TextLines.printExpression(out, "  " + matrices.name(top) + " = ", matrices.print(form.objective()), "      ");
        }
        out.println();
        Set<Builtin> stated = EnumSet.noneOf(Builtin.class);
        for (MatrixGradients.Step step : form.steps()) {
            if (step.parameter() && !wanted.contains(step.name())) continue;
            String lhs = step.parameter() ? matrices.partial(top, step.name()) : matrices.delta(step.name());
            String rhs = matrices.print(step.value());
            derivativeNotes(List.of(rhs), stated, out);
            TextLines.printExpression(out, "  " + lhs + " = ", rhs, "      ");
        }
        for (String line : MatrixFormSection.notes(form)) note(line, out);
    }

    private void renderScalarForm(Derivation derivation, PrintWriter out) {
        out.println("Units");
        for (Derivation.UnitDerivation u : derivation.units()) {
            List<String> sides = new ArrayList<>();
            // The definition as the spec writes it, whatever its length; what is computed from it, within the bound.
            sides.add(printer.print(u.definition()));
            if (u.expansion() != null && !u.expansion().equals(u.definition())) {
                sides.add(show(u.expansion()));
            }
            equalities("  " + printer.name(u.name()), sides, out);
            if (u.stoppedBecause() != null) note(u.stoppedBecause(), out);
        }
        out.println();
        String top = printer.name(derivation.objectiveName());
        out.println("Gradients of " + top + (initialisation(derivation).isEmpty() ? ""
                : ", at the initialisation " + initialisation(derivation)));
        where(derivation, out);
        Set<Builtin> stated = EnumSet.noneOf(Builtin.class);
        for (Derivation.GradientDerivation g : derivation.gradients()) {
            out.println();
            List<String> sides = sides(g);
            derivativeNotes(sides, stated, out);
            equalities("  ∂" + top + "/∂" + printer.name(g.parameter()), sides, out);
            if (g.atInit() != null && !initialisation(derivation).isEmpty()) {
                equalities("    at init", List.of(show(g.atInit())), out);
            }
            if (g.atPoint() != null) equalities("    at the point", List.of(show(g.atPoint())), out);
            if (g.stoppedBecause() != null) note(g.stoppedBecause(), out);
        }
    }

    /** Leibniz chain, then with local values (zeros shown), then local form, result: repeats dropped. */
    private List<String> sides(Derivation.GradientDerivation g) {
        return sides(g.chain(), g.local(), g.result());
    }

    /** As above; a null term in the chain stands for the terms left out ("…"). */
    private List<String> sides(List<ChainTerm> chain, Expr local, Expr result) {
        List<String> sides = new ArrayList<>();
        boolean direct = chain.size() == 1 && chain.get(0).factors().size() == 1;
        if (!direct && !chain.isEmpty()) {
            sides.add(chain.stream().map(t -> t == null ? "…" : t.factors().stream()
                            .map(f -> "∂" + printer.name(f.of()) + "/∂" + printer.name(f.wrt()))
                            .collect(Collectors.joining(" · ")))
                    .collect(Collectors.joining(" + ")));
            sides.add(chain.stream().map(t -> t == null ? "…" : termWithLocalValues(t)).collect(Collectors.joining(" + ")));
        }
        sides.add(show(local));
        if (result != null) sides.add(show(result));
        List<String> distinct = new ArrayList<>();
        for (String s : sides) if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(s)) distinct.add(s);
        return distinct;
    }

    /**
     * A big network, unit by unit: each layer's units by one representative, then ∂L/∂u for
     * each unit from the units that use it (backpropagation), then the gradients, by layer
     * unless some were asked for by name.
     */
    private void renderAdjointForm(Derivation d, PrintWriter out) {
        Map<String, Derivation.UnitDerivation> units = new HashMap<>();
        for (Derivation.UnitDerivation u : d.units()) units.put(u.name(), u);
        String top = printer.name(d.objectiveName());
        List<DerivationSummary.Group> unitGroups = new ArrayList<>();
        for (var g : DerivationSummary.unitGroups(d, printer::name)) {
            unitGroups.add(DerivationSummary.checked(g, d, x -> unitText(units.get(x.name()), x.generic())));
        }
        out.println("Units");
        note(d.network().units().size() + " units, " + d.network().parameters().size() + " parameters: one line per"
                + " dense layer stands for all its units (j is the unit)", out);
        for (var g : unitGroups) {
            Derivation.UnitDerivation u = units.get(g.name());
            List<String> sides = new ArrayList<>();
            sides.add(printer.print(DerivationSummary.shown(u.definition(), g.generic())));
            if (u.expansion() != null && !u.expansion().equals(u.definition())) {
                sides.add(printer.print(DerivationSummary.shown(u.expansion(), g.generic())));
            }
            equalities("  " + printer.name(g.generic().apply(u.name())), sides, out);
            groupNote(g, "units", out);
            if (u.stoppedBecause() != null) note(u.stoppedBecause(), out);
        }
        out.println();
        out.println("Backpropagation: ∂" + top + "/∂u for each unit u, from the units v that use it,");
        out.println("  ∂" + top + "/∂u = Σ ∂" + top + "/∂v · ∂v/∂u (each ∂v/∂u from v's own definition)");
        Set<Builtin> stated = EnumSet.noneOf(Builtin.class);
        for (int k = unitGroups.size() - 1; k >= 0; k--) {
            var g = unitGroups.get(k);
            Derivation.UnitDerivation u = units.get(g.name());
            out.println();
            List<String> sides = sides(DerivationSummary.shown(u.adjoint(), g.generic()),
                    DerivationSummary.shown(u.adjointLocal(), g.generic()), null);
            derivativeNotes(sides, stated, out);
            equalities("  ∂" + top + "/∂" + printer.name(g.generic().apply(u.name())), sides, out);
            groupNote(g, "units", out);
        }
        out.println();
        out.println("Gradients of " + top + (initialisation(d).isEmpty() ? "" : ", at the initialisation " + initialisation(d)));
        out.println("  ∂" + top + "/∂θ = Σ ∂" + top + "/∂u · ∂u/∂θ over the units u that use θ directly");
        boolean summarised = DerivationSummary.gradientsSummarised(d);
        List<DerivationSummary.Group> groups = new ArrayList<>();
        if (summarised) {
            for (var g : DerivationSummary.parameterGroups(d)) {
                groups.add(DerivationSummary.checked(g, d, x -> gradientText(d.gradient(x.name()), x.generic())));
            }
        } else {
            for (var g : d.gradients()) groups.add(new DerivationSummary.Group(g.parameter(), n -> n, 1, "", true));
        }
        for (var group : groups) {
            Derivation.GradientDerivation g = d.gradient(group.name());
            out.println();
            List<String> sides = sides(DerivationSummary.shown(g.chain(), group.generic()),
                    DerivationSummary.shown(g.local(), group.generic()),
                    DerivationSummary.shown(g.result(), group.generic()));
            derivativeNotes(sides, stated, out);
            equalities("  ∂" + top + "/∂" + printer.name(group.generic().apply(g.parameter())), sides, out);
            if (g.atInit() != null && !initialisation(d).isEmpty()) {
                equalities("    at init", List.of(printer.print(DerivationSummary.shown(g.atInit(), group.generic()))), out);
            }
            if (g.atPoint() != null) {
                equalities("    at the point", List.of(printer.print(DerivationSummary.shown(g.atPoint(), group.generic()))), out);
            }
            groupNote(group, "parameters", out);
            if (g.stoppedBecause() != null) note(group.generic().apply(g.stoppedBecause()), out);
        }
        if (summarised) {
            out.println();
            note("Every unit and parameter of a layer follows the pattern of its layer's line, with its own j and i;"
                    + " --param NAME shows any parameter in full", out);
        }
    }

    /** Once per output, what f′ means for each builtin f whose f′(…) these lines show (relu′ at its kink). */
    private void derivativeNotes(List<String> sides, Set<Builtin> stated, PrintWriter out) {
        for (Builtin f : Builtin.values()) {
            if (f.derivativeNote() == null || stated.contains(f)) continue;
            Pattern call = Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(f.specName() + printer.prime() + "("));
            if (sides.stream().noneMatch(s -> call.matcher(s).find())) continue;
            note(f.derivativeNote().replace("'", printer.prime()), out);
            stated.add(f);
        }
    }

    private void groupNote(DerivationSummary.Group g, String what, PrintWriter out) {
        if (g.count() > 1) note("for every " + g.range() + ": " + g.count() + " " + what + " of this form", out);
        if (!g.uniform()) note("not every member of this layer has this form; --param NAME shows one in full", out);
    }

    private String unitText(Derivation.UnitDerivation u, java.util.function.UnaryOperator<String> rename) {
        return printer.print(DerivationSummary.shown(u.definition(), rename)) + " | "
                + String.join(" = ", sides(DerivationSummary.shown(u.adjoint(), rename),
                        DerivationSummary.shown(u.adjointLocal(), rename), null));
    }

    private String gradientText(Derivation.GradientDerivation g, java.util.function.UnaryOperator<String> rename) {
        return String.join(" = ", sides(DerivationSummary.shown(g.chain(), rename), DerivationSummary.shown(g.local(), rename),
                DerivationSummary.shown(g.result(), rename)));
    }

    /** An expression as shown: its compact form, or a note of its size when longer than the bound. */
    private String show(Expr e) {
        ShownExpressions.Shown s = shown.of(e);
        return s.omitted() ? "(" + s.omission() + ")" : printer.print(s.expr());
    }

    /**
     * "where u1 = …" under the heading of the gradients: the names of repeated parts their
     * results and values use (units are defined above, in the units section).
     */
    private void where(Derivation d, PrintWriter out) {
        java.util.Set<String> known = new java.util.HashSet<>();
        d.units().forEach(u -> known.add(u.name()));
        List<ShownExpressions.Shown> forms = new ArrayList<>();
        for (Derivation.GradientDerivation g : d.gradients()) {
            for (Expr e : DerivationDisplay.expressions(g)) forms.add(shown.of(e));
        }
        List<ShownExpressions.Definition> needed = shown.needs(forms, known);
        for (int i = 0; i < needed.size(); i++) {
            ShownExpressions.Definition def = needed.get(i);
            String head = (i == 0 ? "  where " : "        ") + printer.name(def.name()) + " = ";
            String body = def.value().omitted() ? "(" + def.value().omission() + ")" : printer.print(def.value().expr());
            TextLines.printExpression(out, head, body, "            ");
        }
    }

    /** w10·0 for a zero term, so the reader sees where the path stops; brackets around sums. */
    private String termWithLocalValues(ChainTerm term) {
        List<String> parts = new ArrayList<>();
        for (ChainTerm.Factor f : term.factors()) {
            Expr local = f.local();
            if (local instanceof Expr.Num n && n.value().isOne() && term.factors().size() > 1) continue;
            String printed = printer.print(local);
            parts.add(local instanceof Expr.Sum || local instanceof Expr.Neg ? "(" + printed + ")" : printed);
        }
        if (parts.isEmpty()) return "1";
        return String.join(printer.times(), parts);
    }

    /** Computed once per derivation: it is asked for every gradient, and it reads every parameter. */
    private Derivation initialisationOf;
    private String initialisation;

    private String initialisation(Derivation d) {
        if (d != initialisationOf) {
            initialisation = describeInitialisation(d);
            initialisationOf = d;
        }
        return initialisation;
    }

    private static String describeInitialisation(Derivation d) {
        Set<String> values = new LinkedHashSet<>();
        for (Parameter p : d.network().parameters()) {
            if (!(p.init() instanceof Init.Random)) values.add(NumberText.initial(p.init()));
        }
        if (values.isEmpty()) return "";
        boolean allSame = values.size() == 1
                && d.network().parameters().stream().noneMatch(p -> p.init() instanceof Init.Random);
        return allSame ? "(every parameter = " + values.iterator().next() + ")" : "(as declared)";
    }

    private void note(String text, PrintWriter out) {
        wrap("    (" + text + ")", "     ", out);
    }

    /** lhs = s1 \n = s2 ...: each side on its own line, aligned on "=". */
    private void equalities(String lhs, List<String> sides, PrintWriter out) {
        String indent = " ".repeat(lhs.length());
        for (int i = 0; i < sides.size(); i++) {
            String head = (i == 0 ? lhs : indent) + " = ";
            TextLines.printExpression(out, head, sides.get(i), indent + "   ");
        }
    }


    private void wrap(String text, String continuation, PrintWriter out) {
        String indent = text.substring(0, text.length() - text.stripLeading().length());
        TextLines.print(out, TextLines.words(indent, continuation, text.strip()));
    }
}
