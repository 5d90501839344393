package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.OptimiserVerdicts;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofDetails;
import dev.netsym.proof.Separation;
import dev.netsym.proof.ShownExpressions;
import dev.netsym.proof.SpecialValue;
import dev.netsym.proof.Timeline;
import dev.netsym.proof.Witness;
import dev.netsym.proof.WitnessRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A proof as one JSON object; the schema is documented in the README. */
public final class ProofJsonRenderer {
    private final PrintWriter out;
    private final boolean full;

    public ProofJsonRenderer(PrintWriter out) {
        this(out, false);
    }

    /** @param full expressions as computed, without names for repeated parts (--full) */
    public ProofJsonRenderer(PrintWriter out, boolean full) {
        this.out = out;
        this.full = full;
    }

    public void render(Proof proof) {
        render(proof, null);
    }

    /** The proof, with the optimiser table of {@code prove --optimizers} when {@code verdicts} is not null. */
    public void render(Proof proof, OptimiserVerdicts verdicts) {
        // Long expressions as the other formats show them, never left out: a tool reads them all.
        ShownExpressions shown = full ? ShownExpressions.FULL
                : proof.details().map(ProofDetails::shown).orElse(ShownExpressions.BOUND_ONLY);
        StringBuilder j = new StringBuilder("{\n");
        field(j, "network", str(proof.network().name()));
        field(j, "parameters", String.valueOf(proof.network().parameters().size()));
        field(j, "trainable_values", String.valueOf(proof.trainableValues()));
        field(j, "complete", String.valueOf(proof.complete()));
        field(j, "data", proof.network().data().isEmpty() ? str("all") : String.valueOf(proof.network().data().size()));
        field(j, "optimizer", str(proof.network().optimizer()));
        var scope = proof.optimiserScope();
        field(j, "optimizer_scope", "{\"covered\": " + strings(scope.covered()) + ", \"covers_spec_optimizer\": "
                // Every optimizer a spec can name is covered: a spec naming AdamW is proved under decay.
                + "true, \"weight_decay_moves\": " + strings(scope.decayMoves())
                + ", \"outside\": " + strings(scope.outside()) + "}");
        // A member that holds its class's negative is written "-q1".
        field(j, "classes", array(proof.classes().stream()
                .map(c -> strings(c.signedMembers().stream().map(m -> m.replace('−', '-')).toList())).toList()));
        field(j, "frozen", strings(proof.frozen()));
        field(j, "undecided", array(proof.undecided().stream().map(ProofJsonRenderer::strings).toList()));
        field(j, "tensors", array(TensorPatterns.describe(proof).stream().map(ProofJsonRenderer::tensor).toList()));
        List<Expr> written = new ArrayList<>();
        proof.classes().forEach(c -> c.certificate().commonGradient().ifPresent(e -> written.add(shown.of(e).expr())));
        proof.separations().forEach(s -> s.difference().ifPresent(e -> written.add(shown.of(e).expr())));
        field(j, "definitions", shown.usedBy(written).stream()
                .map(d -> str(d.name()) + ": " + str(ExprPrinter.plain().print(d.value().expr())))
                .collect(Collectors.joining(", ", "{", "}")));
        field(j, "class_details", array(proof.classes().stream().map(c -> classDetail(c, shown)).toList()));
        Map<WitnessRun, String> runs = WitnessRuns.labels(proof.separations());
        field(j, "witness_runs", array(runs.entrySet().stream().map(e -> run(e.getValue(), e.getKey())).toList()));
        field(j, "separations", array(proof.separations().stream().map(s -> separation(s, runs, shown)).toList()));
        field(j, "moves", array(proof.timeline().moves().stream().map(ProofJsonRenderer::move).toList()));
        field(j, "frozen_reasons", array(proof.timeline().frozen().stream().map(ProofJsonRenderer::frozen).toList()));
        field(j, "special_values", array(proof.specialValues().stream().map(ProofJsonRenderer::special).toList()));
        field(j, "unit_classes", array(proof.unitClasses().stream().map(ProofJsonRenderer::strings).toList()));
        field(j, "arithmetic", str(proof.arithmetic()));
        field(j, "rounds", String.valueOf(proof.rounds()));
        field(j, "cut_short", strings(proof.cutShort()));
        if (verdicts != null) field(j, "optimizers", array(verdicts.rows().stream().map(ProofJsonRenderer::verdict).toList()));
        j.append("  \"timed_out\": ").append(proof.timedOut()).append("\n}\n");
        out.print(j);
        out.flush();
    }

    private static String tensor(TensorPatterns.Summary t) {
        StringBuilder shape = new StringBuilder("[");
        for (int d = 0; d < t.shape().length; d++) shape.append(d > 0 ? ", " : "").append(t.shape()[d]);
        return "{\"name\": " + str(t.name()) + ", \"shape\": " + shape.append(']') + ", \"elements\": " + t.elements()
                + ", \"trainable_values\": " + t.values() + ", \"frozen\": " + t.frozen()
                + ", \"copy_of\": " + (t.copyOf() == null ? "null" : str(t.copyOf()))
                + ", \"identical_along_axes\": " + t.equalAlongAxes() + ", \"summary\": " + str(t.sentence()) + "}";
    }

    private static String expr(Expr e, ShownExpressions shown) {
        return str(ExprPrinter.plain().print(shown.of(e).expr()));
    }

    private static String classDetail(ParameterClass c, ShownExpressions shown) {
        return "{\"symbol\": " + str(c.symbol()) + ", \"members\": " + strings(c.members())
                + ", \"negated\": " + strings(c.negated())
                + ", \"frozen\": " + c.frozen() + ", \"initial\": " + str(c.initialValue())
                + ", \"certificate\": {\"kind\": " + str(c.certificate().kind().name().toLowerCase())
                + ", \"detail\": " + str(c.certificate().detail())
                + ", \"common_gradient\": " + c.certificate().commonGradient()
                        .map(e -> expr(e, shown)).orElse("null") + "}}";
    }

    private static String separation(Separation s, Map<WitnessRun, String> runs, ShownExpressions shown) {
        return "{\"first\": " + str(s.first()) + ", \"second\": " + (s.second() == null ? "null" : str(s.second()))
                + ", \"opposite\": " + s.opposite()
                + ", \"kind\": " + str(s.isMove() ? "moves" : "separate") + ", \"round\": " + s.round()
                + ", \"first_split_step\": " + (s.exactStep() ? String.valueOf(s.notBefore()) : "null")
                + ", \"not_before_step\": " + s.notBefore()
                + ", \"difference\": " + s.difference().map(e -> expr(e, shown)).orElse("null")
                + ", \"witness\": " + witness(s.witness(), runs.get(s.witness().run())) + "}";
    }

    /** A step is stated as first only when proved not earlier and witnessed there. */
    private static String move(Timeline.Move m) {
        return "{\"parameter\": " + str(m.parameter()) + ", \"first_move_step\": "
                + (m.exact() ? String.valueOf(m.notBefore()) : "null") + ", \"not_before_step\": " + m.notBefore()
                + ", \"witness_step\": " + (m.witnessStep() == 0 ? "null" : String.valueOf(m.witnessStep()))
                + ", \"waits_for\": " + strings(m.waitsFor()) + "}";
    }

    private static String frozen(Timeline.Frozen f) {
        return "{\"parameter\": " + str(f.parameter()) + ", \"reason\": " + str(f.reason().key())
                + ", \"blocked_by\": " + strings(f.blockedBy()) + "}";
    }

    /** One row of the optimiser table; each broken claim carries its whole run. */
    private static String verdict(OptimiserVerdicts.Row row) {
        return "{\"optimizer\": " + str(row.optimiser()) + ", \"verdict\": " + str(row.kind().name().toLowerCase())
                + ", \"argument\": " + str(row.argument()) + ", \"runs\": " + str(row.run()) + ", \"broken\": "
                + array(row.broken().stream().map(b -> "{\"claim\": " + strings(b.claim()) + ", \"first\": "
                        + str(b.first()) + ", \"second\": " + (b.second() == null ? "null" : str(b.second()))
                        + ", \"step\": " + b.witness().step() + ", \"first_value\": " + str(b.witness().firstValue())
                        + ", \"second_value\": " + str(b.witness().secondValue()) + ", \"run\": "
                        + run("", b.witness().run()) + "}").toList())
                + ", \"unsettled\": " + array(row.unsettled().stream().map(ProofJsonRenderer::strings).toList()) + "}";
    }

    private static String witness(Witness w, String run) {
        return "{\"run\": " + str(run) + ", \"step\": " + w.step()
                + ", \"first_value\": " + str(w.firstValue()) + ", \"second_value\": " + str(w.secondValue()) + "}";
    }

    /** Everything to repeat the run: every start value, every data value, and each activation used. */
    private static String run(String label, WitnessRun r) {
        return "{\"run\": " + str(label) + ", \"start\": " + object(r.start()) + ", \"data\": "
                + array(r.data().stream().map(ProofJsonRenderer::object).toList())
                + ", \"learning_rate\": " + str(r.learningRate())
                + ", \"optimizer\": " + str(r.plainSteps() ? "gradient descent" : r.rule().describe())
                + ", \"activations\": " + array(r.activations().stream().map(ProofJsonRenderer::activation).toList())
                + ", \"exact\": " + r.exact() + ", \"arithmetic\": " + str(r.arithmetic()) + "}";
    }

    private static String activation(WitnessRun.Activation f) {
        return "{\"name\": " + str(f.name()) + ", \"formula\": "
                + f.formula().map(e -> str(ExprPrinter.plain().print(e))).orElse("null") + ", \"values\": "
                + array(f.values().stream().map(v -> "{\"order\": " + v.order() + ", \"at\": " + str(v.at())
                        + ", \"value\": " + str(v.value()) + "}").toList()) + "}";
    }

    private static String special(SpecialValue v) {
        return "{\"symbol\": " + str(v.symbol()) + ", \"value\": " + str(v.value()) + ", \"trainable_values\": "
                + v.trainableValues() + ", \"frozen\": " + v.frozenCount() + ", \"summary\": " + str(v.summary()) + "}";
    }

    private static void field(StringBuilder j, String name, String value) {
        j.append("  ").append(str(name)).append(": ").append(value).append(",\n");
    }

    private static String object(Map<String, String> map) {
        return map.entrySet().stream().map(e -> str(e.getKey()) + ": " + str(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String strings(List<String> names) {
        return names.stream().map(ProofJsonRenderer::str).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String array(List<String> items) {
        return items.stream().collect(Collectors.joining(", ", "[", "]"));
    }

    private static String str(String s) {
        return DerivationJsonRenderer.string(s);
    }
}
