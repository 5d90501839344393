package dev.netsym.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits long display equations into align rows so they stay inside the page. TeX cannot
 * break a display by itself; the printer marks the places where a sum may break
 * ({@link LatexExprPrinter#BREAK}) and this class fills rows greedily up to a width
 * estimated from the LaTeX source.
 */
final class LatexLines {
    private LatexLines() {}

    /**
     * Width of the text block of the article class at 10pt (345pt) in em, less a margin for
     * the estimate's error. The pdflatex test checks that nothing overflows.
     */
    static final double LINE_EM = 30.0;

    /**
     * Rows of an align environment: "lhs &= first part", then "&\quad + next part". Break
     * marks are removed from the result.
     */
    static List<String> rows(String lhs, String rhs) {
        return rows(lhs, rhs, LINE_EM);
    }

    /** The same in a narrower column of {@code lineEm} (a display inside a list item). */
    static List<String> rows(String lhs, String rhs, double lineEm) {
        List<String> out = new ArrayList<>();
        double lhsWidth = width(lhs) + 1.5;
        if (lhsWidth > lineEm / 3) return rowsBelow(lhs, rhs, lineEm);
        double budget = lineEm - lhsWidth;
        List<String> pieces = pieces(rhs, budget - 1);
        StringBuilder row = new StringBuilder();
        double used = 0;
        boolean first = true;
        for (String piece : pieces) {
            double w = width(piece);
            if (row.length() > 0 && used + w > budget) {
                out.add((first ? (lhs + " &= ").stripLeading() : "&\\quad ") + row.toString().strip());
                first = false;
                row.setLength(0);
                used = 0;
                // Continuation rows start at the alignment point, one \quad further right.
                budget = lineEm - lhsWidth - 1;
            }
            row.append(piece);
            used += w;
        }
        out.add((first ? (lhs + " &= ").stripLeading() : "&\\quad ") + row.toString().strip());
        return out;
    }

    /**
     * A wide left-hand side on a row of its own, the value below it: "&lhs", then
     * "&\qquad = part", "&\qquad\quad + next part", every row aligned at the left margin.
     */
    private static List<String> rowsBelow(String lhs, String rhs, double lineEm) {
        List<String> out = new ArrayList<>();
        out.add("&" + lhs.strip());
        double budget = lineEm - 3;
        StringBuilder row = new StringBuilder();
        double used = 0;
        boolean first = true;
        for (String piece : pieces(rhs, budget - 1)) {
            double w = width(piece);
            if (row.length() > 0 && used + w > budget) {
                out.add((first ? "&\\qquad = " : "&\\qquad\\quad ") + row.toString().strip());
                first = false;
                row.setLength(0);
                used = 0;
                budget = lineEm - 4;
            }
            row.append(piece);
            used += w;
        }
        out.add((first ? "&\\qquad = " : "&\\qquad\\quad ") + row.toString().strip());
        return out;
    }

    /**
     * The expression cut at each break mark, and a piece wider than {@code widest} also at
     * its last-resort marks (marks dropped; each piece keeps its leading operator).
     */
    static List<String> pieces(String latex, double widest) {
        return pieces(latex, LatexExprPrinter.BREAK, widest).stream().map(LatexLines::unmarked).toList();
    }

    /** Cut at this depth's marks; a piece still too wide, at the next depth's too. */
    private static List<String> pieces(String latex, char mark, double widest) {
        List<String> pieces = new ArrayList<>();
        char next = mark == LatexExprPrinter.BREAK ? LatexExprPrinter.LAST_RESORT_BREAK : (char) (mark + 1);
        for (String piece : split(latex, mark)) {
            if (width(piece) > widest && next <= LatexExprPrinter.DEEPEST_BREAK) pieces.addAll(pieces(piece, next, widest));
            else pieces.add(piece);
        }
        return pieces;
    }

    private static List<String> split(String latex, char mark) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < latex.length(); i++) {
            if (latex.charAt(i) == mark) {
                pieces.add(latex.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(latex.substring(start));
        return pieces;
    }

    static String unmarked(String latex) {
        StringBuilder out = new StringBuilder(latex.length());
        for (int i = 0; i < latex.length(); i++) {
            if (!isMark(latex.charAt(i))) out.append(latex.charAt(i));
        }
        return out.toString();
    }

    private static boolean isMark(char c) {
        return c == LatexExprPrinter.BREAK || (c >= LatexExprPrinter.LAST_RESORT_BREAK && c <= LatexExprPrinter.DEEPEST_BREAK);
    }

    /**
     * A rough width in em of math-mode LaTeX: letters ~0.55em, operators with their spacing,
     * sub- and superscripts at 70%, a fraction as wide as its wider part. Good enough to
     * choose line breaks; erring wide keeps lines inside the page.
     */
    static double width(String latex) {
        return new Scanner(latex).group(false);
    }

    private static final class Scanner {
        private final String s;
        private int i;

        Scanner(String s) { this.s = s; }

        /** Width up to the end, or up to the closing brace of the current group. */
        double group(boolean inBraces) {
            double w = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '}') {
                    i++;
                    if (inBraces) return w;
                    continue;
                }
                if (c == '{') {
                    i++;
                    w += group(true);
                } else if (c == '_' || c == '^') {
                    i++;
                    w += 0.7 * argument();
                } else if (c == '\\') {
                    w += command();
                } else {
                    i++;
                    w += glyph(c);
                }
            }
            return w;
        }

        /** One argument: a brace group or a single character. */
        private double argument() {
            if (i >= s.length()) return 0;
            if (s.charAt(i) == '{') {
                i++;
                return group(true);
            }
            if (s.charAt(i) == '\\') return command();
            return glyph(s.charAt(i++));
        }

        private double command() {
            int start = ++i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) i++;
            String name = s.substring(start, i);
            if (name.isEmpty()) {
                // \{, \_, \, and the like: one character.
                if (i < s.length()) i++;
                return 0.5;
            }
            switch (name) {
                case "frac": {
                    double num = argument();
                    double den = argument();
                    return Math.max(num, den) * 0.8 + 0.3;
                }
                case "left": case "right": case "Big": case "big": case "Bigl": case "Bigr":
                    return 0.2;
                case "operatorname": case "mathit": case "text": case "mathrm": case "texttt":
                    return argument() * 1.05;
                case "cdot": return 0.8;
                case "quad": return 1.0;
                case "qquad": return 2.0;
                case "dots": case "ldots": case "cdots": return 1.2;
                case "tanh": return 2.0;
                case "exp": case "log": return 1.6;
                case "textbackslash": case "textasciitilde": case "textasciicircum": case "textless":
                case "textgreater": case "textbar":
                    return 0.5;
                default:
                    return 0.65;
            }
        }

        private static double glyph(char c) {
            if (c == ' ' || c == '&' || isMark(c)) return 0;
            if (c == '+' || c == '-' || c == '=') return 1.35;
            if (c == '(' || c == ')' || c == ',' || c == '\'' || c == '.') return 0.4;
            if (Character.isDigit(c)) return 0.5;
            if (c == 'm' || c == 'w' || c == 'W' || c == 'M') return 0.85;
            return 0.55;
        }
    }
}
