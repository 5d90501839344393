package dev.netsym.render;

/**
 * Keeps the LaTeX source readable in an editor and a diff: lines longer than the width are
 * broken at spaces, where TeX reads a line end as the space it replaces (inside a paragraph,
 * in math, inside \text, between the parts of a TikZ path). Never after a backslash (the
 * control space "\ "), never in a comment. TeX reads the document exactly as before.
 */
final class LatexSource {
    private LatexSource() {}

    static final int WIDTH = 100;

    static String wrapped(String document) {
        StringBuilder out = new StringBuilder(document.length() + document.length() / 50);
        for (String line : document.split("\n", -1)) {
            if (line.startsWith("%") || line.length() <= WIDTH) out.append(line);
            else wrap(line, out);
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static void wrap(String line, StringBuilder out) {
        int start = 0;
        while (line.length() - start > WIDTH) {
            int cut = -1;
            for (int i = start + WIDTH; i > start; i--) {
                if (breakable(line, i)) {
                    cut = i;
                    break;
                }
            }
            if (cut < 0) {
                // One long word: break at the first space after it.
                for (int i = start + WIDTH + 1; i < line.length() && cut < 0; i++) if (breakable(line, i)) cut = i;
                if (cut < 0) break;
            }
            out.append(line, start, cut).append('\n');
            start = cut + 1;
        }
        out.append(line, start, line.length());
    }

    /** A space that a line end can replace: not a control space, not leading, not doubled. */
    private static boolean breakable(String line, int i) {
        return line.charAt(i) == ' ' && i > 0 && line.charAt(i - 1) != '\\' && line.charAt(i - 1) != ' '
                && i + 1 < line.length() && line.charAt(i + 1) != ' ';
    }
}
