package dev.netsym.render;

import dev.netsym.proof.OptimiserVerdicts;
import dev.netsym.proof.Witness;
import dev.netsym.proof.WitnessRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The table of {@code prove --optimizers}: which claims each optimiser keeps, in text or Markdown. */
public final class OptimiserTableRenderer {
    /** Broken claims listed per row in text; JSON lists them all. */
    private static final int LISTED = 8;
    private static final int LISTED_VALUES = 12;

    private final PrintWriter out;

    public OptimiserTableRenderer(PrintWriter out) {
        this.out = out;
    }

    /** Said instead of a table when the proof claims nothing an optimiser could break. */
    static final String NOTHING_CLAIMED = "the proof above claims no class of two or more and no frozen parameter,"
            + " so there is nothing for an optimiser to keep or break.";

    public void text(OptimiserVerdicts verdicts) {
        out.println();
        if (verdicts.claims() == 0) {
            wrap("", "  ", "Optimisers: " + NOTHING_CLAIMED);
            out.flush();
            return;
        }
        out.println("Optimisers: which of the " + claims(verdicts) + " above each one keeps");
        String indent = " ".repeat(10);
        for (OptimiserVerdicts.Row row : verdicts.rows()) {
            wrap("  " + label(row.kind()) + "  ", indent, row.optimiser() + " — " + row.argument());
            List<OptimiserVerdicts.Broken> broken = row.broken();
            for (OptimiserVerdicts.Broken b : broken.subList(0, Math.min(LISTED, broken.size()))) {
                wrap(indent + "✗ ", indent + "  ", brokenSentence(b) + " (run: " + run(b.witness().run()) + ")");
            }
            if (broken.size() > LISTED) out.println(indent + "… and " + (broken.size() - LISTED) + " more (--format json lists them)");
            List<List<String>> unsettled = row.unsettled();
            for (List<String> u : unsettled.subList(0, Math.min(LISTED, unsettled.size()))) {
                wrap(indent + "? ", indent + "  ", claim(u) + ": its own proof does not keep it, and no run parted it");
            }
            if (unsettled.size() > LISTED) {
                out.println(indent + "… and " + (unsettled.size() - LISTED) + " more (--format json lists them)");
            }
            if (!broken.isEmpty()) wrap(indent, indent + "  ", kept(verdicts, row) + "Runs: " + row.run() + ".");
        }
        out.flush();
    }

    public void markdown(OptimiserVerdicts verdicts) {
        out.println();
        out.println("## Optimisers");
        out.println();
        if (verdicts.claims() == 0) {
            out.println(TheoremSentences.capitalised(NOTHING_CLAIMED));
            out.flush();
            return;
        }
        out.println("Which of the " + claims(verdicts) + " above each optimiser keeps.");
        out.println();
        out.println("| optimiser | verdict | why |");
        out.println("|---|---|---|");
        for (OptimiserVerdicts.Row row : verdicts.rows()) {
            StringBuilder why = new StringBuilder(cell(row.argument()));
            for (OptimiserVerdicts.Broken b : row.broken()) {
                why.append("<br>✗ ").append(cell(brokenSentence(b))).append(" (run: ").append(cell(run(b.witness().run())))
                        .append(")");
            }
            for (List<String> u : row.unsettled()) {
                why.append("<br>? ").append(cell(claim(u))).append(": not kept by its own proof, no run parted it");
            }
            if (!row.broken().isEmpty()) why.append("<br>").append(cell(kept(verdicts, row))).append("Runs: ").append(cell(row.run()));
            out.println("| " + cell(row.optimiser()) + " | " + label(row.kind()).strip() + " | " + why + " |");
        }
        out.flush();
    }

    /** The table as a LaTeX section: one entry per optimiser, its verdict in bold, broken claims listed below. */
    public void latex(OptimiserVerdicts verdicts) {
        out.println("\\section*{Which optimisers keep the classes}");
        if (verdicts.claims() == 0) {
            out.println(LatexExprPrinter.escape(TheoremSentences.capitalised(NOTHING_CLAIMED)));
            out.flush();
            return;
        }
        out.println(LatexExprPrinter.escape("Which of the " + claims(verdicts) + " above each optimiser keeps: the"
                + " argument for each one kept, a run under that optimiser for each one broken."));
        out.println("\\begin{description}");
        for (OptimiserVerdicts.Row row : verdicts.rows()) {
            out.println("\\item[" + LatexExprPrinter.escape(row.optimiser()) + "] \\textbf{" + label(row.kind()).strip()
                    + ".} " + LatexExprPrinter.escape(row.argument()));
            if (row.broken().isEmpty() && row.unsettled().isEmpty()) continue;
            out.println("\\begin{itemize}");
            List<OptimiserVerdicts.Broken> broken = row.broken();
            for (OptimiserVerdicts.Broken b : broken.subList(0, Math.min(LISTED, broken.size()))) {
                out.println("\\item " + LatexExprPrinter.escape("Broken: " + brokenSentence(b) + " (run: "
                        + run(b.witness().run()) + ")."));
            }
            if (broken.size() > LISTED) out.println("\\item \\dots{} and " + (broken.size() - LISTED) + " more.");
            for (List<String> u : row.unsettled().subList(0, Math.min(LISTED, row.unsettled().size()))) {
                out.println("\\item " + LatexExprPrinter.escape("Open: " + claim(u) + ": its own proof does not keep"
                        + " it, and no run parted it."));
            }
            if (!broken.isEmpty()) out.println("\\item " + LatexExprPrinter.escape(kept(verdicts, row) + "Runs: "
                    + row.run() + "."));
            out.println("\\end{itemize}");
        }
        out.println("\\end{description}");
        out.flush();
    }

    /** "The other 3 claims are kept. " for a row that breaks some, or nothing when it breaks all. */
    private static String kept(OptimiserVerdicts verdicts, OptimiserVerdicts.Row row) {
        int other = verdicts.claims() - row.broken().size() - row.unsettled().size();
        return other <= 0 ? "" : other == 1 ? "The other claim is kept. " : "The other " + other + " claims are kept. ";
    }

    static String label(OptimiserVerdicts.Kind kind) {
        return switch (kind) {
            case KEEPS -> "keeps ";
            case BREAKS -> "breaks";
            case NOT_DECIDED -> "open  ";
            case DOES_NOT_APPLY -> "n/a   ";
        };
    }

    private static String claims(OptimiserVerdicts verdicts) {
        return verdicts.claims() == 1 ? "1 claim (class or frozen parameter)"
                : verdicts.claims() + " claims (classes and frozen parameters)";
    }

    static String brokenSentence(OptimiserVerdicts.Broken b) {
        Witness w = b.witness();
        String claim = b.claim().size() > 1 ? claim(b.claim()) + ": " : "";
        if (b.second() == null) {
            return claim + b.first() + " moves at step " + w.step() + ": " + w.secondValue() + " → " + w.firstValue();
        }
        return claim + b.first() + " and " + b.second() + " differ after step " + w.step() + ": " + w.firstValue()
                + " and " + w.secondValue();
    }

    /** A class as a set, its middle left out past a few members: "{W[1,1], W[2,1], …, W[256,1]} (256)". */
    static String claim(List<String> members) {
        if (members.size() <= 6) return "{" + String.join(", ", members) + "}";
        return "{" + members.get(0) + ", " + members.get(1) + ", …, " + members.get(members.size() - 1) + "} ("
                + members.size() + " members)";
    }

    /** A run's start, data, η and arithmetic in one short phrase; its optimiser is the row's. */
    static String run(WitnessRun run) {
        List<String> parts = new ArrayList<>();
        List<String> start = new ArrayList<>();
        listed(start, run.start(), "random start values");
        if (!start.isEmpty()) parts.add(String.join(", ", start));
        if (run.data().isEmpty()) parts.add("the spec's data");
        for (int k = 0; k < run.data().size(); k++) {
            List<String> sample = new ArrayList<>();
            listed(sample, run.data().get(k), "random data values");
            parts.add((run.data().size() > 1 ? "sample " + (k + 1) + ": " : "") + String.join(", ", sample));
        }
        parts.add("η = " + run.learningRate());
        return String.join("; ", parts) + "; " + run.arithmetic();
    }

    private static void listed(List<String> parts, Map<String, String> values, String what) {
        if (values.size() <= LISTED_VALUES) {
            values.forEach((k, v) -> parts.add(k + " = " + v));
        } else {
            parts.add(values.size() + " " + what);
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** The words of {@code text} from {@code first}, continued lines from {@code rest}, to the width. */
    private void wrap(String first, String rest, String text) {
        TextLines.print(out, TextLines.words(first, rest, text));
    }
}
