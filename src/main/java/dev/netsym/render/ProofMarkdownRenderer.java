package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofDetails;
import dev.netsym.proof.Separation;
import dev.netsym.proof.ShownExpressions;
import dev.netsym.proof.SpecialValue;
import dev.netsym.proof.Witness;
import dev.netsym.proof.WitnessRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The proof as Markdown with {@code $…$} math, for a README or a question-and-answer site:
 * the same content as the text rendering, typeset by the LaTeX expression printer.
 */
public final class ProofMarkdownRenderer {
    private static final int LISTED = 12;

    private final PrintWriter out;
    private final String source;
    private final boolean full;
    private LatexExprPrinter tex;
    /** How expressions are shown: compacted and bounded, or as computed with --full. */
    private ShownExpressions shown = ShownExpressions.BOUND_ONLY;
    /** Names whose definitions are printed already. */
    private final Set<String> defined = new HashSet<>();

    public ProofMarkdownRenderer(PrintWriter out, String source) {
        this(out, source, false);
    }

    /** @param full every expression as computed, however long (--full) */
    public ProofMarkdownRenderer(PrintWriter out, String source, boolean full) {
        this.out = out;
        this.source = source;
        this.full = full;
    }

    public void render(Proof proof) {
        Network n = proof.network();
        tex = LatexExprPrinter.forNetwork(n);
        shown = full ? ShownExpressions.FULL
                : proof.details().map(ProofDetails::shown).orElse(ShownExpressions.BOUND_ONLY);
        defined.clear();
        out.println("## Theorem");
        out.println();
        out.println("From the initialisation in `" + source.replace("`", "'") + "` ("
                + mathNames(ProofTextRenderer.initialisation(n)) + "), "
                + (n.data().isEmpty() ? "for every dataset, batch order and learning-rate schedule"
                : "for the " + n.data().size() + " data samples of the spec, in any batches and order")
                + ", gradient descent keeps these parameters equal at every step:");
        out.println();
        List<ParameterClass> tied = proof.classes().stream().filter(c -> !c.frozen() && c.members().size() > 1).toList();
        if (tied.isEmpty()) {
            out.println(proof.complete() ? "- none: every parameter that moves can take a value of its own" : "- none proved");
        }
        tied.stream().limit(LISTED).forEach(c -> out.println("- $" + set(c.signedMembers()) + "$"));
        if (tied.size() > LISTED) out.println("- … and " + (tied.size() - LISTED) + " more classes");
        out.println();
        List<String> frozen = proof.frozen();
        out.println(frozen.isEmpty() ? "No parameter is sure to stay at its initial value."
                : "These never move from their initial values: $" + set(frozen) + "$.");
        out.println();
        out.println(TheoremSentences.optimiserScope(proof, name -> "$" + tex.name(name) + "$", text -> text));
        out.println();
        induction(proof);
        separations(proof);
        timeline(proof);
        if (!proof.undecided().isEmpty()) {
            out.println("## Undecided");
            out.println();
            proof.undecided().stream().limit(LISTED)
                    .forEach(p -> out.println("- $" + set(p) + "$: neither proved nor separated; kept apart"));
            if (proof.undecided().size() > LISTED) out.println("- … and " + (proof.undecided().size() - LISTED) + " more");
            out.println();
        }
        if (proof.timedOut()) {
            out.println("A time limit cut short: " + TheoremSentences.cutShort(proof.cutShort(), LISTED) + ".");
            out.println();
        }
        if (!proof.specialValues().isEmpty()) {
            out.println("## Special initial values");
            out.println();
            for (SpecialValue v : proof.specialValues()) {
                out.println("- $" + tex.name(v.symbol()) + " = " + v.value() + "$: " + v.summary());
            }
            out.println();
        }
        out.println("## What the network really is");
        out.println();
        proof.details().flatMap(ProofDetails::objective).ifPresent(o -> where(List.of(shown.of(o))));
        out.println(TheoremSentences.capitalised(TheoremSentences.trainableValues(proof)) + " of " + n.parameters().size() + " parameters."
                + proof.details().flatMap(ProofDetails::objective)
                        .map(o -> " It computes $" + objective(proof) + " = " + show(o) + "$.").orElse(""));
        out.flush();
    }

    /** When each parameter first moves, and why each frozen one never does. */
    private void timeline(Proof proof) {
        timelineList("## When each parameter first moves", "Proved not earlier; a witness run moves it then.",
                TimelineSentences.moves(proof));
        timelineList("## Why the frozen parameters never move", null, TimelineSentences.frozen(proof));
    }

    private void timelineList(String heading, String note, List<TimelineSentences.Line> lines) {
        if (lines.isEmpty()) return;
        out.println(heading);
        out.println();
        if (note != null) {
            out.println(note);
            out.println();
        }
        lines.stream().limit(LISTED).forEach(l -> out.println("- $" + String.join(", ",
                l.names().stream().map(tex::name).toList()) + "$: " + l.description()));
        if (lines.size() > LISTED) out.println("- … and " + (lines.size() - LISTED) + " more");
        out.println();
    }

    private void induction(Proof proof) {
        out.println("## Proof, by induction on the step $t$");
        out.println();
        out.println("**Base.** Each class starts at one value (the initialisation above).");
        out.println();
        List<String> values = new ArrayList<>();
        for (ParameterClass c : proof.classes()) {
            if (c.members().size() == 1 && !c.frozen()) continue;
            values.add(c.signedMembers().stream().map(this::signedName).collect(Collectors.joining(" = ")) + " = "
                    + (c.frozen() ? LatexDocumentRenderer.value(c.initialValue(), tex) : tex.name(c.symbol())));
        }
        out.println("**Step.** Suppose that at step $t$: " + (values.isEmpty() ? "(nothing to assume)"
                : values.stream().limit(LISTED).map(v -> "$" + v + "$").collect(Collectors.joining(", ")))
                + (values.size() > LISTED ? ", …" : "") + ".");
        ProofDetails d = proof.details().filter(x -> x.skipped().isEmpty()).orElse(null);
        if (d != null && !d.units().isEmpty()) {
            // Units are written in the order they are computed, so each may use the ones before it.
            defined.addAll(d.units().keySet());
            where(d.units().values().stream().map(shown::of).toList());
            out.println("Then the units are");
            out.println();
            out.println("$$\\begin{aligned}");
            for (Map.Entry<String, Expr> u : d.units().entrySet()) {
                out.println(tex.name(u.getKey()) + " &= " + show(u.getValue())
                        + since(d, List.of(u.getKey())) + " \\\\");
            }
            out.println("\\end{aligned}$$");
            out.println();
        }
        out.println("and on that subspace:");
        out.println();
        List<ParameterClass> listed = proof.classes().stream().filter(c -> c.members().size() > 1 || c.frozen())
                .limit(LISTED).toList();
        where(listed.stream().map(c -> c.certificate().commonGradient()).flatMap(java.util.Optional::stream)
                .map(shown::of).toList());
        int count = 0;
        for (ParameterClass c : proof.classes()) {
            if (c.members().size() == 1 && !c.frozen()) continue;
            if (count++ == LISTED) {
                out.println("- …");
                break;
            }
            String lhs = c.members().stream().map(m -> (c.negated().contains(m) ? "-" : "") + partial(proof, m))
                    .collect(Collectors.joining(" = "));
            String rhs = c.certificate().commonGradient().map(this::show).orElse(c.frozen() ? "0" : "");
            String since = d == null || c.certificate().commonGradient().isEmpty() ? "" : since(d, c.members());
            out.println("- $" + lhs + (rhs.isEmpty() ? "" : " = " + rhs) + since + "$ — certificate: "
                    + c.certificate().kind().label());
        }
        out.println();
        out.println("so one step keeps every class together, and the claim holds at $t + 1$. $\\blacksquare$");
        out.println();
    }

    private void separations(Proof proof) {
        if (proof.separations().isEmpty()) return;
        out.println("## Why the classes are no coarser");
        out.println();
        List<Separation> listed = proof.separations().stream().limit(LISTED).toList();
        Map<WitnessRun, String> runs = WitnessRuns.labels(listed);
        runs.forEach((run, label) -> out.println("- witness run " + label + ": " + run(run)));
        out.println();
        where(listed.stream().map(Separation::difference).flatMap(java.util.Optional::stream).map(shown::of).toList());
        listed.forEach(s -> {
            StringBuilder line = new StringBuilder("- ");
            line.append(s.isMove() ? "$" + tex.name(s.first()) + "$ moves"
                    : "$" + tex.name(s.first()) + "$ and $" + (s.opposite() ? "-" : "") + tex.name(s.second())
                    + "$ separate");
            s.difference().ifPresent(d -> line.append(": on the subspace $").append(partial(proof, s.first()))
                    .append(s.isMove() ? "" : (s.opposite() ? " + " : " - ") + partial(proof, s.second())).append(" = ")
                    .append(show(d)).append("$"));
            line.append(". Witness: ").append(witness(s, s.witness(), runs.get(s.witness().run())));
            out.println(line.append('.'));
        });
        if (proof.separations().size() > LISTED) out.println("- … and " + (proof.separations().size() - LISTED) + " more");
        out.println();
    }

    /** An expression as shown (math mode): its compact form, or a note of its size when longer than the bound. */
    private String show(Expr e) {
        ShownExpressions.Shown s = shown.of(e);
        return s.omitted() ? "\\text{(" + s.omission() + ")}" : tex.print(s.expr());
    }

    /** "Where $u_{1} = …$." before the expressions that use names no earlier line defined. */
    private void where(List<ShownExpressions.Shown> forms) {
        List<ShownExpressions.Definition> needed = shown.needs(forms, defined);
        if (needed.isEmpty()) return;
        out.println("Where " + needed.stream().map(d -> "$" + tex.name(d.name()) + " = "
                + (d.value().omitted() ? "\\text{(" + d.value().omission() + ")}" : tex.print(d.value().expr())) + "$")
                .collect(Collectors.joining(", ")) + ":");
        out.println();
    }

    private String witness(Separation s, Witness w, String run) {
        String after = s.isMove() ? tex.name(s.first()) + " = " + w.firstValue()
                : tex.name(s.first()) + " = " + w.firstValue() + " \\ne " + tex.name(s.second()) + " = " + w.secondValue();
        return "run " + run + ", after step " + w.step() + ", $" + after + "$";
    }

    /** A run's setup in full (start, data, η, activations): Markdown is for reading, JSON lists long ones too. */
    private String run(WitnessRun r) {
        List<String> parts = new ArrayList<>();
        r.start().forEach((k, v) -> parts.add(tex.name(k) + " = " + v));
        for (Map<String, String> sample : r.data()) {
            if (sample.size() > LISTED) {
                parts.add("\\text{" + sample.size() + " random data values (--format json lists them)}");
            } else {
                sample.forEach((k, v) -> parts.add(tex.name(k) + " = " + v));
            }
        }
        parts.add("\\eta = " + r.learningRate());
        StringBuilder text = new StringBuilder("$" + String.join(",\\ ", parts) + "$"
                + (r.plainSteps() ? "" : ", " + r.rule().describe()) + " (" + r.arithmetic() + ")");
        for (WitnessRun.Activation f : r.activations()) {
            if (f.formula().isPresent()) {
                text.append("; $").append(f.name()).append("(z) = ").append(tex.print(f.formula().get())).append("$");
            } else {
                List<String> values = f.values().stream().limit(LISTED).map(v -> f.name()
                        + (v.order() <= 2 ? "'".repeat(v.order()) : "^{(" + v.order() + ")}") + "(" + v.at() + ") = "
                        + v.value()).toList();
                text.append("; $").append(f.name()).append("$ any smooth function with $")
                        .append(String.join(",\\ ", values)).append("$")
                        .append(f.values().size() > LISTED ? " … (" + f.values().size() + " values, --format json lists them)" : "");
            }
        }
        return text.toString();
    }

    /** ", \text{since } z \le 0 \text{ under the assumptions}" where sign facts made ReLUs in these entries 0. */
    private String since(ProofDetails d, List<String> names) {
        List<Expr> nonPositive = d.nonPositiveByAssumption(names);
        if (nonPositive.isEmpty()) return "";
        return ",\\ \\text{since } " + nonPositive.stream().map(e -> tex.print(e) + " \\le 0")
                .collect(Collectors.joining(" \\text{ and } ")) + " \\text{ under the assumptions}";
    }

    private String partial(Proof proof, String parameter) {
        return "\\frac{\\partial " + tex.name(objective(proof)) + "}{\\partial " + tex.name(parameter) + "}";
    }

    private static String objective(Proof proof) {
        return proof.network().objectiveName();
    }

    private String set(List<String> names) {
        List<String> shown = names.size() <= LISTED ? names
                : List.of(names.get(0), names.get(1), "\\dots", names.get(names.size() - 1));
        return "\\{" + shown.stream().map(n -> n.equals("\\dots") ? n : signedName(n)).collect(Collectors.joining(", "))
                + "\\}";
    }

    private String signedName(String n) {
        return LatexDocumentRenderer.signedName(n, tex);
    }

    /** Plain prose with names in it, made safe for Markdown. */
    private static String mathNames(String prose) {
        return prose.replace("*", "\\*").replace("_", "\\_");
    }
}
