package dev.netsym.render;

import dev.netsym.model.Expr;

/**
 * How tightly each kind of expression binds; every printer asks this one table whether a
 * subexpression needs brackets, so all formats agree on the reading of a - b·c^d.
 */
public enum Precedence {
    SUM, PRODUCT, NEGATION, POWER, ATOM;

    public static Precedence of(Expr e) {
        if (e instanceof Expr.Sum) return SUM;
        if (e instanceof Expr.Product || e instanceof Expr.Quotient) return PRODUCT;
        if (e instanceof Expr.Neg) return NEGATION;
        if (e instanceof Expr.Power) return POWER;
        if (e instanceof Expr.Num n) {
            // -3 reads like a negation, 1/2 like a quotient.
            if (n.value().signum() < 0) return NEGATION;
            return n.value().isInteger() ? ATOM : PRODUCT;
        }
        return ATOM;
    }

    public boolean bindsLooserThan(Precedence other) { return compareTo(other) < 0; }

    /** Operand of an operator of this precedence: bracket it when it binds looser. */
    public boolean needsBrackets(Expr operand) { return Precedence.of(operand).bindsLooserThan(this); }

    /** Right operand of a non-associative operator (a/b, a^b): bracket at equal precedence too. */
    public boolean needsBracketsOnRight(Expr operand) { return !this.bindsLooserThan(Precedence.of(operand)); }
}
