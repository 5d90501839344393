package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LatexExprPrinterTest {

    static Expr ref(String n) { return new Expr.Ref(n); }
    static Expr num(long n) { return Expr.Num.of(n); }
    static Expr frac(long n, long d) { return new Expr.Num(Rational.of(n, d)); }
    static Expr sum(Expr... t) { return new Expr.Sum(List.of(t)); }
    static Expr prod(Expr... t) { return new Expr.Product(List.of(t)); }
    static Expr neg(Expr e) { return new Expr.Neg(e); }
    static Expr pow(Expr b, Expr e) { return new Expr.Power(b, e); }
    static Expr call(String f, Expr... a) { return new Expr.Call(f, List.of(a)); }

    final LatexExprPrinter latex = new LatexExprPrinter(Set.of("h"), false);

    @Test
    void subscriptsForTrailingDigitsIndicesAndDenseLayers() {
        assertEquals("w_{10}", latex.print(ref("w10")));
        assertEquals("x_{1}", latex.print(ref("x1")));
        assertEquals("x_{1}", latex.print(ref("x_1")));
        assertEquals("W^{h}_{2,3}", latex.print(ref("W_h[2,3]")));
        assertEquals("b^{h}_{2}", latex.print(ref("b_h[2]")));
        assertEquals("h_{3}", latex.print(ref("h[3]")));
        assertEquals("\\mathit{W\\_g}_{2,3}", latex.print(ref("W_g[2,3]")), "g is not a dense layer");
        assertEquals("\\mathit{out}", latex.print(ref("out")));
        assertEquals("\\alpha_{2}", latex.print(ref("alpha2")));
        assertEquals("L'", latex.print(ref("L'")));
        assertEquals("\\frac{\\partial y}{\\partial h_{3}}", latex.print(ref("∂y/∂h[3]")));
    }

    @Test
    void specialCharactersAreEscapedNeverInterpreted() {
        assertEquals("\\mathit{my\\_var}", latex.print(ref("my_var")));
        assertEquals("\\mathit{a\\#b\\%c\\&d\\$e\\{f\\}g\\textasciitilde{}h\\textasciicircum{}i\\textbackslash{}j}",
                latex.print(ref("a#b%c&d$e{f}g~h^i\\j")));
        assertEquals("\\mathit{\\textbackslash{}input\\{/etc/passwd\\}}", latex.print(ref("\\input{/etc/passwd}")));
        assertEquals("\\mathit{x[U+00E9]}", latex.print(ref("xé")));
    }

    @Test
    void theSymbolsOfNetsymsOwnMessagesBecomeLatexNotCodePoints() throws Exception {
        // The randomized identity test's detail names σ and π; a LaTeX document once showed [U+03C3].
        assertEquals("every \\ensuremath{\\sigma }, \\ensuremath{\\pi } and \\ensuremath{\\surd }",
                LatexExprPrinter.escape("every σ, π and √"));
        assertEquals("\\ensuremath{\\delta }\\ensuremath{^{\\top}} 2\\textendash{}3",
                LatexExprPrinter.escape("δᵀ 2–3"));
        // Every non-ASCII character in netsym's own sources has a LaTeX form (names are ASCII).
        StringBuilder missing = new StringBuilder();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            for (var f : (Iterable<java.nio.file.Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                java.nio.file.Files.readString(f).codePoints().filter(c -> c > 127).distinct().forEach(c -> {
                    String shown = LatexExprPrinter.escape(new String(Character.toChars(c)));
                    if (shown.contains("[U+") && missing.indexOf(shown) < 0) missing.append(shown).append(' ');
                });
            }
        }
        assertEquals("", missing.toString().strip());
    }

    @Test
    void sumsProductsAndTheSourceAnswersForms() {
        Expr y1 = sum(prod(ref("w1"), ref("x1")), prod(ref("w3"), ref("x2")));
        assertEquals("w_{1} x_{1} + w_{3} x_{2}", latex.print(y1));
        assertEquals("w_{9} (w_{1} x_{1} + w_{3} x_{2})", latex.print(prod(ref("w9"), y1)));
        assertEquals("(w_{9} w_{5} + w_{10} w_{6}) x_{1}",
                latex.print(prod(sum(prod(ref("w9"), ref("w5")), prod(ref("w10"), ref("w6"))), ref("x1"))));
        assertEquals("w_{9} y_{1} + w_{10} \\cdot 0",
                latex.print(sum(prod(ref("w9"), ref("y1")), prod(ref("w10"), num(0)))));
        assertEquals("2 a^{2} x_{1}", latex.print(prod(num(2), pow(ref("a"), num(2)), ref("x1"))));
        assertEquals("2 \\cdot 3", latex.print(prod(num(2), num(3))));
    }

    @Test
    void negativesAndBrackets() {
        assertEquals("a - b c - (d + e)",
                latex.print(sum(ref("a"), neg(prod(ref("b"), ref("c"))), neg(sum(ref("d"), ref("e"))))));
        assertEquals("a - 2", latex.print(sum(ref("a"), num(-2))));
        assertEquals("-x^{2}", latex.print(neg(pow(ref("x"), num(2)))));
        assertEquals("(-x)^{2}", latex.print(pow(neg(ref("x")), num(2))));
        assertEquals("a (-b)", latex.print(prod(ref("a"), neg(ref("b")))));
        assertEquals("-(-x)", latex.print(neg(neg(ref("x")))));
        assertEquals("a \\cdot (-2)", latex.print(prod(ref("a"), num(-2))));
    }

    @Test
    void fractionsAndPowers() {
        assertEquals("\\frac{a + b}{c d}", latex.print(new Expr.Quotient(sum(ref("a"), ref("b")), prod(ref("c"), ref("d")))));
        assertEquals("\\frac{1}{2} x", latex.print(prod(frac(1, 2), ref("x"))));
        assertEquals("-\\frac{1}{2}", latex.print(frac(-1, 2)));
        assertEquals("(a + b)^{2}", latex.print(pow(sum(ref("a"), ref("b")), num(2))));
        assertEquals("(x^{2})^{3}", latex.print(pow(pow(ref("x"), num(2)), num(3))));
        assertEquals("x^{1/2}", latex.print(pow(ref("x"), frac(1, 2))));
        assertEquals("x^{-1}", latex.print(pow(ref("x"), num(-1))));
        assertEquals("x^{a + b}", latex.print(pow(ref("x"), sum(ref("a"), ref("b")))));
        assertEquals("\\left(\\frac{1}{2}\\right)^{2}", latex.print(pow(frac(1, 2), num(2))));
        assertEquals("w_{1}^{2}", latex.print(pow(ref("w1"), num(2))));
    }

    @Test
    void operatorsAndGenericDerivatives() {
        Expr z = sum(ref("b1"), prod(ref("w1"), ref("x")));
        assertEquals("1 - \\tanh^{2}(b_{1} + w_{1} x)", latex.print(sum(num(1), neg(pow(call("tanh", z), num(2))))));
        assertEquals("\\operatorname{relu}(z)", latex.print(call("relu", ref("z"))));
        assertEquals("\\operatorname{relu}'(z)", latex.print(new Expr.DerivativeCall("relu", 1, ref("z"))));
        assertEquals("\\operatorname{leaky\\_relu}(z, 0.01)",
                latex.print(call("leaky_relu", ref("z"), frac(1, 100))));
        assertEquals("\\sigma(z)", latex.print(call("sigmoid", ref("z"))));
        assertEquals("\\operatorname{softplus}(z)", latex.print(call("softplus", ref("z"))));
        assertEquals("\\exp(-z)", latex.print(call("exp", neg(ref("z")))));
        assertEquals("\\log(z)", latex.print(call("log", ref("z"))));
        assertEquals("f'(z)", latex.print(new Expr.DerivativeCall("f", 1, ref("z"))));
        assertEquals("f''(w_{1} x)", latex.print(new Expr.DerivativeCall("f", 2, prod(ref("w1"), ref("x")))));
        assertEquals("f'(z)^{2}", latex.print(pow(new Expr.DerivativeCall("f", 1, ref("z")), num(2))));
        assertEquals("\\operatorname{act}(z)", latex.print(call("act", ref("z"))));
    }

    @Test
    void breakableModeMarksOnlyTopLevelSumsOutsideBracesAndBrackets() {
        LatexExprPrinter breaking = latex.breakable();
        Expr e = sum(prod(ref("w5"), sum(ref("a"), ref("b"))), new Expr.Quotient(sum(ref("c"), ref("d")), ref("e")));
        String printed = breaking.print(e);
        assertEquals("w_{5} (a \u0002+ b) \u0001+ \\frac{c + d}{e}", printed);
        assertFalse(breaking.print(prod(frac(1, 2), sum(ref("a"), ref("b")))).contains("\\left"));
    }

    @Test
    void aFunctionsArgumentsAreNotCutUnlessTooWideForALine() {
        LatexExprPrinter breaking = latex.breakable();
        Expr inner = sum(ref("c1"), prod(ref("c5"), ref("x1")), prod(ref("c6"), ref("x2")));
        String printed = breaking.print(sum(prod(ref("c3"), sum(num(1), neg(pow(call("tanh", inner), num(2))))), ref("c4")));
        assertEquals(List.of("c_{3} (1 - \\tanh^{2}(c_{1} + c_{5} x_{1} + c_{6} x_{2})) ", "+ c_{4}"),
                LatexLines.pieces(printed, LatexLines.LINE_EM));
        // When nothing else fits, a bracket may break after all.
        assertEquals(List.of("c_{3} (1 ", "- \\tanh^{2}(c_{1} ", "+ c_{5} x_{1} ", "+ c_{6} x_{2})) ", "+ c_{4}"),
                LatexLines.pieces(printed, 5));
        // Outer brackets first: the argument of tanh stays whole when that is enough.
        assertEquals(List.of("c_{3} (1 ", "- \\tanh^{2}(c_{1} + c_{5} x_{1} + c_{6} x_{2})) ", "+ c_{4}"),
                LatexLines.pieces(printed, LatexLines.width("- \\tanh^{2}(c_{1} + c_{5} x_{1} + c_{6} x_{2})) ")));
        List<Expr> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 30; i++) many.add(prod(ref("w" + i), ref("x" + i)));
        assertTrue(breaking.print(call("tanh", new Expr.Sum(many))).contains("\u0001+ w_{30} x_{30}"),
                "an argument wider than a line may still break");
    }

    @Test
    void namesOfSeveralLettersAreKeptApartByADot() {
        assertEquals("\\mathit{weight\\_a} \\cdot \\mathit{x\\_in}", latex.print(prod(ref("weight_a"), ref("x_in"))));
        assertEquals("\\mathit{W\\_out} \\cdot \\mathit{hidden}_{1}", latex.print(prod(ref("W_out"), ref("hidden_1"))));
        assertEquals("\\mathit{hidden}_{1}^{2} \\cdot w", latex.print(prod(pow(ref("hidden_1"), num(2)), ref("w"))));
        assertEquals("2 a \\cdot \\mathit{x\\_in}", latex.print(prod(num(2), ref("a"), ref("x_in"))));
        // Single letters read apart by themselves, as in textbooks.
        assertEquals("w_{1} x_{1}", latex.print(prod(ref("w1"), ref("x1"))));
        assertEquals("W^{h}_{1,2} x_{2}", LatexExprPrinter.forNetwork(ProofFixtures.dense()).print(prod(ref("W_h[1,2]"), ref("x[2]"))));
    }

    @Test
    void decimalsPrintAsDecimals() {
        assertEquals("0.0000016073772", latex.print(frac(4018443, 2500000000000L)));
        assertEquals("-0.3", latex.print(frac(-3, 10)));
        assertEquals("\\frac{1}{2}", latex.print(frac(1, 2)));
        assertEquals("\\frac{1}{3}", latex.print(frac(1, 3)));
    }
}
