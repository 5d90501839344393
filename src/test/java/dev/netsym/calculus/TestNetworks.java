package dev.netsym.calculus;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Unit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Small constructors that keep hand-built test networks readable. */
final class TestNetworks {
    private TestNetworks() {}

    static Expr ref(String name) { return new Expr.Ref(name); }

    static Expr num(long value) { return Expr.Num.of(value); }

    static Expr num(long numerator, long denominator) { return new Expr.Num(Rational.of(numerator, denominator)); }

    static Expr sum(Expr... terms) { return new Expr.Sum(Arrays.asList(terms)); }

    static Expr sum(List<Expr> terms) { return new Expr.Sum(terms); }

    static Expr product(Expr... factors) { return new Expr.Product(Arrays.asList(factors)); }

    static Expr neg(Expr operand) { return new Expr.Neg(operand); }

    static Expr minus(Expr a, Expr b) { return sum(a, neg(b)); }

    static Expr quotient(Expr a, Expr b) { return new Expr.Quotient(a, b); }

    static Expr power(Expr base, Expr exponent) { return new Expr.Power(base, exponent); }

    static Expr call(String function, Expr... args) { return new Expr.Call(function, Arrays.asList(args)); }

    static Unit unit(String name, Expr definition) { return new Unit(name, definition, SourcePos.NONE, null); }

    static Network network(List<String> inputs, List<String> targets, List<Unit> units, Expr objective,
                           List<String> parameters, Set<String> activations) {
        List<Parameter> params = parameters.stream()
                .map(p -> new Parameter(p, new Init.Random(), SourcePos.NONE))
                .toList();
        return new Network("test", inputs, targets, units, objective, params, activations,
                List.of(), List.of(), List.of(), "sgd");
    }

    /** The 2-2-2-1 linear network of the cs231n question, objective y. */
    static Network cs231n() {
        List<Unit> units = List.of(
                unit("y1", sum(product(ref("w1"), ref("x1")), product(ref("w3"), ref("x2")))),
                unit("y2", sum(product(ref("w2"), ref("x1")), product(ref("w4"), ref("x2")))),
                unit("y3", sum(product(ref("w5"), ref("y1")), product(ref("w7"), ref("y2")))),
                unit("y4", sum(product(ref("w6"), ref("y1")), product(ref("w8"), ref("y2")))),
                unit("y", sum(product(ref("w9"), ref("y3")), product(ref("w10"), ref("y4")))));
        List<String> parameters = List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10");
        return network(List.of("x1", "x2"), List.of(), units, ref("y"), parameters, Set.of());
    }
}
