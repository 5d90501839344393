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
        JsonOut j = new JsonOut(out).beginObject();
        j.field("network", proof.network().name());
        j.literalField("parameters", proof.network().parameters().size());
        j.literalField("trainable_values", proof.trainableValues());
        j.literalField("complete", proof.complete());
        if (proof.network().data().isEmpty()) j.field("data", "all");
        else j.literalField("data", proof.network().data().size());
        j.field("optimizer", proof.network().optimizer());
        var scope = proof.optimiserScope();
        j.name("optimizer_scope").beginObject();
        j.name("covered").strings(scope.covered());
        // Every optimizer a spec can name is covered: a spec naming AdamW is proved under decay.
        j.literalField("covers_spec_optimizer", true);
        j.name("weight_decay_moves").strings(scope.decayMoves());
        j.name("outside").strings(scope.outside());
        j.endObject();
        // A member that holds its class's negative is written "-q1".
        j.name("classes").array(proof.classes(),
                c -> j.array(c.signedMembers(), m -> j.string(m.replace('−', '-'))));
        j.name("frozen").strings(proof.frozen());
        j.name("undecided").array(proof.undecided(), j::strings);
        j.name("tensors").array(TensorPatterns.describe(proof), t -> tensor(j, t));
        List<Expr> written = new ArrayList<>();
        proof.classes().forEach(c -> c.certificate().commonGradient().ifPresent(e -> written.add(shown.of(e).expr())));
        proof.separations().forEach(s -> s.difference().ifPresent(e -> written.add(shown.of(e).expr())));
        j.name("definitions").beginObject();
        shown.usedBy(written).forEach(d -> j.field(d.name(), ExprPrinter.plain().print(d.value().expr())));
        j.endObject();
        j.name("class_details").array(proof.classes(), c -> classDetail(j, c, shown));
        Map<WitnessRun, String> runs = WitnessRuns.labels(proof.separations());
        j.name("witness_runs").array(runs.entrySet(), e -> run(j, e.getValue(), e.getKey()));
        j.name("separations").array(proof.separations(), s -> separation(j, s, runs, shown));
        j.name("moves").array(proof.timeline().moves(), m -> move(j, m));
        j.name("frozen_reasons").array(proof.timeline().frozen(), f -> frozen(j, f));
        j.name("special_values").array(proof.specialValues(), v -> special(j, v));
        j.name("unit_classes").array(proof.unitClasses(), j::strings);
        j.field("arithmetic", proof.arithmetic());
        j.literalField("rounds", proof.rounds());
        j.name("cut_short").strings(proof.cutShort());
        if (verdicts != null) j.name("optimizers").array(verdicts.rows(), row -> verdict(j, row));
        j.literalField("timed_out", proof.timedOut());
        j.endObject();
    }

    private static void tensor(JsonOut j, TensorPatterns.Summary t) {
        j.beginObject().field("name", t.name());
        j.name("shape").beginArray();
        for (int size : t.shape()) j.literal(size);
        j.endArray();
        j.literalField("elements", t.elements()).literalField("trainable_values", t.values())
                .literalField("frozen", t.frozen()).field("copy_of", t.copyOf())
                .literalField("identical_along_axes", t.equalAlongAxes()).field("summary", t.sentence());
        j.endObject();
    }

    private static String expr(Expr e, ShownExpressions shown) {
        return ExprPrinter.plain().print(shown.of(e).expr());
    }

    private static void classDetail(JsonOut j, ParameterClass c, ShownExpressions shown) {
        j.beginObject().field("symbol", c.symbol());
        j.name("members").strings(c.members());
        j.name("negated").strings(c.negated());
        j.literalField("frozen", c.frozen()).field("initial", c.initialValue());
        j.name("certificate").beginObject()
                .field("kind", c.certificate().kind().name().toLowerCase())
                .field("detail", c.certificate().detail())
                .field("common_gradient", c.certificate().commonGradient().map(e -> expr(e, shown)).orElse(null))
                .endObject();
        j.endObject();
    }

    private static void separation(JsonOut j, Separation s, Map<WitnessRun, String> runs, ShownExpressions shown) {
        j.beginObject().field("first", s.first()).field("second", s.second())
                .literalField("opposite", s.opposite())
                .field("kind", s.isMove() ? "moves" : "separate").literalField("round", s.round())
                .literalField("first_split_step", s.exactStep() ? s.notBefore() : null)
                .literalField("not_before_step", s.notBefore())
                .field("difference", s.difference().map(e -> expr(e, shown)).orElse(null));
        j.name("witness");
        witness(j, s.witness(), runs.get(s.witness().run()));
        j.endObject();
    }

    /** A step is stated as first only when proved not earlier and witnessed there. */
    private static void move(JsonOut j, Timeline.Move m) {
        j.beginObject().field("parameter", m.parameter())
                .literalField("first_move_step", m.exact() ? m.notBefore() : null)
                .literalField("not_before_step", m.notBefore())
                .literalField("witness_step", m.witnessStep() == 0 ? null : m.witnessStep());
        j.name("waits_for").strings(m.waitsFor());
        j.endObject();
    }

    private static void frozen(JsonOut j, Timeline.Frozen f) {
        j.beginObject().field("parameter", f.parameter()).field("reason", f.reason().key());
        j.name("blocked_by").strings(f.blockedBy());
        j.endObject();
    }

    /** One row of the optimiser table; each broken claim carries its whole run. */
    private static void verdict(JsonOut j, OptimiserVerdicts.Row row) {
        j.beginObject().field("optimizer", row.optimiser()).field("verdict", row.kind().name().toLowerCase())
                .field("argument", row.argument()).field("runs", row.run());
        j.name("broken").array(row.broken(), b -> {
            j.beginObject();
            j.name("claim").strings(b.claim());
            j.field("first", b.first()).field("second", b.second())
                    .literalField("step", b.witness().step()).field("first_value", b.witness().firstValue())
                    .field("second_value", b.witness().secondValue());
            j.name("run");
            run(j, "", b.witness().run());
            j.endObject();
        });
        j.name("unsettled").array(row.unsettled(), j::strings);
        j.endObject();
    }

    private static void witness(JsonOut j, Witness w, String run) {
        j.beginObject().field("run", run).literalField("step", w.step())
                .field("first_value", w.firstValue()).field("second_value", w.secondValue()).endObject();
    }

    /** Everything to repeat the run: every start value, every data value, and each activation used. */
    private static void run(JsonOut j, String label, WitnessRun r) {
        j.beginObject().field("run", label);
        j.name("start").stringMap(r.start());
        j.name("data").array(r.data(), j::stringMap);
        j.field("learning_rate", r.learningRate())
                .field("optimizer", r.plainSteps() ? "gradient descent" : r.rule().describe());
        j.name("activations").array(r.activations(), f -> activation(j, f));
        j.literalField("exact", r.exact()).field("arithmetic", r.arithmetic());
        j.endObject();
    }

    private static void activation(JsonOut j, WitnessRun.Activation f) {
        j.beginObject().field("name", f.name())
                .field("formula", f.formula().map(e -> ExprPrinter.plain().print(e)).orElse(null));
        j.name("values").array(f.values(), v -> j.beginObject().literalField("order", v.order())
                .field("at", v.at()).field("value", v.value()).endObject());
        j.endObject();
    }

    private static void special(JsonOut j, SpecialValue v) {
        j.beginObject().field("symbol", v.symbol()).field("value", v.value())
                .literalField("trainable_values", v.trainableValues()).literalField("frozen", v.frozenCount())
                .field("summary", v.summary()).endObject();
    }
}
