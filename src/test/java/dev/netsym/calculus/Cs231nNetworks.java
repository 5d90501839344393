package dev.netsym.calculus;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The toy network of the cs231n weight-initialisation answer, built by hand. */
public final class Cs231nNetworks {
    private Cs231nNetworks() {}

    static Expr ref(String n) { return new Expr.Ref(n); }

    static Expr weighted(String w1, String a, String w2, String b) {
        return new Expr.Sum(List.of(new Expr.Product(List.of(ref(w1), ref(a))),
                new Expr.Product(List.of(ref(w2), ref(b)))));
    }

    /** y = w9·y3 + w10·y4, y3 = w5·y1 + w7·y2, ..., every weight initialised to a. */
    public static Network identityActivation(Init init) {
        List<Unit> units = List.of(
                new Unit("y1", weighted("w1", "x1", "w3", "x2"), SourcePos.NONE, null),
                new Unit("y2", weighted("w2", "x1", "w4", "x2"), SourcePos.NONE, null),
                new Unit("y3", weighted("w5", "y1", "w7", "y2"), SourcePos.NONE, null),
                new Unit("y4", weighted("w6", "y1", "w8", "y2"), SourcePos.NONE, null),
                new Unit("y", weighted("w9", "y3", "w10", "y4"), SourcePos.NONE, null));
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 1; i <= 10; i++) parameters.add(new Parameter("w" + i, init, SourcePos.NONE));
        return new Network("cs231n", List.of("x1", "x2"), List.of(), units, ref("y"), parameters,
                Set.of(), List.of(), List.of(), List.of(), "sgd");
    }
}
