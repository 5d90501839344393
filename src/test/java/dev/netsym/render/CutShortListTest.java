package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.proof.Proof;
import dev.netsym.proof.Timeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A budget that runs out on a big network can cut short dozens of decisions (a key bias's
 * every element, never moving and staying equal to the first): the text lists a few, one per
 * line, and says how many more; markdown and LaTeX name a dozen and count the rest.
 */
class CutShortListTest {

    private static Proof cutShort(int decisions) {
        Proof base = ProofFixtures.cs231nProof();
        List<String> cut = new ArrayList<>();
        for (int i = 1; i <= decisions; i++) cut.add("whether bk[" + i + "] never moves");
        return new Proof(base.network(), base.classes(), base.separations(), List.of(List.of("w1", "w3")),
                base.unitClasses(), base.arithmetic(), base.rounds(), true, base.specialValues(), Optional.empty(), cut,
                Timeline.NONE);
    }

    private static String render(Consumer<PrintWriter> renderer) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        renderer.accept(out);
        out.flush();
        return text.toString();
    }

    @Test
    void theTextListsEightOnALineEachAndCountsTheRest() {
        Proof proof = cutShort(40);
        String text = render(out -> new ProofTextRenderer(out, "big.net", false).render(proof));
        assertTrue(text.contains("  A time limit cut short:\n    whether bk[1] never moves\n"), text);
        assertTrue(text.contains("    whether bk[8] never moves\n    ... and 32 more (--full lists them)\n"), text);
        assertFalse(text.contains("bk[9]"), text);
        assertTrue(text.lines().allMatch(line -> line.length() < 200), text);

        String full = render(out -> new ProofTextRenderer(out, "big.net", true).render(proof));
        assertTrue(full.contains("    whether bk[40] never moves\n"), full);
        assertFalse(full.contains("more (--full lists them)"), full);

        String one = render(out -> new ProofTextRenderer(out, "big.net", false).render(cutShort(1)));
        assertTrue(one.contains("  A time limit cut short: whether bk[1] never moves.\n"), one);
    }

    @Test
    void markdownAndLatexNameADozenAndCountTheRest() {
        Proof proof = cutShort(40);
        String markdown = render(out -> new ProofMarkdownRenderer(out, "big.net", false).render(proof));
        assertTrue(markdown.contains("whether bk[12] never moves; and 28 more."), markdown);
        assertFalse(markdown.contains("bk[13]"), markdown);
        // LaTeX source wraps its long lines.
        String latex = render(out -> new LatexDocumentRenderer(out).render(proof.network(), null, proof)).replace('\n', ' ');
        assertTrue(latex.contains("whether bk[12] never moves; and 28 more."), latex);
        assertFalse(latex.contains("bk[13]"), latex);
        assertEquals(1, markdown.lines().filter(line -> line.startsWith("A time limit cut short")).count(), markdown);
    }
}
