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

    /** How this printer writes a bare name (for Leibniz fractions ∂y/∂w1 and the like). */
    String name(String name);
}
