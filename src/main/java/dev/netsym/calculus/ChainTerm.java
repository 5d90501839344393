package dev.netsym.calculus;

import dev.netsym.model.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * One product of the chain rule in Leibniz form, e.g. ∂y/∂y3 · ∂y3/∂w5, with the local
 * value of each factor (w9, y1). A term through a unit that does not depend on the
 * parameter ends in a factor whose value is 0: it is kept so the derivation can show it.
 */
public record ChainTerm(List<Factor> factors) {

    /** ∂of/∂wrt, the derivative of one unit's definition with respect to one of its operands. */
    public record Factor(String of, String wrt, Expr local) {}

    public ChainTerm { factors = List.copyOf(factors); }

    public boolean isZero() {
        return factors.stream().anyMatch(f -> f.local() instanceof Expr.Num n && n.value().isZero());
    }

    /** The product of the local values, with factors of 1 left out. */
    public Expr value() {
        if (isZero()) return Expr.Num.of(0);
        List<Expr> parts = new ArrayList<>();
        for (Factor f : factors) {
            Expr local = f.local();
            if (local instanceof Expr.Num n && n.value().isOne()) continue;
            if (local instanceof Expr.Product p) parts.addAll(p.factors());
            else parts.add(local);
        }
        if (parts.isEmpty()) return Expr.Num.of(1);
        return parts.size() == 1 ? parts.get(0) : new Expr.Product(parts);
    }
}
