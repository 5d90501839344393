package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExprPrinterTest {

    static Expr ref(String n) { return new Expr.Ref(n); }
    static Expr num(long n) { return Expr.Num.of(n); }
    static Expr sum(Expr... t) { return new Expr.Sum(List.of(t)); }
    static Expr prod(Expr... t) { return new Expr.Product(List.of(t)); }
    static Expr neg(Expr e) { return new Expr.Neg(e); }
    static Expr pow(Expr b, Expr e) { return new Expr.Power(b, e); }
    static Expr call(String f, Expr... a) { return new Expr.Call(f, List.of(a)); }

    final ExprPrinter plain = ExprPrinter.plain();
    final ExprPrinter text = ExprPrinter.unicode();

    @Test
    void bracketsOnlyWhereThePrecedenceTableNeedsThem() {
        Expr e = sum(ref("a"), neg(prod(ref("b"), ref("c"))), neg(sum(ref("d"), ref("e"))));
        assertEquals("a - b*c - (d + e)", plain.print(e));
        assertEquals("a − b·c − (d + e)", text.print(e));
        assertEquals("(a + b)^2", plain.print(pow(sum(ref("a"), ref("b")), num(2))));
        assertEquals("(a + b)²", text.print(pow(sum(ref("a"), ref("b")), num(2))));
        assertEquals("-x^2", plain.print(neg(pow(ref("x"), num(2)))));
        assertEquals("(-x)^2", plain.print(pow(neg(ref("x")), num(2))));
        assertEquals("x^(1/2)", plain.print(pow(ref("x"), new Expr.Num(Rational.of(1, 2)))));
        assertEquals("(x^2)^3", plain.print(pow(pow(ref("x"), num(2)), num(3))));
        assertEquals("a/(b*c)", plain.print(new Expr.Quotient(ref("a"), prod(ref("b"), ref("c")))));
        assertEquals("(a + b)/c", plain.print(new Expr.Quotient(sum(ref("a"), ref("b")), ref("c"))));
        assertEquals("a*(-b)", plain.print(prod(ref("a"), neg(ref("b")))));
        assertEquals("(w9*w5 + w10*w6)*x1",
                plain.print(prod(sum(prod(ref("w9"), ref("w5")), prod(ref("w10"), ref("w6"))), ref("x1"))));
    }

    @Test
    void functionsAndDerivativesInTheSpecLanguage() {
        Expr z = sum(ref("b1"), prod(ref("w1"), ref("x")));
        assertEquals("1 - tanh(b1 + w1*x)^2", plain.print(sum(num(1), neg(pow(call("tanh", z), num(2))))));
        assertEquals("1 − tanh(b1 + w1·x)²", text.print(sum(num(1), neg(pow(call("tanh", z), num(2))))));
        assertEquals("f'(z)", plain.print(new Expr.DerivativeCall("f", 1, ref("z"))));
        assertEquals("f''(z)", plain.print(new Expr.DerivativeCall("f", 2, ref("z"))));
        assertEquals("f′(z)", text.print(new Expr.DerivativeCall("f", 1, ref("z"))));
        assertEquals("leaky_relu(z, 1/100)", plain.print(call("leaky_relu", ref("z"), new Expr.Num(Rational.of(1, 100)))));
    }

    @Test
    void namesPrintAsWrittenAndSubscriptsOnlyOnRequest() {
        for (String n : List.of("D", "N", "E", "I", "Pi", "Sin", "Export", "Run", "Print", "W1", "w1")) {
            assertEquals(n, plain.print(ref(n)));
            assertEquals(n, text.print(ref(n)));
        }
        ExprPrinter subscripts = ExprPrinter.unicode(true);
        assertEquals("w₁₀·x₁", subscripts.print(prod(ref("w10"), ref("x1"))));
        assertEquals("x[1]", subscripts.print(ref("x[1]")));
    }
}
