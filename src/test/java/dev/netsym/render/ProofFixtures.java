package dev.netsym.render;

import dev.netsym.calculus.Cs231nNetworks;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.SpecResult;
import dev.netsym.proof.Certificate;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import dev.netsym.proof.Separation;
import dev.netsym.proof.SpecialValue;
import dev.netsym.proof.Witness;
import dev.netsym.proof.WitnessRun;
import dev.netsym.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proofs built by hand, as the engine will report them, so the renderers can be tested
 * before the engine is merged. The cs231n one is checked by hand against the source answer.
 */
final class ProofFixtures {
    private ProofFixtures() {}

    static Expr ref(String n) { return new Expr.Ref(n); }
    static Expr num(long n) { return Expr.Num.of(n); }
    static Expr sum(Expr... t) { return new Expr.Sum(List.of(t)); }
    static Expr prod(Expr... t) { return new Expr.Product(List.of(t)); }

    static Network cs231n() {
        return Cs231nNetworks.identityActivation(new Init.Symbolic("a"));
    }

    /** On S: y1 = y2 = c1·x1 + c2·x2, and every gradient in the four class symbols. */
    static Proof cs231nProof() {
        Network n = cs231n();
        Expr y = sum(prod(ref("c1"), ref("x1")), prod(ref("c2"), ref("x2")));
        List<ParameterClass> classes = List.of(
                symbolic("c1", List.of("w1", "w2"), prod(num(2), ref("c4"), ref("c3"), ref("x1"))),
                symbolic("c2", List.of("w3", "w4"), prod(num(2), ref("c4"), ref("c3"), ref("x2"))),
                symbolic("c3", List.of("w5", "w6", "w7", "w8"), prod(ref("c4"), y)),
                symbolic("c4", List.of("w9", "w10"), prod(num(2), ref("c3"), y)));
        Map<String, String> start = Map.of("a", "1");
        List<Map<String, String>> data = List.of(Map.of("x1", "1", "x2", "0"));
        WitnessRun run = new WitnessRun(start, data, "1", List.of(), true, "exact rationals");
        List<Separation> separations = List.of(
                new Separation("w1", "w3", 1,
                        Optional.of(prod(num(2), ref("c4"), ref("c3"), sum(ref("x1"), new Expr.Neg(ref("x2"))))),
                        new Witness(run, 1, "-1", "1")),
                new Separation("w1", "w5", 1, Optional.empty(),
                        new Witness(run, 1, "-1", "0")),
                new Separation("w5", "w9", 1, Optional.empty(),
                        new Witness(run, 1, "0", "-1")));
        List<SpecialValue> special = List.of(new SpecialValue("a", "0", 0, 10, "every gradient is 0: nothing ever moves"));
        return new Proof(n, classes, separations, List.of(), List.of(List.of("y1", "y2"), List.of("y3", "y4")),
                "exact", 2, false, special);
    }

    /** Every weight at 0: every gradient is 0 on S, so all ten are frozen, in one class. */
    static Proof cs231nZeroProof() {
        Network n = Cs231nNetworks.identityActivation(new Init.Numeric(dev.netsym.model.Rational.ZERO));
        List<String> all = n.parameters().stream().map(p -> p.name()).toList();
        ParameterClass frozen = new ParameterClass("0", all, true, "0",
                new Certificate(Certificate.Kind.SYMBOLIC, "every gradient reduced to 0", Optional.of(num(0))));
        return new Proof(n, List.of(frozen), List.of(), List.of(), List.of(), "exact", 1, false, List.of());
    }

    static ParameterClass symbolic(String symbol, List<String> members, Expr gradient) {
        return new ParameterClass(symbol, members, false, "a",
                new Certificate(Certificate.Kind.SYMBOLIC, "difference reduced to 0", Optional.of(gradient)));
    }

    static Network parse(String spec) {
        SpecResult r = SpecParser.parse(spec.getBytes(StandardCharsets.UTF_8));
        if (r.hasErrors()) throw new AssertionError(r.diagnostics().toString());
        return r.network().orElseThrow();
    }

    /**
     * A 60-input, 50-unit dense network with every weight at a and biases at 0: the hidden
     * units stay equal, so W_h stays equal down each column, the biases stay equal (but move).
     * Big enough to be drawn as blocks.
     */
    static Network dense() {
        return parse("""
                network wide
                input x[60]
                layer h[50] = tanh(dense(x, bias))
                layer out[1] = dense(h)
                objective sum(out)
                init all = a
                init b_h[*] = 0
                """);
    }

    static Proof denseProof(Network n) {
        List<ParameterClass> classes = new ArrayList<>();
        int symbol = 1;
        for (int i = 1; i <= 60; i++) {
            List<String> column = new ArrayList<>();
            for (int j = 1; j <= 50; j++) column.add("W_h[" + j + "," + i + "]");
            classes.add(new ParameterClass("c" + symbol++, column, false, "a",
                    new Certificate(Certificate.Kind.STRUCTURAL, "same local expression", Optional.empty())));
        }
        List<String> biases = new ArrayList<>();
        for (int j = 1; j <= 50; j++) biases.add("b_h[" + j + "]");
        classes.add(new ParameterClass("c" + symbol++, biases, false, "0",
                new Certificate(Certificate.Kind.STRUCTURAL, "same local expression", Optional.empty())));
        List<String> out = new ArrayList<>();
        for (int j = 1; j <= 50; j++) out.add("W_out[1," + j + "]");
        classes.add(new ParameterClass("c" + symbol, out, false, "a",
                new Certificate(Certificate.Kind.STRUCTURAL, "same local expression", Optional.empty())));
        return new Proof(n, classes, List.of(), List.of(), List.of(), "modular", 2, false, List.of());
    }
}
