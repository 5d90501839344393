package dev.netsym.render;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Long expressions in plain text, broken before a + or − so each line fits; shared by the text renderers. */
final class TextLines {
    private TextLines() {}

    /**
     * Prints head + body, breaking before a + or − so each line fits in {@code width}: the
     * shallowest break that still fills at least half the line wins, else the last break that
     * fits. A break inside a function's arguments counts as deeper than one inside plain
     * brackets, so f(a + b) stays whole where it can. Continuation lines start with
     * {@code continuation}, two more spaces per bracket. A piece with no break point at all
     * stays whole.
     */
    static void breakAtSigns(PrintWriter out, String head, String body, String continuation, int width) {
        breakAtSigns(out, head, body, continuation, width, 0);
    }

    /** As above, but a line at most {@code slack} columns too long is left whole: a break there reads worse. */
    static void breakAtSigns(PrintWriter out, String head, String body, String continuation, int width, int slack) {
        if (head.length() + body.length() <= width + slack) {
            out.println(head + body);
            return;
        }
        List<int[]> breaks = new ArrayList<>(); // {position of the space before the sign, weight, brackets}
        int weight = 0;
        int brackets = 0;
        java.util.ArrayDeque<Integer> opened = new java.util.ArrayDeque<>();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(') {
                boolean call = i > 0 && (Character.isLetterOrDigit(body.charAt(i - 1)) || body.charAt(i - 1) == '′'
                        || body.charAt(i - 1) == '\'');
                int w = call ? CALL_WEIGHT : 1;
                opened.push(w);
                weight += w;
                brackets++;
            } else if (c == ')' && !opened.isEmpty()) {
                weight -= opened.pop();
                brackets--;
            } else if (c == ' ' && i > 0 && i + 2 < body.length() && body.charAt(i + 2) == ' '
                    && "+-−".indexOf(body.charAt(i + 1)) >= 0) {
                breaks.add(new int[] {i, weight, brackets});
            }
        }
        String prefix = head;
        int start = 0;
        while (prefix.length() + body.length() - start > width) {
            int room = width - prefix.length();
            int[] best = null;
            for (int[] candidate : breaks) {
                int used = candidate[0] - start;
                if (candidate[0] <= start || used > room) continue;
                boolean fillsHalf = used >= room / 2;
                if (best == null || (fillsHalf && candidate[1] <= best[1]) || (!fillsHalf && best[0] - start < room / 2)) {
                    best = candidate;
                }
            }
            if (best == null) break;
            out.println(prefix + body.substring(start, best[0]));
            start = best[0] + 1;
            prefix = continuation + "  ".repeat(best[2]);
        }
        out.println(prefix + body.substring(start));
    }

    /** How much deeper a function's brackets count than plain ones when choosing a break. */
    private static final int CALL_WEIGHT = 3;
}
