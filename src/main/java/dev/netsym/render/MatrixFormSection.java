package dev.netsym.render;

import dev.netsym.calculus.Derivation;
import dev.netsym.model.Builtin;
import dev.netsym.model.Network;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the text and LaTeX derivations share about the matrix form: whether it comes before
 * the scalar gradients, which parameter tensors to show, the notes on its notation, and the
 * LaTeX section itself.
 */
public final class MatrixFormSection {
    /**
     * Up to this many scalar parameters the derivation element by element still reads well and
     * comes first; beyond it, the matrix form is what a person reads first.
     */
    static final int SCALAR_FIRST_UP_TO = 12;

    /**
     * Beyond this many scalar parameters a network with a matrix form gets that form alone unless
     * asked for more (--full, --param): element by element its derivation runs to millions of lines
     * (27,648 weights: 2.9 million lines, 250 MB, three minutes) that no one reads.
     */
    static final int SCALAR_FORM_UP_TO = 5_000;

    private MatrixFormSection() {}

    /**
     * Whether derive and latex show the gradients in matrix form only, leaving the scalar form out.
     * Networks of dense layers alone keep it: a line per layer sums it up.
     */
    public static boolean scalarFormLeftOut(Network network) {
        return network.parameters().size() > SCALAR_FORM_UP_TO && MatrixGradients.applies(network.tensors())
                && network.units().stream().anyMatch(u -> u.layer() == null);
    }

    /** How many gradients element by element were left out, in words. */
    static String leftOut(Network network) {
        return "The " + String.format(java.util.Locale.ROOT, "%,d", network.parameters().size())
                + " gradients element by element are left out: over " + String.format(java.util.Locale.ROOT, "%,d",
                SCALAR_FORM_UP_TO) + " they are more than anyone reads one by one";
    }

    static boolean first(Derivation d) {
        return d.network().parameters().size() > SCALAR_FIRST_UP_TO || DerivationSummary.unitsSummarised(d);
    }

    /** The parameter tensors with an element among the gradients derived (all, unless --param chose some). */
    static Set<String> shownParameters(Derivation d) {
        Set<String> out = new HashSet<>();
        for (Derivation.GradientDerivation g : d.gradients()) {
            String name = g.parameter();
            int bracket = name.indexOf('[');
            out.add(bracket < 0 ? name : name.substring(0, bracket));
        }
        return out;
    }

    /** One sentence for each notation the steps use beyond the heading's. */
    static List<String> notes(MatrixGradients.Form form) {
        List<String> notes = new ArrayList<>();
        if (form.uses(MatrixExpr.Vjp.class)) {
            notes.add("J_f(…) is the Jacobian of f at its arguments (J_f,k in its k-th argument), so J_f(…)ᵀ g is"
                    + " what backpropagation passes back through f; netsym shows f by name and does not write it out");
        }
        if (form.uses(MatrixExpr.SumOver.class)) {
            notes.add("sum(g) adds up every element of g, sum(g, k) its elements along axis k: an operand repeated to"
                    + " fit (a bias, a single number) collects the back-signal of every copy");
        }
        if (form.uses(MatrixExpr.Expand.class)) {
            notes.add("g 𝟙ᵀ and 𝟙 gᵀ repeat g along the axis that sum(…, k) added up");
        }
        if (form.uses(MatrixExpr.Scatter.class)) notes.add("e[i] is 1 at element i and 0 elsewhere");
        return notes;
    }

    /**
     * The section of the LaTeX document: the statements on whole tensors, then the backward pass.
     *
     * @param scalarLeftOut whether the scalar form was left out for the network's size: the network
     *     section then gave the statements on whole tensors ({@link #latexForward}), and this section
     *     says what it leaves out
     */
    static void latex(Network network, Derivation derivation, String top, boolean scalarLeftOut, PrintWriter out) {
        MatrixGradients.Form form = MatrixGradients.of(network.tensors());
        MatrixFormPrinter p = MatrixFormPrinter.latex(form);
        out.println("\\section*{Gradients in matrix form}");
        String backpropagation = "backpropagation from the objective: for each unit $u$,"
                + " $\\delta_{u} = \\partial " + p.name(top) + "/\\partial u$, and the gradient of each parameter as soon"
                + " as every unit using it has its $\\delta$.";
        String notation = " Vectors are columns, $^{\\top}$ transposes, $\\odot$ is the product element by element and"
                + " $\\mathbf{1}$ a tensor of ones.";
        if (scalarLeftOut) {
            out.println("On the tensors of the network above, " + backpropagation + notation);
        } else {
            out.println("The network on whole tensors, then " + backpropagation + notation);
            align(forwardRows(form, p, top), out);
        }
        Set<String> wanted = derivation == null ? form.parameters() : shownParameters(derivation);
        List<String> rows = new ArrayList<>();
        for (MatrixGradients.Step step : form.steps()) {
            if (step.parameter() && !wanted.contains(step.name())) continue;
            String lhs = step.parameter() ? p.partial(top, step.name()) : p.delta(step.name());
            rows.addAll(LatexLines.rows(lhs, breakable(p.print(step.value()))));
        }
        align(rows, out);
        List<String> sentences = new ArrayList<>();
        for (String f : form.derivatives()) {
            Optional<Builtin> b = Builtin.byName(f);
            if (b.isPresent() && b.get().latexDerivativeNote() != null) sentences.add("Here " + b.get().latexDerivativeNote() + ".");
        }
        if (form.uses(MatrixExpr.Vjp.class)) {
            sentences.add("$J_{f}(\\dots)$ is the Jacobian of $f$ at its arguments ($J_{f,k}$ in its $k$-th argument), so"
                    + " $J_{f}(\\dots)^{\\top} g$ is what backpropagation passes back through $f$; $f$ is shown by name"
                    + " and not written out.");
        }
        if (form.uses(MatrixExpr.SumOver.class)) {
            sentences.add("$\\operatorname{sum}(g)$ adds up every element of $g$, $\\operatorname{sum}(g, k)$ its"
                    + " elements along axis $k$: an operand repeated to fit (a bias, a single number) collects the"
                    + " back-signal of every copy.");
        }
        if (form.uses(MatrixExpr.Expand.class)) {
            sentences.add("$g\\,\\mathbf{1}^{\\top}$ and $\\mathbf{1}\\,g^{\\top}$ repeat $g$ along the axis that a sum added up.");
        }
        if (form.uses(MatrixExpr.Scatter.class)) sentences.add("$e_{i}$ is 1 at element $i$ and 0 elsewhere.");
        if (scalarLeftOut) sentences.add(leftOut(network) + "; \\texttt{netsym latex --full} writes them.");
        if (!sentences.isEmpty()) out.println(String.join(" ", sentences));
        out.println();
    }

    /** The network's statements on whole tensors, then its objective, as one display. */
    static void latexForward(Network network, String top, PrintWriter out) {
        MatrixGradients.Form form = MatrixGradients.of(network.tensors());
        align(forwardRows(form, MatrixFormPrinter.latex(form), top), out);
    }

    private static List<String> forwardRows(MatrixGradients.Form form, MatrixFormPrinter p, String top) {
        List<String> rows = new ArrayList<>();
        for (var s : form.forward()) rows.addAll(LatexLines.rows(p.name(s.name()), breakable(p.print(s.value()))));
        if (!p.print(form.objective()).equals(p.name(top))) {
            rows.addAll(LatexLines.rows(p.name(top), breakable(p.print(form.objective()))));
        }
        return rows;
    }

    private static void align(List<String> rows, PrintWriter out) {
        out.println("\\begin{align*}");
        for (int i = 0; i < rows.size(); i++) {
            out.println(LatexLines.unmarked(rows.get(i)) + (i + 1 < rows.size() ? " \\\\" : ""));
        }
        out.println("\\end{align*}");
    }

    /** Break marks only outside brace groups: a row may not end inside \\frac{…} or ^{…}. */
    static String breakable(String latex) {
        StringBuilder out = new StringBuilder(latex.length());
        int depth = 0;
        for (int i = 0; i < latex.length(); i++) {
            char c = latex.charAt(i);
            if (c == '\\' && i + 1 < latex.length()) {
                out.append(c).append(latex.charAt(++i));
                continue;
            }
            if (c == '{') depth++;
            if (c == '}') depth--;
            if (c == LatexExprPrinter.BREAK && depth > 0) continue;
            out.append(c);
        }
        return out.toString();
    }
}
