package dev.netsym.render;

import dev.netsym.model.Expr;

/** Turns a model expression into text in one notation. */
public interface ExprPrinter {

    String print(Expr e);

    /**
     * The spec language's own ASCII syntax (*, ^, f'(z)): what a user could paste back into
     * a spec file or a CAS.
     */
    static ExprPrinter plain() { return ExprPrinterStyled.PLAIN; }

    /** Readable Unicode: a·b, x², a − b, f′(z); names as written. */
    static ExprPrinter unicode() { return ExprPrinterStyled.UNICODE; }

    /** Readable Unicode, optionally with trailing digits as subscripts (w1 → w₁). */
    static ExprPrinter unicode(boolean subscripts) {
        return subscripts ? ExprPrinterStyled.UNICODE_SUBSCRIPTS : ExprPrinterStyled.UNICODE;
    }

    /** The multiplication sign: "*" or "·". */
    String times();

    /** The derivative mark: "'" or "′". */
    String prime();

    /** How this printer writes a bare name (for Leibniz fractions ∂y/∂w1 and the like). */
    String name(String name);

    /** For a term written with a minus sign (−u or a negative number), what follows the sign; else null. */
    static Expr negatedOperand(Expr term) {
        if (term instanceof Expr.Neg n) return n.operand();
        if (term instanceof Expr.Num n && n.value().signum() < 0) return new Expr.Num(n.value().negate());
        return null;
    }
}
