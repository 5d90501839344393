package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import dev.netsym.model.TensorExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes the matrix form's expressions, in Unicode text or in LaTeX: matrix products by
 * juxtaposition (W x), ᵀ, ⊙ between tensors and · beside a single number, f′(z), 𝟙 for a
 * tensor of ones, J_op(…)ᵀ g for an operation shown by name. Brackets are decided by one
 * precedence order: sums, then products, then transposes and powers, then atoms.
 */
final class MatrixFormPrinter {
    private static final int SUM = 1;
    private static final int PRODUCT = 2;
    private static final int POSTFIX = 3;
    private static final int ATOM = 4;
    private static final String SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private final boolean latex;
    private final Set<String> layers;
    /** Names of single numbers: in LaTeX w1 is w_{1} as elsewhere, while a tensor h1 stays one word, as in h1_{j}. */
    private final Set<String> scalars;
    private final ExprPrinter text = ExprPrinter.unicode();
    private final LatexExprPrinter tex = new LatexExprPrinter();

    private MatrixFormPrinter(boolean latex, Set<String> layers, Set<String> scalars) {
        this.latex = latex;
        this.layers = layers;
        this.scalars = scalars;
    }

    static MatrixFormPrinter text() {
        return new MatrixFormPrinter(false, Set.of(), Set.of());
    }

    /** LaTeX for this form: a dense layer's weight W_h is written W^h, as in the rest of the document. */
    static MatrixFormPrinter latex(MatrixGradients.Form form) {
        Set<String> scalars = new java.util.HashSet<>();
        for (var s : form.forward()) {
            if (s.value().rank() == 0) scalars.add(s.name());
            scalarNames(s.value(), scalars);
        }
        scalarNames(form.objective(), scalars);
        return new MatrixFormPrinter(true, form.layers(), scalars);
    }

    private static void scalarNames(TensorExpr e, Set<String> into) {
        if (e instanceof TensorExpr.Name n && n.rank() == 0) into.add(n.name());
        for (TensorExpr c : e.children()) scalarNames(c, into);
    }

    private record Printed(String text, int precedence) {}

    String print(MatrixExpr e) {
        return matrix(e).text();
    }

    String print(TensorExpr e) {
        return tensor(e).text();
    }

    /** A tensor's name: W, W^{h1} for a dense layer's weights in LaTeX. */
    String name(String name) {
        if (!latex) return text.name(name);
        for (String layer : layers) {
            if (name.equals("W_" + layer) || name.equals("b_" + layer)) {
                return name.charAt(0) + "^{" + LatexExprPrinter.word(layer) + "}";
            }
        }
        if (name.startsWith("z_") && name.length() > 2) return "z_{" + name(name.substring(2)) + "}";
        return scalars.contains(name) ? tex.name(name) : LatexExprPrinter.word(name);
    }

    String delta(String unit) {
        return latex ? "\\delta_{" + name(unit) + "}" : "δ_" + name(unit);
    }

    /** ∂L/∂W, as a fraction in LaTeX. */
    String partial(String top, String wrt) {
        return latex ? "\\frac{\\partial " + name(top) + "}{\\partial " + name(wrt) + "}"
                : "∂" + name(top) + "/∂" + name(wrt);
    }

    // ---------------------------------------------------------------- backward quantities

    private Printed matrix(MatrixExpr e) {
        if (e instanceof MatrixExpr.Forward f) return tensor(f.value());
        if (e instanceof MatrixExpr.Delta d) return atom(delta(d.unit()));
        if (e instanceof MatrixExpr.Number n) return number(n.value());
        if (e instanceof MatrixExpr.Ones) return atom(latex ? "\\mathbf{1}" : "𝟙");
        if (e instanceof MatrixExpr.Sum s) return sum(s.terms().stream().map(t -> t instanceof MatrixExpr.Negated n
                ? signed(true, matrix(n.operand())) : signed(false, matrix(t))).toList());
        if (e instanceof MatrixExpr.Negated n) return new Printed(minus() + bracket(matrix(n.operand()), PRODUCT), SUM);
        if (e instanceof MatrixExpr.Hadamard h) {
            // Single numbers first (α·f′(z) ⊙ δ): they commute, and a · between tensors would read as ⊙.
            List<MatrixExpr> ordered = new ArrayList<>(h.factors());
            ordered.sort(java.util.Comparator.comparing(f -> f.shape().length > 0));
            List<Printed> factors = new ArrayList<>();
            List<Integer> ranks = new ArrayList<>();
            for (MatrixExpr f : ordered) {
                factors.add(matrix(f));
                ranks.add(f.shape().length);
            }
            return product(factors, ranks);
        }
        if (e instanceof MatrixExpr.Quotient q) {
            return new Printed(bracket(matrix(q.numerator()), PRODUCT) + " / " + bracket(matrix(q.denominator()), POSTFIX), PRODUCT);
        }
        if (e instanceof MatrixExpr.MatMul m) return juxtaposed(matrix(m.left()), m.left() instanceof MatrixExpr.MatMul, matrix(m.right()));
        if (e instanceof MatrixExpr.Outer o) return juxtaposed(matrix(o.column()), false, transposed(matrix(o.row())));
        if (e instanceof MatrixExpr.Transposed t) return transposed(matrix(t.operand()));
        if (e instanceof MatrixExpr.Derivative d) return derivative(d);
        if (e instanceof MatrixExpr.SumOver s) {
            String axes = s.axes().size() == s.operand().shape().length ? ""
                    : ", " + String.join(", ", s.axes().stream().map(a -> String.valueOf(a + 1)).toList());
            return atom(operator("sum") + "(" + matrix(s.operand()).text() + axes + ")");
        }
        if (e instanceof MatrixExpr.Expand x) {
            Printed ones = atom(latex ? "\\mathbf{1}" : "𝟙");
            if (x.shape().length == 2 && x.axis() == 1) return juxtaposed(matrix(x.operand()), false, transposed(ones));
            if (x.shape().length == 2 && x.axis() == 0) return juxtaposed(ones, false, transposed(matrix(x.operand())));
            return atom(operator("expand") + "(" + matrix(x.operand()).text() + ", " + (x.axis() + 1) + ")");
        }
        if (e instanceof MatrixExpr.Scatter s) {
            String index = String.join(",", java.util.Arrays.stream(s.index()).mapToObj(String::valueOf).toList());
            String unit = latex ? "e_{" + index + "}" : "e[" + index + "]";
            if (MatrixExpr.isNumber(s.operand(), 1)) return atom(unit);
            return new Printed(unit + (latex ? "\\," : "·") + bracket(matrix(s.operand()), POSTFIX), PRODUCT);
        }
        if (e instanceof MatrixExpr.Vjp v) return vjp(v);
        throw new IllegalArgumentException("no printed form for " + e.getClass().getSimpleName());
    }

    private Printed derivative(MatrixExpr.Derivative d) {
        String args = arguments(d.args(), List.of());
        boolean otherArgsFixed = true;
        for (int i = 0; i < d.args().size(); i++) {
            if (i != d.argument() && !(d.args().get(i) instanceof TensorExpr.Constant)) otherArgsFixed = false;
        }
        if (d.argument() == 0 && otherArgsFixed) return atom(function(d.function()) + (latex ? "'" : "′") + args);
        // The partial in one argument of a function of several (max, min).
        String mark = latex ? "\\partial_{" + (d.argument() + 1) + "}" : "∂" + subscript(d.argument() + 1);
        return atom(mark + function(d.function()) + args);
    }

    private Printed vjp(MatrixExpr.Vjp v) {
        // A batched product is named matmul, as the spec's @ would not read as a name.
        String op = v.operation().equals("@") ? "matmul" : v.operation();
        String which = v.args().size() > 1 ? "," + (v.argument() + 1) : "";
        // A slice's Jacobian is named after the slice as written (x[2:4]), not its encoded positions.
        String args = op.equals("slice")
                ? "(" + slice(new TensorExpr.Opaque("slice", v.args(), v.sizes(), v.shape())).text() + ")"
                : arguments(v.args(), v.sizes());
        String jacobian = latex
                ? "J_{" + operator(op) + which + "}" + args + "^{\\top}"
                : "J_" + op + which + args + "ᵀ";
        // The gradient of a single number (a loss) needs no back-signal: Jᵀ·1 is Jᵀ.
        if (MatrixExpr.isNumber(v.cotangent(), 1)) return new Printed(jacobian, POSTFIX);
        return new Printed(jacobian + (latex ? "\\," : " ") + bracket(matrix(v.cotangent()), POSTFIX), PRODUCT);
    }

    // ---------------------------------------------------------------- forward values

    private Printed tensor(TensorExpr e) {
        if (e instanceof TensorExpr.Name n) return atom(name(n.name()));
        if (e instanceof TensorExpr.Element el) return atom(latex ? tex.name(el.elementName()) : text.name(el.elementName()));
        if (e instanceof TensorExpr.Constant c) return number(c.value());
        if (e instanceof TensorExpr.Add a) return sum(a.terms().stream().map(t -> t instanceof TensorExpr.Negate n
                ? signed(true, tensor(n.operand())) : signed(false, tensor(t))).toList());
        if (e instanceof TensorExpr.Negate n) return new Printed(minus() + bracket(tensor(n.operand()), PRODUCT), SUM);
        if (e instanceof TensorExpr.Multiply m) {
            List<Printed> factors = new ArrayList<>();
            List<Integer> ranks = new ArrayList<>();
            for (TensorExpr f : m.factors()) {
                factors.add(tensor(f));
                ranks.add(f.rank());
            }
            return product(factors, ranks);
        }
        if (e instanceof TensorExpr.Divide d) {
            if (latex) return atom("\\frac{" + tensor(d.numerator()).text() + "}{" + tensor(d.denominator()).text() + "}");
            return new Printed(bracket(tensor(d.numerator()), PRODUCT) + " / " + bracket(tensor(d.denominator()), POSTFIX), PRODUCT);
        }
        if (e instanceof TensorExpr.Power p) return power(p);
        if (e instanceof TensorExpr.MatMul m) return juxtaposed(tensor(m.left()), m.left() instanceof TensorExpr.MatMul, tensor(m.right()));
        if (e instanceof TensorExpr.Transpose t) return transposed(tensor(t.operand()));
        if (e instanceof TensorExpr.Apply a) return atom(function(a.function()) + arguments(a.args(), List.of()));
        if (e instanceof TensorExpr.Reduce r) {
            String axis = r.axis() == null ? "" : ", " + (r.axis() + 1);
            return atom(operator(r.mean() ? "mean" : "sum") + "(" + tensor(r.operand()).text() + axis + ")");
        }
        if (e instanceof TensorExpr.Opaque o && o.operation().equals("slice")) return slice(o);
        if (e instanceof TensorExpr.Opaque o) {
            String op = o.operation().equals("@") ? "matmul" : o.operation();
            return atom(operator(op) + arguments(o.args(), o.sizes()));
        }
        throw new IllegalArgumentException("no printed form for " + e.getClass().getSimpleName());
    }

    /** A slice as the spec writes it, x[2:4] or W[:,1]: per axis its first and last element, and whether it is kept. */
    private Printed slice(TensorExpr.Opaque o) {
        TensorExpr x = o.args().get(0);
        int[] shape = x.shape();
        List<String> positions = new ArrayList<>();
        String colon = latex ? "{:}" : ":";
        for (int d = 0; d < shape.length; d++) {
            int from = o.sizes().get(3 * d);
            int to = o.sizes().get(3 * d + 1);
            boolean kept = o.sizes().get(3 * d + 2) == 1;
            if (!kept) positions.add(String.valueOf(from));
            else if (from == 1 && to == shape[d]) positions.add(colon);
            else positions.add((from == 1 ? "" : String.valueOf(from)) + colon + (to == shape[d] ? "" : String.valueOf(to)));
        }
        return new Printed(bracket(tensor(x), ATOM) + "[" + String.join(",", positions) + "]", POSTFIX);
    }

    private Printed power(TensorExpr.Power p) {
        Printed base = tensor(p.base());
        String b = bracket(base, ATOM);
        if (p.exponent() instanceof TensorExpr.Constant c && c.value().isInteger() && c.value().signum() > 0
                && c.value().toString().length() == 1 && !latex) {
            return new Printed(b + SUPERSCRIPT_DIGITS.charAt(Integer.parseInt(c.value().toString())), POSTFIX);
        }
        if (latex) return new Printed("{" + b + "}^{" + tensor(p.exponent()).text() + "}", POSTFIX);
        return new Printed(b + "^" + bracket(tensor(p.exponent()), ATOM), POSTFIX);
    }

    // ---------------------------------------------------------------- shared pieces

    private record Term(boolean negative, Printed printed) {}

    private Term signed(boolean negative, Printed p) {
        return new Term(negative, p);
    }

    private Printed sum(List<Term> terms) {
        StringBuilder b = new StringBuilder();
        String mark = latex ? String.valueOf(LatexExprPrinter.BREAK) : "";
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            String body = t.negative() ? bracket(t.printed(), PRODUCT) : bracket(t.printed(), SUM);
            boolean leadingMinus = !t.negative() && body.startsWith(minus());
            if (i == 0) {
                b.append(t.negative() ? minus() : "").append(body);
            } else if (t.negative() || leadingMinus) {
                b.append(' ').append(mark).append(minus().strip()).append(' ')
                        .append(leadingMinus ? body.substring(minus().length()) : body);
            } else {
                b.append(' ').append(mark).append("+ ").append(body);
            }
        }
        return new Printed(b.toString(), SUM);
    }

    /** ⊙ between two tensors, · (\cdot) where one side is a single number; numbers unbracketed in front. */
    private Printed product(List<Printed> factors, List<Integer> ranks) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < factors.size(); i++) {
            if (i > 0) {
                boolean both = ranks.get(i - 1) > 0 && ranks.get(i) > 0;
                b.append(both ? (latex ? " \\odot " : " ⊙ ") : (latex ? "\\, " : "·"));
            }
            b.append(bracket(factors.get(i), POSTFIX));
        }
        return new Printed(b.toString(), PRODUCT);
    }

    /** A B: a left-hand product chains without brackets; a right-hand one keeps them, as the spec writes B (A x). */
    private Printed juxtaposed(Printed left, boolean leftIsProduct, Printed right) {
        String l = leftIsProduct && left.precedence() == PRODUCT ? left.text() : bracket(left, POSTFIX);
        return new Printed(l + (latex ? "\\, " : " ") + bracket(right, POSTFIX), PRODUCT);
    }

    private Printed transposed(Printed operand) {
        String base = bracket(operand, ATOM);
        // Braces keep a name that has a superscript of its own (W^{h1}) from taking a second one.
        return new Printed(latex ? (base.contains("^") ? "{" + base + "}" : base) + "^{\\top}" : base + "ᵀ", POSTFIX);
    }

    private String arguments(List<TensorExpr> args, List<Integer> sizes) {
        List<String> parts = new ArrayList<>();
        for (TensorExpr a : args) parts.add(tensor(a).text());
        for (Integer s : sizes) parts.add(String.valueOf(s));
        return "(" + String.join(", ", parts) + ")";
    }

    private String function(String f) {
        if (!latex) return f;
        return tex.function(f);
    }

    private String operator(String name) {
        return latex ? "\\operatorname{" + LatexExprPrinter.escape(name) + "}" : name;
    }

    private Printed number(Rational value) {
        // A number the spec wrote as a decimal (0.7978845608) reads as one, not as a fraction of ten digits.
        String decimal = latex || value.signum() < 0 ? null : NumberText.decimal(value);
        if (decimal != null) return atom(decimal);
        String printed = latex ? tex.print(new Expr.Num(value)) : text.print(new Expr.Num(value));
        return new Printed(printed, value.signum() < 0 ? SUM : !value.isInteger() && latex ? ATOM
                : !value.isInteger() ? PRODUCT : ATOM);
    }

    private String minus() {
        return latex ? "-" : "−";
    }

    private static Printed atom(String s) {
        return new Printed(s, ATOM);
    }

    private static String bracket(Printed p, int least) {
        if (p.precedence() >= least) return p.text();
        return "(" + p.text() + ")";
    }

    private static String subscript(int n) {
        StringBuilder b = new StringBuilder();
        for (char c : String.valueOf(n).toCharArray()) b.append("₀₁₂₃₄₅₆₇₈₉".charAt(c - '0'));
        return b.toString();
    }
}
