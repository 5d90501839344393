package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import java.util.List;

/** The one printer walk, parameterised by notation, so that bracket rules exist once. */
final class ExprPrinterStyled implements ExprPrinter {

    static final ExprPrinterStyled PLAIN = new ExprPrinterStyled(false, false);
    static final ExprPrinterStyled UNICODE = new ExprPrinterStyled(true, false);
    static final ExprPrinterStyled UNICODE_SUBSCRIPTS = new ExprPrinterStyled(true, true);

    private static final String SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    private static final String SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉";

    private final boolean unicode;
    private final boolean subscripts;
    private final String times;
    private final String minus;
    private final String prime;

    private ExprPrinterStyled(boolean unicode, boolean subscripts) {
        this.unicode = unicode;
        this.subscripts = subscripts;
        this.times = unicode ? "·" : "*";
        this.minus = unicode ? "−" : "-";
        this.prime = unicode ? "′" : "'";
    }

    @Override
    public String print(Expr e) {
        StringBuilder out = new StringBuilder();
        write(e, out);
        return out.toString();
    }

    @Override
    public String times() { return times; }

    @Override
    public String prime() { return prime; }

    @Override
    public String name(String name) {
        if (!subscripts) return name;
        int end = name.length();
        int start = end;
        while (start > 0 && Character.isDigit(name.charAt(start - 1))) start--;
        if (start == 0 || start == end || !Character.isLetter(name.charAt(start - 1))) return name;
        StringBuilder out = new StringBuilder(name.substring(0, start));
        for (int i = start; i < end; i++) out.append(SUBSCRIPT_DIGITS.charAt(name.charAt(i) - '0'));
        return out.toString();
    }

    private void write(Expr e, StringBuilder out) {
        if (e instanceof Expr.Num n) {
            writeNumber(n.value(), out);
        } else if (e instanceof Expr.Ref r) {
            out.append(name(r.name()));
        } else if (e instanceof Expr.Neg n) {
            out.append(minus);
            // −a·b needs no brackets: (−a)·b and −(a·b) are the same number.
            Precedence inner = Precedence.of(n.operand());
            bracketed(n.operand(), inner == Precedence.SUM || inner == Precedence.NEGATION, out);
        } else if (e instanceof Expr.Sum s) {
            writeSum(s.terms(), out);
        } else if (e instanceof Expr.Product p) {
            for (int i = 0; i < p.factors().size(); i++) {
                if (i > 0) out.append(times);
                Expr factor = p.factors().get(i);
                // A sign inside a product is bracketed unless it leads: a·(−b), −a·b.
                boolean bracket = (i > 0 && Precedence.of(factor) == Precedence.NEGATION)
                        || Precedence.PRODUCT.needsBrackets(factor)
                        || (i > 0 && factor instanceof Expr.Num num && !num.value().isInteger());
                bracketed(factor, bracket, out);
            }
        } else if (e instanceof Expr.Quotient q) {
            operand(Precedence.PRODUCT, q.numerator(), false, out);
            out.append('/');
            operand(Precedence.PRODUCT, q.denominator(), true, out);
        } else if (e instanceof Expr.Power p) {
            writePower(p, out);
        } else if (e instanceof Expr.Call c) {
            out.append(c.function()).append('(');
            writeArgs(c.args(), out);
            out.append(')');
        } else if (e instanceof Expr.DerivativeCall d) {
            out.append(d.function()).append(prime.repeat(d.order())).append('(');
            write(d.arg(), out);
            out.append(')');
        }
    }

    private void writeNumber(Rational value, StringBuilder out) {
        if (value.signum() < 0) {
            out.append(minus);
            value = value.negate();
        }
        out.append(value);
    }

    /** Negated terms after the first become subtraction: a − b, not a + −b. */
    private void writeSum(List<Expr> terms, StringBuilder out) {
        for (int i = 0; i < terms.size(); i++) {
            Expr term = terms.get(i);
            Expr positive = i > 0 ? ExprPrinter.negatedOperand(term) : null;
            if (positive != null) {
                out.append(' ').append(minus).append(' ');
                bracketed(positive, Precedence.of(positive) == Precedence.SUM
                        || Precedence.of(positive) == Precedence.NEGATION, out);
            } else {
                if (i > 0) out.append(" + ");
                bracketed(term, Precedence.SUM.needsBrackets(term) || Precedence.of(term) == Precedence.SUM, out);
            }
        }
    }


    private void writePower(Expr.Power p, StringBuilder out) {
        operand(Precedence.POWER, p.base(), true, out);
        if (unicode && p.exponent() instanceof Expr.Num n && n.value().isInteger() && n.value().signum() >= 0) {
            for (char digit : n.value().toString().toCharArray()) {
                out.append(SUPERSCRIPT_DIGITS.charAt(digit - '0'));
            }
            return;
        }
        out.append('^');
        // Exponents are bracketed unless atomic, so that x^(1/2) and x^(-1) read one way.
        bracketed(p.exponent(), Precedence.of(p.exponent()) != Precedence.ATOM, out);
    }

    private void writeArgs(List<Expr> args, StringBuilder out) {
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) out.append(", ");
            write(args.get(i), out);
        }
    }

    private void operand(Precedence context, Expr operand, boolean right, StringBuilder out) {
        boolean bracket = right ? context.needsBracketsOnRight(operand) : context.needsBrackets(operand);
        bracketed(operand, bracket, out);
    }

    private void bracketed(Expr e, boolean bracket, StringBuilder out) {
        if (bracket) out.append('(');
        write(e, out);
        if (bracket) out.append(')');
    }
}
