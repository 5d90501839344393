package dev.netsym.proof;

import dev.netsym.model.Assumption;
import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Sign;
import java.util.List;
import java.util.Set;

/**
 * The spec's sign facts ({@code assume x1 >= 0, a < 0}) applied to expressions on the
 * subspace: an argument of relu that the facts make ≤ 0 gives relu(z) = 0 and relu′(z) = 0
 * (relu′(0) = 0). Without this, a dead ReLU network prints relu(a·x1 + a·x2) where the
 * value is 0, and different gradients look like one.
 */
final class AssumedSigns {
    private final RandomValues facts;

    AssumedSigns(List<Assumption> assumptions) {
        facts = new RandomValues(assumptions, 0);
    }

    /** e with each relu(z) and relu′(z) whose z is ≤ 0 by the facts replaced by 0; each such z goes into {@code used}. */
    Expr withDeadRelusZero(Expr e, Set<Expr> used) {
        if ((e instanceof Expr.Call c && dead(c.function()) && c.args().size() == 1 && sign(c.args().get(0)).atMostZero())
                || (e instanceof Expr.DerivativeCall d && dead(d.function()) && d.order() == 1
                && sign(d.arg()).atMostZero())) {
            used.add(e instanceof Expr.Call c ? c.args().get(0) : ((Expr.DerivativeCall) e).arg());
            return Expr.Num.of(0);
        }
        List<Expr> children = e.children();
        if (children.isEmpty()) return e;
        List<Expr> rewritten = children.stream().map(child -> withDeadRelusZero(child, used)).toList();
        return rewritten.equals(children) ? e : e.withChildren(rewritten);
    }

    /** What the facts say of e's sign for every value they allow. */
    Sign sign(Expr e) {
        if (e instanceof Expr.Num n) return Sign.of(n.value().signum());
        if (e instanceof Expr.Ref r) return facts.sign(r.name());
        if (e instanceof Expr.Neg n) return sign(n.operand()).negate();
        if (e instanceof Expr.Sum s) {
            Sign total = Sign.ZERO;
            for (Expr t : s.terms()) total = total.plus(sign(t));
            return total;
        }
        if (e instanceof Expr.Product p) {
            Sign total = Sign.POSITIVE;
            for (Expr f : p.factors()) total = total.times(sign(f));
            return total;
        }
        if (e instanceof Expr.Power p && p.exponent() instanceof Expr.Num n && n.value().isInteger()) {
            Sign base = sign(p.base());
            if (n.value().signum() > 0 && n.value().numerator().testBit(0)) return base;
            if (n.value().signum() > 0) return base == Sign.POSITIVE || base == Sign.NEGATIVE ? Sign.POSITIVE : Sign.NONNEGATIVE;
        }
        if (e instanceof Expr.Call c) {
            Builtin builtin = Builtin.byName(c.function()).orElse(null);
            if (builtin == null) return Sign.UNKNOWN;
            Sign[] signs = new Sign[c.args().size()];
            for (int i = 0; i < signs.length; i++) signs[i] = sign(c.args().get(i));
            return builtin.sign(signs);
        }
        return Sign.UNKNOWN;
    }

    /** A function that is 0, and whose derivative is 0, wherever its argument is ≤ 0 (relu). */
    private static boolean dead(String function) {
        return Builtin.byName(function).map(Builtin::deadWhereNotPositive).orElse(false);
    }
}
