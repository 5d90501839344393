package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.proof.Certificate;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.ProofDetails;
import dev.netsym.proof.Proof;
import dev.netsym.proof.Separation;
import dev.netsym.proof.ShownExpressions;
import dev.netsym.proof.SpecialValue;
import dev.netsym.proof.Witness;
import dev.netsym.proof.WitnessRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A proof as a person reads it: the theorem, the proof by induction, the separations with
 * their witnesses, special initial values, and what the network really is. Small networks
 * are shown in full; big ones are summarised by layer unless {@code full} is set.
 */
public final class ProofTextRenderer {
    /** Up to this many parameters everything is listed. */
    public static final int FULL_LIMIT = 60;
    private static final int WIDTH = TextLines.WIDTH;
    private static final int SHOWN_SEPARATIONS = 8;

    private final PrintWriter out;
    private final ExprPrinter printer = ExprPrinter.unicode();
    private final boolean full;
    private final String source;
    /** How expressions are shown: compacted and bounded, or as computed with --full. */
    private ShownExpressions shown = ShownExpressions.BOUND_ONLY;
    /** Names whose definitions are printed already (units of the step, "where" lines). */
    private final Set<String> defined = new HashSet<>();

    public ProofTextRenderer(PrintWriter out, String source, boolean full) {
        this.out = out;
        this.source = source;
        this.full = full;
    }

    public void render(Proof proof) {
        Network n = proof.network();
        shown = full ? ShownExpressions.FULL
                : proof.details().map(ProofDetails::shown).orElse(ShownExpressions.BOUND_ONLY);
        defined.clear();
        boolean everything = full || n.parameters().size() <= FULL_LIMIT;
        theorem(proof, everything);
        scope(proof);
        induction(proof, everything);
        separations(proof, everything);
        timeline(proof, everything);
        undecided(proof);
        specialValues(proof);
        reality(proof);
        out.flush();
    }

    private void theorem(Proof proof, boolean everything) {
        Network n = proof.network();
        String opening = "Theorem. From the initialisation in " + source + " (" + initialisation(n) + "),";
        if (opening.length() <= WIDTH) {
            out.println(opening);
        } else {
            out.println("Theorem. From the initialisation in " + source);
            prose("  ", "   ", "(" + initialisation(n) + "),");
        }
        out.println("  " + dataScope(n) + ",");
        out.println("  gradient descent keeps these parameters equal at every step:");
        List<ParameterClass> moving = proof.classes().stream().filter(c -> !c.frozen()).toList();
        List<ParameterClass> groups = moving.stream().filter(c -> c.members().size() > 1).toList();
        if (groups.isEmpty()) {
            out.println(!proof.complete() ? "    (none proved)" : moving.isEmpty() ? "    (no parameter is free to move at all)"
                    : "    (none: every parameter that moves can take a value of its own)");
        } else if (everything) {
            wrap("    ", groups.stream().map(c -> braces(c.signedMembers())).toList(), "  ");
            if (groups.stream().anyMatch(c -> !c.negated().isEmpty())) {
                out.println("    (−q stands for the negative of q: those parameters stay each other's negatives)");
            }
        } else {
            layerSummary(proof);
        }
        List<String> frozen = proof.frozen();
        if (frozen.isEmpty()) {
            out.println("  and no parameter is sure to stay at its initial value.");
        } else {
            out.println("  and these never move from their initial values:");
            wrap("    ", List.of(everything ? braces(frozen) : frozen.size() + " parameters: " + abbreviate(frozen)), "");
        }
        List<TensorPatterns.Summary> tensors = TensorPatterns.describe(proof);
        if (!tensors.isEmpty()) {
            out.println("  Tensor by tensor:");
            // Tensors with nothing to say beyond "each element free" share one line.
            List<String> free = tensors.stream().filter(TensorPatterns.Summary::everyElementFree).map(TensorPatterns.Summary::name).toList();
            for (TensorPatterns.Summary t : tensors) {
                if (free.size() < 2 || !t.everyElementFree()) prose("    ", "      ", t.sentence());
            }
            if (free.size() >= 2) {
                prose("    ", "      ", "every element takes a value of its own in " + String.join(", ", free)
                        + " (" + free.size() + " tensors)");
            }
        }
        if (!proof.complete()) {
            out.println("  (Not everything was decided: the undecided pairs below may stay equal too, and the");
            out.println("  undecided parameters may never move. What is stated above is proved.)");
        }
        out.println();
    }

    private void scope(Proof proof) {
        prose("  ", "  ", TheoremSentences.optimiserScope(proof));
        out.println();
    }

    private void induction(Proof proof, boolean everything) {
        out.println("Proof, by induction on the step t.");
        prose("  ", "    ", "Base (t = 0): " + base(proof));
        if (showDetails(proof, everything)) {
            detailedStep(proof);
        } else {
            out.println("  Step: suppose that at step t every class below holds one value. Then on that subspace");
            out.println("  each member of a class has the same gradient, and each frozen parameter a zero gradient:");
        }
        Map<String, Integer> kinds = new LinkedHashMap<>();
        int listed = 0;
        List<ParameterClass> rows = new ArrayList<>();
        for (ParameterClass c : proof.classes()) {
            if (c.members().size() == 1 && !c.frozen()) continue;
            kinds.merge(c.certificate().kind().label(), 1, Integer::sum);
            if (!everything && listed >= SHOWN_SEPARATIONS) continue;
            listed++;
            rows.add(c);
        }
        if (showDetails(proof, everything)) {
            where("    ", rows.stream().map(c -> c.certificate().commonGradient()).flatMap(java.util.Optional::stream)
                    .map(shown::of).toList());
        }
        for (ParameterClass c : rows) {
            String members = everything ? braces(c.signedMembers()) : shortBraces(c.signedMembers());
            String who = c.frozen() ? members + " stay at " + c.initialValue() : members + " = " + c.symbol();
            if (showDetails(proof, everything) && c.certificate().commonGradient().isPresent()) {
                String lhs = c.members().stream()
                        .map(m -> (c.negated().contains(m) ? "−∂" : "∂") + objectiveName(proof) + "/∂" + m)
                        .collect(Collectors.joining(" = "));
                who = lhs + " = " + show(c.certificate().commonGradient().get());
            }
            String since = showDetails(proof, everything) ? since(proof, c.members()) : "";
            String label = "    [" + c.certificate().kind().label() + "]";
            if (("    " + who + since + label).length() <= WIDTH) {
                out.println("    " + who + since + label);
            } else if (("    " + who + since).length() <= WIDTH) {
                // Whole, with the label under it, rather than broken only to make room for the label.
                out.println("    " + who + since);
                out.println("        " + label.strip());
            } else {
                // The label ends the expression's last line; it has no operator to break at.
                TextLines.printExpression(out, "    ", who + (since.isEmpty() ? "" : ",") + label, "        ");
                if (!since.isEmpty()) TextLines.print(out, TextLines.words("      ", "      ", since.substring(2)));
            }
        }
        if (listed < kinds.values().stream().mapToInt(Integer::intValue).sum()) {
            out.println("    ... and " + (kinds.values().stream().mapToInt(Integer::intValue).sum() - listed)
                    + " more classes (--full lists them)");
        }
        if (kinds.isEmpty()) out.println("    (no class has two members, and nothing is frozen: nothing to prove)");
        out.println("  So one step of any such optimiser keeps every class together, and the claim holds at t + 1.");
        out.println("  Certificates: " + kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ")) + (kinds.isEmpty() ? "none needed" : "") + ".");
        certificateNotes(proof);
        out.println("  ∎");
        out.println();
    }

    private void certificateNotes(Proof proof) {
        proof.classes().stream().map(ParameterClass::certificate)
                .filter(c -> c.kind() == Certificate.Kind.RANDOMIZED).map(Certificate::detail).distinct().findFirst()
                .ifPresent(d -> prose("  ", "  ", "Randomized: " + d + "."));
        if (proof.classes().stream().anyMatch(c -> c.certificate().kind() == Certificate.Kind.STRUCTURAL)) {
            out.println("  Structural: colour refinement of the computation graph shows each class's gradients are");
            out.println("  the same expression over the same classes (valid for every input and every activation).");
        }
    }

    private void separations(Proof proof, boolean everything) {
        List<Separation> seps = proof.separations();
        if (seps.isEmpty()) return;
        out.println("Why the classes are no coarser (each separation with a witness run):");
        List<Separation> shownSeparations = everything ? seps : seps.subList(0, Math.min(seps.size(), SHOWN_SEPARATIONS));
        // One setup usually serves many separations: print each run once, then refer to it.
        Map<WitnessRun, String> runs = WitnessRuns.labels(shownSeparations);
        runs.forEach((run, label) -> run(label, run));
        if (everything) {
            where("  ", shownSeparations.stream().map(Separation::difference).flatMap(java.util.Optional::stream)
                    .map(shown::of).toList());
        }
        for (Separation s : shownSeparations) {
            String what = s.isMove() ? s.first() + " moves" + startedWith(proof, s.first())
                    : s.first() + " and " + (s.opposite() ? "−" : "") + s.second() + " separate";
            TextLines.print(out, TextLines.words("  ", "      ", what + " (round " + s.round() + ")"));
            if (s.difference().isPresent() && everything) {
                String o = objectiveName(proof);
                String lhs = s.isMove() ? "∂" + o + "/∂" + s.first()
                        : "∂" + o + "/∂" + s.first() + (s.opposite() ? " + ∂" : " − ∂") + o + "/∂" + s.second();
                TextLines.printExpression(out, "    on the subspace, " + lhs + " = ", show(s.difference().get()),
                        "        ");
            }
            Witness w = s.witness();
            String values = s.isMove() ? s.first() + " = " + w.firstValue() + " (it started at " + w.secondValue() + ")"
                    : s.first() + " = " + w.firstValue() + " but " + s.second() + " = " + w.secondValue();
            TextLines.print(out, TextLines.words("    ", "      ", "run " + runs.get(w.run()) + ": after step " + w.step() + ", "
                    + values));
        }
        if (shownSeparations.size() < seps.size()) {
            out.println("  ... and " + (seps.size() - shownSeparations.size()) + " more (--full lists them)");
        }
        out.println();
    }

    /** When each parameter first moves, and why each frozen one never does. */
    private void timeline(Proof proof, boolean everything) {
        List<TimelineSentences.Line> moves = TimelineSentences.moves(proof);
        if (!moves.isEmpty()) {
            out.println("When each parameter first moves (proved not earlier; a witness run moves it then):");
            timelineLines(moves, everything);
        }
        List<TimelineSentences.Line> frozen = TimelineSentences.frozen(proof);
        if (!frozen.isEmpty()) {
            out.println("Why the frozen parameters never move:");
            timelineLines(frozen, everything);
        }
    }

    private void timelineLines(List<TimelineSentences.Line> lines, boolean everything) {
        int shownLines = everything ? lines.size() : Math.min(lines.size(), SHOWN_SEPARATIONS);
        for (TimelineSentences.Line line : lines.subList(0, shownLines)) {
            String names = everything || line.names().size() <= 6 ? String.join(", ", line.names())
                    : abbreviate(line.names());
            prose("  ", "      ", names + ": " + line.description());
        }
        if (shownLines < lines.size()) out.println("  ... and " + (lines.size() - shownLines) + " more (--full lists them)");
        out.println();
    }

    /** A witness run's setup, wrapped to the text width; long lists point to the JSON output. */
    private void run(String label, WitnessRun run) {
        List<String> parts = new ArrayList<>();
        listed(parts, run.start(), "random start values");
        if (run.data().isEmpty()) parts.add("the spec's data");
        for (Map<String, String> sample : run.data()) listed(parts, sample, "random data values");
        parts.add("η = " + run.learningRate());
        if (!run.plainSteps()) parts.add(run.rule().describe());
        wrapParts("  witness run " + label + " (" + run.arithmetic() + "): ", parts);
        for (WitnessRun.Activation f : run.activations()) {
            if (f.formula().isPresent()) {
                out.println("    with " + f.name() + "(z) = " + printer.print(f.formula().get()));
            } else {
                List<String> values = f.values().stream().map(v -> WitnessRuns.call(f.name(), v) + " = " + v.value())
                        .toList();
                List<String> shown = values.size() <= LISTED_VALUES ? values : new ArrayList<>(values.subList(0, LISTED_VALUES));
                if (values.size() > LISTED_VALUES) shown.add("... (" + values.size() + " values, --format json lists them)");
                wrapParts("    with " + f.name() + " any smooth function that has ", shown);
            }
        }
    }

    /** Up to this many values of one kind are listed in text; JSON always has all. */
    private static final int LISTED_VALUES = 20;

    private static void listed(List<String> parts, Map<String, String> values, String what) {
        if (values.size() <= LISTED_VALUES) {
            values.forEach((k, v) -> parts.add(k + " = " + v));
        } else {
            parts.add(values.size() + " " + what + " (--format json lists them)");
        }
    }

    private void wrapParts(String opening, List<String> parts) {
        String continuation = " ".repeat(6);
        StringBuilder line = new StringBuilder(opening);
        // A first part too long for the opening's line starts the next one.
        if (!parts.isEmpty() && opening.length() + parts.get(0).length() > WIDTH - 1) {
            out.println(opening.stripTrailing());
            line = new StringBuilder(continuation);
        }
        boolean empty = true;
        for (String part : parts) {
            String piece = (empty ? "" : ", ") + part;
            if (!empty && line.length() + piece.length() > WIDTH - 1) {
                out.println(line.append(','));
                line = new StringBuilder(continuation).append(part);
            } else {
                line.append(piece);
            }
            empty = false;
        }
        out.println(line);
    }

    /**
     * ", as do all 10 that started there" when the move stands for a group: only parameters that
     * are neither frozen nor undecided count (a frozen one that started there does not move).
     */
    private static String startedWith(Proof proof, String parameter) {
        Network n = proof.network();
        Parameter p = n.parameters().stream().filter(q -> q.name().equals(parameter)).findFirst().orElseThrow();
        if (p.init() instanceof Init.Random) return "";
        java.util.Set<String> frozen = new java.util.HashSet<>(proof.frozen());
        java.util.Set<String> undecided = proof.undecided().stream().filter(u -> u.size() == 1).map(u -> u.get(0))
                .collect(Collectors.toSet());
        long others = n.parameters().stream().filter(q -> q.init().equals(p.init()))
                .filter(q -> !frozen.contains(q.name()) && !undecided.contains(q.name())).count() - 1;
        return others == 0 ? "" : " away from " + p.init() + ", as do all " + (others + 1) + " that started there";
    }

    private void undecided(Proof proof) {
        if (proof.undecided().isEmpty() && !proof.timedOut()) return;
        out.println("Undecided (kept apart to stay sound: neither a proof nor a witness run was found):");
        int shown = 0;
        for (List<String> pair : proof.undecided()) {
            if (!full && shown == SHOWN_SEPARATIONS) {
                out.println("  ... and " + (proof.undecided().size() - shown) + " more (--full lists them)");
                break;
            }
            shown++;
            out.println("  " + (pair.size() == 1 ? pair.get(0) + " might never move" : pair.get(0) + " and "
                    + pair.get(1) + " might stay equal"));
        }
        if (proof.timedOut()) {
            List<String> cut = proof.cutShort();
            if (cut.size() <= 3) {
                out.println("  A time limit cut short: " + String.join("; ", cut) + ".");
            } else {
                out.println("  A time limit cut short:");
                int listed = full ? cut.size() : Math.min(cut.size(), SHOWN_SEPARATIONS);
                cut.subList(0, listed).forEach(what -> out.println("    " + what));
                if (listed < cut.size()) out.println("    ... and " + (cut.size() - listed) + " more (--full lists them)");
            }
            out.println("  A longer --timeout may decide more.");
        }
        out.println();
    }

    private void specialValues(Proof proof) {
        if (proof.specialValues().isEmpty()) return;
        out.println("Special initial values (found by solving, confirmed by proving again):");
        for (SpecialValue v : proof.specialValues()) {
            out.println("  " + v.symbol() + " = " + v.value() + ": " + v.summary());
        }
        out.println();
    }

    /** "c1, c2, ... the class values", in the symbols this proof uses (q1, q2 when the spec has a c1). */
    static String classValues(Proof proof) {
        List<String> symbols = proof.classes().stream().filter(c -> !c.frozen()).map(ParameterClass::symbol).toList();
        if (symbols.size() == 1) return symbols.get(0) + " the class value";
        return symbols.get(0) + ", " + symbols.get(1) + (symbols.size() > 2 ? ", ..." : "") + " the class values";
    }

    private void reality(Proof proof) {
        Network n = proof.network();
        out.println("What the network really is: " + TheoremSentences.trainableValues(proof) + " of "
                + n.parameters().size() + (n.parameters().size() == 1 ? " parameter." : " parameters."));
        proof.details().flatMap(ProofDetails::objective).ifPresent(o -> {
            out.println("  It computes" + (proof.trainableValues() > 0 ? ", with " + classValues(proof) + "," : ""));
            where("    ", List.of(shown.of(o)));
            TextLines.printExpression(out, "      " + objectiveName(proof) + " = ", show(o), "          ");
        });
        proof.details().flatMap(ProofDetails::skipped).ifPresent(why ->
                prose("  ", "   ", "(expressions not shown: " + why + ")"));
        if (!proof.unitClasses().isEmpty()) {
            List<String> shown = proof.unitClasses().stream()
                    .map(full ? ProofTextRenderer::braces : ProofTextRenderer::shortBraces).toList();
            // Wrapped between groups, never inside one.
            List<String> items = new ArrayList<>(shown.size() <= 6 || full ? shown : shown.subList(0, 6));
            items.set(0, "Units that always compute the same value: " + items.get(0));
            if (items.size() < shown.size()) {
                items.set(items.size() - 1, items.get(items.size() - 1) + " and " + (shown.size() - 6) + " more groups");
            }
            for (int i = 0; i + 1 < items.size(); i++) items.set(i, items.get(i) + ",");
            wrap("  ", "    ", items, " ");
        }
        out.println("  (random points evaluated in " + arithmeticName(proof.arithmetic()) + ";");
        out.println("  " + proof.rounds() + " refinement round" + (proof.rounds() == 1 ? "" : "s")
                + " to the fixed point)");
    }

    // ---- pieces ------------------------------------------------------------------------------

    /** An expression as shown: its compact form, or a note of its size when longer than the bound. */
    private String show(Expr e) {
        ShownExpressions.Shown s = shown.of(e);
        return s.omitted() ? "(" + s.omission() + ")" : printer.print(s.expr());
    }

    /**
     * "where u1 = …" before the expressions that use it: the names these forms need that no
     * earlier line defined, each after the names its own value uses.
     */
    private void where(String indent, List<ShownExpressions.Shown> forms) {
        List<ShownExpressions.Definition> needed = shown.needs(forms, defined);
        for (int i = 0; i < needed.size(); i++) {
            ShownExpressions.Definition d = needed.get(i);
            String head = indent + (i == 0 ? "where " : "      ") + printer.name(d.name()) + " = ";
            String body = d.value().omitted() ? "(" + d.value().omission() + ")" : printer.print(d.value().expr());
            TextLines.printExpression(out, head, body, indent + "          ");
        }
    }

    private static boolean showDetails(Proof proof, boolean everything) {
        return everything && proof.details().isPresent() && proof.details().get().skipped().isEmpty();
    }

    /** The induction step written out: the class values, then every unit on that subspace. */
    private void detailedStep(Proof proof) {
        List<String> values = new ArrayList<>();
        for (ParameterClass c : proof.classes()) {
            if (c.frozen() || c.members().size() > 1) {
                values.add(String.join(" = ", c.signedMembers()) + " = " + (c.frozen() ? c.initialValue() : c.symbol()));
            }
        }
        out.println("  Step: suppose that at step t");
        wrap("      ", values.isEmpty() ? List.of("(every parameter is its own class)") : values, ",  ");
        ProofDetails d = proof.details().get();
        if (!d.units().isEmpty()) {
            // Units are written in the order they are computed, so each may use the ones before it.
            defined.addAll(d.units().keySet());
            where("  ", d.units().values().stream().map(shown::of).toList());
            out.println("  Then the units are");
            java.util.Set<String> done = new java.util.HashSet<>();
            for (var u : d.units().entrySet()) {
                if (done.contains(u.getKey())) continue;
                List<String> same = proof.unitClasses().stream().filter(g -> g.contains(u.getKey())).findFirst()
                        .orElse(List.of(u.getKey()));
                done.addAll(same);
                TextLines.printExpression(out, "      ", String.join(" = ", same) + " = " + show(u.getValue())
                        + since(proof, same), "          ");
            }
        }
        out.println("  and on that subspace the gradients are");
    }

    /** ", since a·x1 + a·x2 ≤ 0 under the assumptions" where sign facts turned ReLUs in these entries into 0. */
    private String since(Proof proof, List<String> names) {
        List<dev.netsym.model.Expr> nonPositive = proof.details().map(d -> d.nonPositiveByAssumption(names))
                .orElse(List.of());
        if (nonPositive.isEmpty()) return "";
        return ", since " + nonPositive.stream().map(e -> printer.print(e) + " ≤ 0").collect(Collectors.joining(" and "))
                + " under the assumptions";
    }

    private static String objectiveName(Proof proof) {
        return proof.network().objectiveName();
    }

    private void layerSummary(Proof proof) {
        Map<String, String> byLayer = LayerPatterns.describe(proof);
        for (var e : byLayer.entrySet()) {
            out.println("    " + e.getKey() + ":" + (e.getValue().startsWith("\n") ? "" : " ") + e.getValue());
        }
    }

    /** At most six parts: the first four and how many more (copied tensors start one group per element). */
    private static List<String> fewGroups(List<String> parts, String what) {
        if (parts.size() <= 6) return parts;
        List<String> few = new ArrayList<>(parts.subList(0, 4));
        few.add("and " + (parts.size() - 4) + " more " + what);
        return few;
    }

    static String initialisation(Network n) {
        Map<Init, List<String>> groups = n.parametersByInit();
        if (groups.size() == 1) {
            Init only = groups.keySet().iterator().next();
            return only instanceof Init.Random ? "every parameter starts at its own random value"
                    : "every parameter starts at " + only;
        }
        List<String> parts = groups.entrySet().stream().map(e -> abbreviate(e.getValue()) + " at "
                + (e.getKey() instanceof Init.Random ? "random values" : e.getKey())).toList();
        return String.join("; ", fewGroups(parts, "groups"));
    }

    private static String base(Proof proof) {
        Network n = proof.network();
        boolean signed = proof.classes().stream().anyMatch(c -> !c.negated().isEmpty());
        String shared = String.join(", ", fewGroups(n.parametersByInit().entrySet().stream()
                .filter(e -> !(e.getKey() instanceof Init.Random))
                .map(e -> (e.getValue().size() == n.parameters().size() ? "all " : "") + e.getValue().size()
                        + (e.getValue().size() == 1 ? " parameter starts at " : " parameters start at ") + e.getKey())
                .toList(), "starts"));
        return (shared.isEmpty() ? "each parameter starts at its own value" : shared)
                + (signed ? ", so each class below starts at one value (the members marked − at its negative)."
                : ", so each class below starts at one value.");
    }

    private static String dataScope(Network n) {
        if (n.data().isEmpty()) return "for every dataset, batch order and learning-rate schedule";
        return "for the " + n.data().size() + " data sample" + (n.data().size() == 1 ? "" : "s")
                + " in the spec, in any batches and order, with any learning-rate schedule";
    }

    private static String arithmeticName(String kind) {
        return switch (kind) {
            case "modular" -> "arithmetic modulo a random 62-bit prime (a rational network)";
            case "exact" -> "exact rational arithmetic";
            case "double-double" -> "double-double arithmetic (about 31 digits)";
            default -> "50-digit decimal arithmetic";
        };
    }

    static String braces(List<String> names) {
        return "{" + String.join(", ", names) + "}";
    }

    /** A set of names, its middle elided when long: {h[1], h[2], ..., h[256]} (256). */
    static String shortBraces(List<String> names) {
        if (names.size() <= 8) return braces(names);
        return "{" + abbreviate(names) + "} (" + names.size() + ")";
    }

    static String abbreviate(List<String> names) {
        if (names.size() <= 6) return String.join(", ", names);
        return String.join(", ", names.subList(0, 3)) + ", ..., " + names.get(names.size() - 1);
    }

    /** Prints a sentence wrapped between its words, the first line indented by {@code indent}, the others by {@code continuation}. */
    private void prose(String indent, String continuation, String text) {
        TextLines.print(out, TextLines.words(indent, continuation, text));
    }

    /** Prints items separated by {@code gap}, wrapped to the text width. */
    private void wrap(String indent, List<String> items, String gap) {
        wrap(indent, indent, items, gap);
    }

    /** Items wrapped to the width, the first line indented by {@code indent}, the others by {@code continuation}. */
    private void wrap(String indent, String continuation, List<String> items, String gap) {
        TextLines.print(out, TextLines.items(indent, continuation, items, gap));
    }
}
