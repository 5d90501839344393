package dev.netsym.render;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Layer;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LaTeX (math mode) for model expressions: w10 → w_{10}, h[3] → h_{3}, a dense weight
 * W_h[2,3] → W^{h}_{2,3}, quotients as \frac, products by juxtaposition. Brackets come from
 * the shared {@link Precedence} table, so LaTeX reads the same way as the text output.
 *
 * <p>In breakable mode the printer marks every + and − of every sum that is not inside a
 * brace group with {@link #BREAK}, and uses plain brackets (never \left…\right, which
 * cannot span lines), so that a caller can split a long expression over align rows.
 */
public final class LatexExprPrinter implements ExprPrinter {

    /** Marks a place where a line may break (before a + or −); see {@link #breakable}. */
    public static final char BREAK = '\u0001';

    /**
     * Marks a place inside brackets where a line may break only if what is around it does
     * not fit on a line otherwise: one character per depth of brackets, from this one (just
     * inside one pair) to {@link #DEEPEST_BREAK}; see {@link LatexLines#pieces}.
     */
    public static final char LAST_RESORT_BREAK = '\u0002';
    public static final char DEEPEST_BREAK = '\u0007';

    private static final Pattern TRAILING_DIGITS = Pattern.compile("([A-Za-z]+)_?([0-9]+)");
    /** W[2,3]; an index may also be the letter k, which the laws use for "each unit k". */
    private static final Pattern INDEXED = Pattern.compile("([A-Za-z_][A-Za-z_0-9.]*)\\[((?:[0-9]+|k)(?:,(?:[0-9]+|k))*)]");
    private static final Pattern LEIBNIZ = Pattern.compile("∂([^/]+)/∂(.+)");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private static final Set<String> GREEK = Set.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta",
            "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
            "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
            "Sigma", "Upsilon", "Phi", "Psi", "Omega");

    private final Set<String> denseLayers;
    private final boolean breakable;
    /** Subexpressions printed as given LaTeX (a dense sum as \\sum_{i}); used by the document renderer. */
    private final Map<Expr, String> verbatim;

    /** A printer that knows no dense layers: W_h[2,3] prints as a plain indexed name. */
    public LatexExprPrinter() {
        this(Set.of(), false);
    }

    /** @param denseLayers names of dense layers, whose weights W_name[j,i] and biases b_name[j] get the layer as superscript */
    public LatexExprPrinter(Set<String> denseLayers, boolean breakable) {
        this(denseLayers, breakable, Map.of());
    }

    private LatexExprPrinter(Set<String> denseLayers, boolean breakable, Map<Expr, String> verbatim) {
        this.denseLayers = Set.copyOf(denseLayers);
        this.breakable = breakable;
        this.verbatim = Map.copyOf(verbatim);
    }

    /** The same printer, printing the given subexpressions as the given LaTeX. */
    LatexExprPrinter withVerbatim(Map<Expr, String> latex) {
        return new LatexExprPrinter(denseLayers, breakable, latex);
    }

    public static LatexExprPrinter forNetwork(Network network) {
        return new LatexExprPrinter(layerNames(network), false);
    }

    /** The same notation, with break marks for splitting long sums over lines. */
    public LatexExprPrinter breakable() {
        return new LatexExprPrinter(denseLayers, true, verbatim);
    }

    private static Set<String> layerNames(Network network) {
        return Set.copyOf(network.layers().stream().map(Layer::name).toList());
    }

    /** Juxtaposition, as LaTeX writes products; {@link #print} adds \\cdot where numbers meet. */
    @Override
    public String times() {
        return " ";
    }

    @Override
    public String prime() {
        return "'";
    }

    @Override
    public String print(Expr e) {
        StringBuilder out = new StringBuilder();
        write(e, out);
        return out.toString();
    }

    // ---------------------------------------------------------------- names

    @Override
    public String name(String name) {
        Matcher leibniz = LEIBNIZ.matcher(name);
        if (leibniz.matches()) {
            // The adjoint ∂y/∂h3 that a large derivation leaves as a name.
            return "\\frac{\\partial " + name(leibniz.group(1)) + "}{\\partial " + name(leibniz.group(2)) + "}";
        }
        int primes = 0;
        while (primes < name.length() && name.charAt(name.length() - 1 - primes) == '\'') primes++;
        if (primes > 0 && primes < name.length()) {
            return name(name.substring(0, name.length() - primes)) + "'".repeat(primes);
        }
        Matcher indexed = INDEXED.matcher(name);
        if (indexed.matches()) {
            String base = indexed.group(1);
            String index = indexed.group(2);
            for (String layer : denseLayers) {
                if (base.equals("W_" + layer) || base.equals("b_" + layer)) {
                    return base.charAt(0) + "^{" + word(layer) + "}_{" + index + "}";
                }
            }
            // E1_0[2,3]: the shared random start of E1[2,3] and its copies, E1⁽⁰⁾ with E1's index.
            if (base.endsWith("_0") && base.length() > 2) return word(base.substring(0, base.length() - 2)) + "^{(0)}_{" + index + "}";
            return word(base) + "_{" + index + "}";
        }
        Matcher digits = TRAILING_DIGITS.matcher(name);
        if (digits.matches()) return word(digits.group(1)) + "_{" + digits.group(2) + "}";
        return word(name);
    }

    /**
     * A whole tensor, without index: its name as one word (\mathit{Wq1}, where {@link #name}
     * would read the 1 as an index), a dense layer's weights and biases W^{h}, b^{h}.
     */
    public String tensor(String name) {
        for (String layer : denseLayers) {
            if (name.equals("W_" + layer) || name.equals("b_" + layer)) return name.charAt(0) + "^{" + word(layer) + "}";
        }
        return word(name);
    }

    /** Element {@code index} of a vector, as {@link #name} writes x[3]: x_{3}, \mathit{h1}_{j}. */
    String element(String vector, String index) {
        return word(vector) + "_{" + index + "}";
    }

    /**
     * One name without index: a letter as it is, a Greek name as its letter, a longer word
     * upright-italic as one unit (\mathit{out}, so it does not read as o·u·t).
     */
    static String word(String word) {
        if (word.length() == 1 && Character.isLetter(word.charAt(0)) && word.charAt(0) < 128) return word;
        if (GREEK.contains(word)) return "\\" + word;
        if (PLAIN_NAME.matcher(word).matches()) return "\\mathit{" + word + "}";
        return "\\mathit{" + escape(word) + "}";
    }

    /**
     * Escapes text so that it prints as itself inside \mathit{} or \text{} and can never
     * run a command; characters outside ASCII that netsym's own messages use become their LaTeX,
     * any other their code point.
     */
    /** The mathematical characters netsym's own messages use, as LaTeX (names are ASCII anyway). */
    private static final java.util.Map<Integer, String> UNICODE_MATH = java.util.Map.ofEntries(
            java.util.Map.entry((int) '∂', "\\partial "), java.util.Map.entry((int) '·', "\\cdot "),
            java.util.Map.entry((int) '−', "-"), java.util.Map.entry((int) '…', "\\dots "),
            java.util.Map.entry((int) '²', "^{2}"), java.util.Map.entry((int) '³', "^{3}"),
            java.util.Map.entry((int) 'η', "\\eta "), java.util.Map.entry((int) 'θ', "\\theta "),
            java.util.Map.entry((int) '≤', "\\le "), java.util.Map.entry((int) '≥', "\\ge "),
            java.util.Map.entry((int) 'Σ', "\\Sigma "), java.util.Map.entry((int) '′', "'"),
            java.util.Map.entry((int) '≈', "\\approx "), java.util.Map.entry((int) '→', "\\to "),
            java.util.Map.entry((int) 'λ', "\\lambda "), java.util.Map.entry((int) 'β', "\\beta "),
            java.util.Map.entry((int) 'ε', "\\varepsilon "), java.util.Map.entry((int) 'ξ', "\\xi "),
            java.util.Map.entry((int) '₁', "_{1}"), java.util.Map.entry((int) '₂', "_{2}"),
            java.util.Map.entry((int) '←', "\\leftarrow "), java.util.Map.entry((int) 'μ', "\\mu "),
            java.util.Map.entry((int) 'ρ', "\\rho "), java.util.Map.entry((int) '√', "\\surd "),
            java.util.Map.entry((int) '‖', "\\| "), java.util.Map.entry((int) '≠', "\\ne "),
            java.util.Map.entry((int) 'σ', "\\sigma "), java.util.Map.entry((int) 'π', "\\pi "),
            java.util.Map.entry((int) 'α', "\\alpha "), java.util.Map.entry((int) 'δ', "\\delta "),
            java.util.Map.entry((int) 'φ', "\\varphi "), java.util.Map.entry((int) 'Φ', "\\Phi "),
            java.util.Map.entry((int) 'ℓ', "\\ell "), java.util.Map.entry((int) '∇', "\\nabla "),
            java.util.Map.entry((int) '∞', "\\infty "), java.util.Map.entry((int) 'ᵀ', "^{\\top}"),
            java.util.Map.entry((int) '⊙', "\\odot "), java.util.Map.entry((int) '×', "\\times "),
            java.util.Map.entry((int) '±', "\\pm "), java.util.Map.entry((int) '≡', "\\equiv "),
            java.util.Map.entry((int) '⟨', "\\langle "), java.util.Map.entry((int) '⟩', "\\rangle "),
            java.util.Map.entry((int) '⌊', "\\lfloor "), java.util.Map.entry((int) '⌋', "\\rfloor "),
            java.util.Map.entry((int) '⊆', "\\subseteq "), java.util.Map.entry((int) '⊒', "\\sqsupseteq "),
            java.util.Map.entry((int) '∫', "\\int "), java.util.Map.entry(0x1D7D9, "\\mathbf{1}"),
            java.util.Map.entry((int) '⁰', "^{0}"), java.util.Map.entry((int) '₀', "_{0}"),
            java.util.Map.entry((int) '₃', "_{3}"), java.util.Map.entry((int) '₄', "_{4}"),
            java.util.Map.entry((int) '₅', "_{5}"), java.util.Map.entry((int) '₆', "_{6}"),
            java.util.Map.entry((int) '₇', "_{7}"), java.util.Map.entry((int) '₈', "_{8}"),
            java.util.Map.entry((int) '₉', "_{9}"), java.util.Map.entry((int) '¹', "^{1}"),
            java.util.Map.entry((int) '⁴', "^{4}"), java.util.Map.entry((int) '⁵', "^{5}"),
            java.util.Map.entry((int) '⁶', "^{6}"), java.util.Map.entry((int) '⁷', "^{7}"),
            java.util.Map.entry((int) '⁸', "^{8}"), java.util.Map.entry((int) '⁹', "^{9}"),
            java.util.Map.entry((int) '⁽', "^{(}"), java.util.Map.entry((int) '⁾', "^{)}"),
            java.util.Map.entry((int) 'µ', "\\mu "), java.util.Map.entry((int) '½', "\\tfrac{1}{2}"),
            java.util.Map.entry((int) '∎', "\\blacksquare "), java.util.Map.entry((int) '∖', "\\setminus "),
            java.util.Map.entry((int) '∏', "\\prod "), java.util.Map.entry((int) 'Π', "\\Pi "));

    public static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\textbackslash{}");
                case '_', '#', '%', '&', '$', '{', '}' -> out.append('\\').append((char) c);
                case '~' -> out.append("\\textasciitilde{}");
                case '^' -> out.append("\\textasciicircum{}");
                case '<' -> out.append("\\textless{}");
                case '>' -> out.append("\\textgreater{}");
                case '|' -> out.append("\\textbar{}");
                // "--" would set an en dash: an option such as --optimizers keeps its two hyphens.
                case '-' -> out.append(out.length() > 0 && out.charAt(out.length() - 1) == '-' ? "{}-" : "-");
                case '–' -> out.append("\\textendash{}");
                case '—' -> out.append("\\textemdash{}");
                case '✗' -> out.append("\\ensuremath{\\times}");
                // A combining circumflex (Adam's m̂) hats the letter before it.
                case 0x0302 -> {
                    char last = out.length() > 0 ? out.charAt(out.length() - 1) : ' ';
                    if (Character.isLetter(last)) {
                        out.setLength(out.length() - 1);
                        out.append("\\ensuremath{\\hat{").append(last).append("}}");
                    }
                }
                default -> {
                    String math = UNICODE_MATH.get(c);
                    if (math != null) out.append("\\ensuremath{").append(math).append('}');
                    else if (c < 32 || c == 127) out.append(' ');
                    else if (c < 128) out.appendCodePoint(c);
                    else out.append(String.format("[U+%04X]", c));
                }
            }
        });
        return out.toString();
    }

    /** The function's operator: \tanh, \sigma, \operatorname{relu}, or a generic f as a name. */
    public String function(String function) {
        Optional<Builtin> builtin = Builtin.byName(function);
        if (builtin.isPresent()) {
            return builtin.get().latexOperator().orElse("\\operatorname{" + escape(function) + "}");
        }
        if (function.length() == 1 && Character.isLetter(function.charAt(0))) return function;
        if (GREEK.contains(function)) return "\\" + function;
        return "\\operatorname{" + escape(function) + "}";
    }

    // ---------------------------------------------------------------- expressions

    private void write(Expr e, StringBuilder out) {
        String given = verbatim.isEmpty() ? null : verbatim.get(e);
        if (given != null) {
            out.append(given);
        } else if (e instanceof Expr.Num n) {
            writeNumber(n.value(), out);
        } else if (e instanceof Expr.Ref r) {
            out.append(name(r.name()));
        } else if (e instanceof Expr.Neg n) {
            out.append('-');
            Precedence inner = Precedence.of(n.operand());
            bracketed(n.operand(), inner == Precedence.SUM || inner == Precedence.NEGATION, out);
        } else if (e instanceof Expr.Sum s) {
            writeSum(s.terms(), out);
        } else if (e instanceof Expr.Product p) {
            writeProduct(p.factors(), out);
        } else if (e instanceof Expr.Quotient q && breakable && tooWideForFraction(q)) {
            // A fraction cannot break across lines: a wide one is written (a) / (b), which can.
            bracketed(q.numerator(), !(q.numerator() instanceof Expr.Ref), out);
            out.append(" / ");
            bracketed(q.denominator(), !(q.denominator() instanceof Expr.Ref), out);
        } else if (e instanceof Expr.Quotient q) {
            // \frac groups both parts itself; its braces also keep break marks out of it.
            out.append("\\frac{");
            writeUnbroken(q.numerator(), out);
            out.append("}{");
            writeUnbroken(q.denominator(), out);
            out.append('}');
        } else if (e instanceof Expr.Power p) {
            writePower(p, out);
        } else if (e instanceof Expr.Call c) {
            out.append(function(c.function()));
            writeArgs(c.args(), out);
        } else if (e instanceof Expr.DerivativeCall d) {
            out.append(function(d.function())).append("'".repeat(d.order()));
            writeArgs(List.of(d.arg()), out);
        }
    }

    private void writeNumber(Rational value, StringBuilder out) {
        if (value.signum() < 0) {
            out.append('-');
            value = value.negate();
        }
        String decimal = NumberText.decimal(value);
        if (value.isInteger()) out.append(value.numerator());
        else if (decimal != null) out.append(decimal);
        else out.append("\\frac{").append(value.numerator()).append("}{").append(value.denominator()).append('}');
    }

    private void writeSum(List<Expr> terms, StringBuilder out) {
        for (int i = 0; i < terms.size(); i++) {
            Expr term = terms.get(i);
            Expr positive = i > 0 ? ExprPrinter.negatedOperand(term) : null;
            if (i > 0) {
                out.append(' ');
                if (breakable) out.append(BREAK);
            }
            if (positive != null) {
                out.append("- ");
                Precedence p = Precedence.of(positive);
                bracketed(positive, p == Precedence.SUM || p == Precedence.NEGATION, out);
            } else {
                if (i > 0) out.append("+ ");
                bracketed(term, Precedence.SUM.needsBrackets(term) || Precedence.of(term) == Precedence.SUM, out);
            }
        }
    }


    /**
     * Juxtaposition, with \cdot only where two factors would run together into a different
     * reading: before a number (2 \cdot 3, w_{10} \cdot 0, a \cdot (-2)) or a factor that
     * starts with a digit (2 \cdot 3^{x}), and next to a name of several letters, whose
     * italics would merge with its neighbour (\mathit{weight\_a} \cdot \mathit{x\_in}).
     */
    private void writeProduct(List<Expr> factors, StringBuilder out) {
        String previous = null;
        for (int i = 0; i < factors.size(); i++) {
            Expr factor = factors.get(i);
            boolean bracket = (i > 0 && Precedence.of(factor) == Precedence.NEGATION)
                    || Precedence.PRODUCT.needsBrackets(factor);
            StringBuilder part = new StringBuilder();
            bracketed(factor, bracket, part);
            String text = part.toString();
            if (previous != null) {
                boolean dot = factor instanceof Expr.Num || Character.isDigit(text.charAt(0))
                        || text.startsWith("\\mathit") || ENDS_WITH_WORD.matcher(previous).find();
                out.append(dot ? " \\cdot " : " ");
            }
            out.append(text);
            previous = text;
        }
    }

    /** A factor whose last symbol is a name of several letters, with any sub- or superscripts after it. */
    private static final Pattern ENDS_WITH_WORD =
            Pattern.compile("\\\\mathit\\{(?:[^{}]|\\\\[{}])*}(?:[_^](?:\\{[^{}]*}|[^{}\\s]))*'*$");

    private void writePower(Expr.Power p, StringBuilder out) {
        boolean positiveInteger = p.exponent() instanceof Expr.Num n && n.value().isInteger() && n.value().signum() > 0;
        // \tanh^{2}(z), the way the textbooks write powers of named functions.
        if (positiveInteger && p.base() instanceof Expr.Call c
                && Builtin.byName(c.function()).flatMap(Builtin::latexOperator).isPresent()) {
            out.append(function(c.function())).append("^{").append(((Expr.Num) p.exponent()).value()).append('}');
            writeArgs(c.args(), out);
            return;
        }
        boolean bracket = Precedence.POWER.needsBracketsOnRight(p.base())
                || (p.base() instanceof Expr.Num n && !n.value().isInteger())
                || (p.base() instanceof Expr.Ref r && name(r.name()).startsWith("\\frac"));
        if (!bracket && p.base() instanceof Expr.Ref r && name(r.name()).contains("^")) {
            // W^{h1}_{1,1} squared: a group, or TeX sees a double superscript.
            out.append('{').append(name(r.name())).append('}');
        } else {
            bracketed(p.base(), bracket, out);
        }
        out.append("^{");
        if (p.exponent() instanceof Expr.Num n && !n.value().isInteger()) {
            // x^{1/2}: a slash reads better than a tiny \frac in a superscript.
            Rational v = n.value();
            if (v.signum() < 0) {
                out.append('-');
                v = v.negate();
            }
            out.append(v.numerator()).append('/').append(v.denominator());
        } else {
            writeUnbroken(p.exponent(), out);
        }
        out.append('}');
    }

    private void writeArgs(List<Expr> args, StringBuilder out) {
        wrap(printer -> {
            StringBuilder inner = new StringBuilder();
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) inner.append(", ");
                printer.write(args.get(i), inner);
            }
            return inner;
        }, out);
    }

    private boolean tooWideForFraction(Expr.Quotient q) {
        StringBuilder numerator = new StringBuilder();
        StringBuilder denominator = new StringBuilder();
        unbroken().write(q.numerator(), numerator);
        unbroken().write(q.denominator(), denominator);
        return Math.max(LatexLines.width(numerator.toString()), LatexLines.width(denominator.toString())) > UNBROKEN_BRACKET_EM;
    }

    private void bracketed(Expr e, boolean bracket, StringBuilder out) {
        if (!bracket) {
            write(e, out);
            return;
        }
        wrap(printer -> {
            StringBuilder inner = new StringBuilder();
            printer.write(e, inner);
            return inner;
        }, out);
    }

    /** Brackets wider than this may break inside like a top-level sum; narrower ones only as a last resort. */
    private static final double UNBROKEN_BRACKET_EM = LatexLines.LINE_EM * 2 / 3;

    /**
     * Brackets around what {@code inner} writes. A line breaks inside brackets (a function's
     * arguments, a bracketed sum) only when they are too wide for a line anyway, or as a last
     * resort: tanh(a + b) is not cut between a and b while there is another place to break.
     * Brackets grow around a fraction, except where they might have to span lines.
     */
    private void wrap(java.util.function.Function<LatexExprPrinter, CharSequence> inner, StringBuilder out) {
        String text = inner.apply(this).toString();
        if (breakable) text = deeper(text, LatexLines.width(text) <= UNBROKEN_BRACKET_EM);
        boolean grow = LatexLines.unmarked(text).length() == text.length()
                && (text.contains("\\frac") || text.contains("\\sum"));
        out.append(grow ? "\\left(" : "(").append(text).append(grow ? "\\right)" : ")");
    }

    /**
     * Every last-resort mark one bracket deeper, so the outer ones are used first; the
     * bracket's own break marks too unless it is too wide for a line.
     */
    private static String deeper(String text, boolean ownMarksToo) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == BREAK) c = ownMarksToo ? LAST_RESORT_BREAK : BREAK;
            else if (c >= LAST_RESORT_BREAK && c < DEEPEST_BREAK) c++;
            out.append(c);
        }
        return out.toString();
    }

    private LatexExprPrinter unbroken() {
        return new LatexExprPrinter(denseLayers, false, verbatim);
    }

    /** Inside braces a line cannot break, so no marks there. */
    private void writeUnbroken(Expr e, StringBuilder out) {
        if (!breakable) {
            write(e, out);
            return;
        }
        unbroken().write(e, out);
    }
}
