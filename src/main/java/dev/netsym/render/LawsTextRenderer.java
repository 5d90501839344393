package dev.netsym.render;

import dev.netsym.proof.ConservationLaws;
import java.io.PrintWriter;
import java.util.List;

/** Conservation laws as text for a person: the count and its certainty, the laws, completeness, scope. */
public final class LawsTextRenderer {
    private final PrintWriter out;
    private final String source;

    public LawsTextRenderer(PrintWriter out, String source) {
        this.out = out;
        this.source = source;
    }

    public void render(ConservationLaws laws) {
        out.println("Conservation laws of gradient flow for " + source + " (" + laws.parameters() + " parameters)");
        out.println();
        out.println("Count: " + (laws.certified() ? "" : "at most ") + laws.count() + " independent conservation law"
                + (laws.count() == 1 ? "" : "s") + ", "
                + (laws.everyDataset() ? "for every dataset" : "for the spec's " + laws.samples() + " data sample"
                + (laws.samples() == 1 ? "" : "s")) + (laws.piecewise() ? ", on one activation region" : ""));
        for (String line : LawsSentences.countBasis(laws)) out.println("  " + line);
        out.println();
        List<LawPatterns.Group> groups = LawPatterns.group(laws.laws());
        if (laws.laws().isEmpty()) {
            out.println("Polynomial laws of degree <= " + laws.degree() + ": none.");
        } else {
            out.println("Polynomial laws of degree <= " + laws.degree() + " (" + laws.laws().size()
                    + " functionally independent):");
            for (LawPatterns.Group g : groups) {
                String status = g.laws().stream().allMatch(ConservationLaws.Law::proved) ? ""
                        : "  [not proved symbolically; exact modular identity tests only]";
                if (g.single()) {
                    out.println("  " + g.pattern() + status);
                } else {
                    out.println("  for each k in {" + String.join(", ", g.values()) + "}: " + g.pattern() + status);
                }
            }
            List<ConservationLaws.Law> proved = laws.laws().stream().filter(ConservationLaws.Law::proved).toList();
            if (!proved.isEmpty()) out.println("  Proof of each law not marked otherwise: " + proved.get(0).proof() + ".");
            if (laws.dependentLaws() > 0) {
                out.println("  (" + laws.dependentLaws() + " further polynomial law" + (laws.dependentLaws() == 1 ? " is a function" : "s are functions")
                        + " of these, such as products of laws.)");
            }
        }
        out.println();
        out.println("Complete: " + LawsSentences.completeness(laws));
        out.println();
        out.println("Scope:");
        for (String line : LawsSentences.scope(laws)) out.println("  " + line);
        out.flush();
    }
}
