package dev.netsym.calculus;

import dev.netsym.model.Expr;
import java.util.List;

/**
 * A zero test's verdict with the argument behind it, for a certificate to print: a sentence,
 * and the functions it is stated in terms of (the exponentials and logarithms of the
 * exp-log form; empty for the other arguments).
 */
public record ZeroTest(SymbolicVerdict verdict, String reason, List<Expr> atoms) {
    public ZeroTest { atoms = List.copyOf(atoms); }

    static ZeroTest zero(String reason) { return new ZeroTest(SymbolicVerdict.ZERO, reason, List.of()); }
}
