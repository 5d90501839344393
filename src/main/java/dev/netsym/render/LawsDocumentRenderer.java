package dev.netsym.render;

import dev.netsym.proof.ConservationLaws;
import java.io.PrintWriter;
import java.util.List;

/** Conservation laws for documents: a Markdown page ({@code laws --format markdown}) and a LaTeX section ({@code latex --laws}). */
public final class LawsDocumentRenderer {
    private final PrintWriter out;

    public LawsDocumentRenderer(PrintWriter out) {
        this.out = out;
    }

    public void markdown(ConservationLaws laws, String source) {
        out.println("# Conservation laws of gradient flow for " + source);
        out.println();
        out.println("**" + LawsSentences.count(laws) + "** (" + laws.parameters() + " parameters)");
        out.println();
        for (String line : LawsSentences.countBasis(laws)) {
            out.println(line);
            out.println();
        }
        out.println("## Polynomial laws of degree ≤ " + laws.degree());
        out.println();
        if (laws.laws().isEmpty()) {
            out.println("None.");
        } else {
            for (LawPatterns.Group g : LawPatterns.group(laws.laws())) {
                String status = allProved(g) ? "" : " *(" + LawsSentences.UNPROVED + ")*";
                out.println("- " + (g.single() ? "" : "for each k in {" + String.join(", ", g.values()) + "}: ")
                        + "`" + g.pattern() + "`" + status);
            }
            out.println();
            for (String line : LawsSentences.proofs(laws)) out.println(line.strip());
            if (laws.dependentLaws() > 0) {
                out.println();
                out.println(LawsSentences.dependent(laws));
            }
        }
        out.println();
        out.println("## Complete");
        out.println();
        out.println(TheoremSentences.capitalised(LawsSentences.completeness(laws)));
        out.println();
        out.println("## Scope");
        out.println();
        for (String line : LawsSentences.scope(laws)) out.println("- " + line);
        out.flush();
    }

    /** A section after the proof: the count, the laws in the network's notation, completeness and scope. */
    public void latex(ConservationLaws laws, LatexExprPrinter printer) {
        out.println("\\section*{Conservation laws of gradient flow}");
        out.println(LatexExprPrinter.escape(LawsSentences.count(laws) + " (" + laws.parameters() + " parameters).") + "\n");
        for (String line : LawsSentences.countBasis(laws)) out.println(LatexExprPrinter.escape(line) + "\n");
        if (laws.laws().isEmpty()) {
            out.println(LatexExprPrinter.escape("No polynomial law of degree <= " + laws.degree() + ".") + "\n");
        } else {
            out.println(LatexExprPrinter.escape("Polynomial laws of degree <= " + laws.degree() + ", "
                    + laws.laws().size() + " functionally independent:"));
            out.println("\\begin{itemize}");
            for (LawPatterns.Group g : LawPatterns.group(laws.laws())) {
                String law = "$" + printer.print(LawPatterns.expression(g.laws().get(0), g.slots())) + "$";
                String each = g.single() ? "" : "for each $k \\in \\{" + String.join(", ", g.values()) + "\\}$: ";
                String status = allProved(g) ? "" : " " + LatexExprPrinter.escape("(" + LawsSentences.UNPROVED + ")");
                out.println("\\item " + each + law + status);
            }
            out.println("\\end{itemize}");
            for (String line : LawsSentences.proofs(laws)) out.println(LatexExprPrinter.escape(line.strip()) + "\n");
            if (laws.dependentLaws() > 0) out.println(LatexExprPrinter.escape(LawsSentences.dependent(laws)) + "\n");
        }
        out.println("\\paragraph{Complete.} " + LatexExprPrinter.escape(TheoremSentences.capitalised(LawsSentences.completeness(laws))));
        out.println();
        out.println("\\paragraph{Scope.} Exact for gradient flow (continuous time), from any initialisation"
                + (laws.piecewise() ? " in the region." : "."));
        out.println("A full-batch gradient descent step $\\theta \\leftarrow \\theta - \\eta g$ changes a law"
                + " $h(\\theta) = \\sum_{i \\le j} q_{ij} \\theta_i \\theta_j + \\sum_i c_i \\theta_i$ by exactly"
                + " $-\\eta \\langle \\nabla h, g\\rangle + \\eta^2 \\sum_{i \\le j} q_{ij} g_i g_j"
                + " = \\eta^2 \\sum_{i \\le j} q_{ij} g_i g_j$, which is $O(\\eta^2)$.");
        out.println(LatexExprPrinter.escape(LawsSentences.OTHER_OPTIMISERS).replace("O(eta\\textasciicircum{}2)", "$O(\\eta^2)$")
                + "\n");
        List<String> runs = LawsSentences.driftRuns(laws);
        if (!runs.isEmpty()) {
            out.println(LatexExprPrinter.escape(runs.get(0)));
            out.println("\\begin{itemize}");
            for (String run : runs.subList(1, runs.size())) out.println("\\item " + LatexExprPrinter.escape(run.strip()));
            out.println("\\end{itemize}");
        }
        out.flush();
    }

    private static boolean allProved(LawPatterns.Group g) {
        return g.laws().stream().allMatch(ConservationLaws.Law::proved);
    }
}
