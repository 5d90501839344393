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
        prose("", "  ", LawsSentences.count(laws));
        for (String line : LawsSentences.countBasis(laws)) prose("  ", "    ", line);
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
                String head = g.single() ? "  " : "  for each k in {" + String.join(", ", g.values()) + "}: ";
                TextLines.printExpression(out, head, g.pattern() + status, "      ");
            }
            for (String line : LawsSentences.proofs(laws)) prose("  ", "    ", line);
            if (laws.dependentLaws() > 0) prose("  ", "    ", LawsSentences.dependent(laws));
        }
        out.println();
        prose("", "  ", "Complete: " + LawsSentences.completeness(laws));
        out.println();
        out.println("Scope:");
        for (String line : LawsSentences.scope(laws)) prose("  ", "    ", line);
        out.flush();
    }

    /** A sentence wrapped to the width; a line that starts indented keeps its indent on every line. */
    private void prose(String first, String rest, String text) {
        String own = text.substring(0, text.length() - text.stripLeading().length());
        TextLines.print(out, TextLines.words(first + own, rest + own, text.strip()));
    }
}
