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
        out.println(LawsSentences.count(laws));
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
                        : "  [" + LawsSentences.UNPROVED + "]";
                if (g.single()) {
                    out.println("  " + g.pattern() + status);
                } else {
                    out.println("  for each k in {" + String.join(", ", g.values()) + "}: " + g.pattern() + status);
                }
            }
            for (String line : LawsSentences.proofs(laws)) out.println("  " + line);
            if (laws.dependentLaws() > 0) out.println("  " + LawsSentences.dependent(laws));
        }
        out.println();
        out.println("Complete: " + LawsSentences.completeness(laws));
        out.println();
        out.println("Scope:");
        for (String line : LawsSentences.scope(laws)) out.println("  " + line);
        out.flush();
    }
}
