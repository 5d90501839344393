package dev.netsym.render;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain text kept to {@link #WIDTH} columns, for every command's output: prose broken between
 * words, lists between items, and expressions at their shallowest operator. Only a single word,
 * item piece or operand longer than a whole line is ever left longer.
 */
public final class TextLines {
    /** The width of every line netsym prints for a person. */
    public static final int WIDTH = 100;

    private TextLines() {}

    /** The words of {@code text}, the first line starting with {@code first}, the others with {@code rest}. */
    public static List<String> words(String first, String rest, String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) continue;
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(rest);
                empty = true;
            }
            if (!empty) line.append(' ');
            line.append(word);
            empty = false;
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * Items separated by {@code gap}, a line broken only between items; an item too long for a
     * line of its own is broken as an expression ({@link #expression}).
     */
    public static List<String> items(String first, String rest, List<String> items, String gap) {
        List<String> lines = new ArrayList<>();
        String indent = first;
        StringBuilder line = new StringBuilder(first);
        for (String item : items) {
            boolean empty = line.length() == indent.length();
            if (!empty && line.length() + gap.length() + item.length() > WIDTH) {
                lines.add(line.toString());
                indent = rest;
                line = new StringBuilder(rest);
                empty = true;
            }
            if (empty && indent.length() + item.length() > WIDTH) {
                List<String> broken = expression(indent, item, rest + "    ");
                lines.addAll(broken.subList(0, broken.size() - 1));
                line = new StringBuilder(broken.get(broken.size() - 1));
                indent = rest;
                continue;
            }
            if (!empty) line.append(gap);
            line.append(item);
        }
        if (line.length() > indent.length() || lines.isEmpty()) lines.add(line.toString());
        return lines;
    }

    /**
     * head + body, broken where the body's structure allows: before a + or −, a = or a spaced
     * ·, after a comma that ends an item, or before a product's ·. Of the ways to break it so
     * that every line fits, the one with the shallowest breaks wins (a break inside a function's
     * arguments counts as deeper than one inside plain brackets, and a product's · as a little
     * deeper than a sum's sign), then the one with the fewest lines, then the one with the most
     * even lines. Continuation lines start with {@code continuation}, two more spaces per open bracket.
     * When no way fits (an operand longer than a line), the longest fitting break is taken each time.
     */
    public static List<String> expression(String head, String body, String continuation) {
        List<String> lines = new ArrayList<>();
        if (head.length() + body.length() <= WIDTH) {
            lines.add(head + body);
            return lines;
        }
        List<Break> breaks = breaks(body);
        List<Break> chosen = fewestAndShallowest(head, body, continuation, breaks);
        if (chosen == null) chosen = greedy(head, body, continuation, breaks);
        String prefix = head;
        int start = 0;
        for (Break b : chosen) {
            lines.add(prefix + body.substring(start, b.end));
            start = b.next;
            prefix = continuation + "  ".repeat(b.brackets);
        }
        lines.add(prefix + body.substring(start));
        return lines;
    }

    /**
     * What a layout costs: each unit of a break's depth more than a line, each line more than
     * any line's empty columns squared (all lines but the last), which keeps lines even.
     */
    private static final long DEEPER = 100_000;
    private static final long LINE = 20_000;

    /** The breaks of the cheapest layout whose lines all fit, or null when there is none. */
    private static List<Break> fewestAndShallowest(String head, String body, String continuation, List<Break> breaks) {
        int n = breaks.size();
        // State k < n: a line starts after break k; state n: the first line, after the head.
        long[] cost = new long[n + 1];
        int[] previous = new int[n + 1];
        java.util.Arrays.fill(cost, Long.MAX_VALUE);
        cost[n] = 0;
        long best = Long.MAX_VALUE;
        int last = -1;
        for (int from = -1; from < n; from++) {
            int state = from < 0 ? n : from;
            if (cost[state] == Long.MAX_VALUE) continue;
            int start = from < 0 ? 0 : breaks.get(from).next;
            int room = WIDTH - (from < 0 ? head.length() : continuation.length() + 2 * breaks.get(from).brackets);
            if (body.length() - start <= room && cost[state] + LINE < best) {
                best = cost[state] + LINE;
                last = state;
            }
            for (int to = from + 1; to < n; to++) {
                Break b = breaks.get(to);
                int used = b.end - start;
                if (used > room) break;
                if (used <= 0) continue;
                long empty = room - used;
                long c = cost[state] + LINE + DEEPER * b.weight + empty * empty;
                if (c < cost[to]) {
                    cost[to] = c;
                    previous[to] = state;
                }
            }
        }
        if (last < 0) return null;
        List<Break> chosen = new ArrayList<>();
        for (int state = last; state != n; state = previous[state]) chosen.add(0, breaks.get(state));
        return chosen;
    }

    /** Line by line, the furthest break that fits; a piece with no break that fits stays whole. */
    private static List<Break> greedy(String head, String body, String continuation, List<Break> breaks) {
        List<Break> chosen = new ArrayList<>();
        String prefix = head;
        int start = 0;
        while (prefix.length() + body.length() - start > WIDTH) {
            Break next = null;
            for (Break b : breaks) {
                if (b.end > start && b.end - start <= WIDTH - prefix.length()) next = b;
            }
            if (next == null) {
                for (Break b : breaks) {
                    if (b.end > start) {
                        next = b;
                        break;
                    }
                }
            }
            if (next == null) break;
            chosen.add(next);
            start = next.next;
            prefix = continuation + "  ".repeat(next.brackets);
        }
        return chosen;
    }

    /** Prints the lines. */
    public static void print(PrintWriter out, List<String> lines) {
        lines.forEach(out::println);
    }

    /** Prints head + body broken as {@link #expression} does. */
    static void printExpression(PrintWriter out, String head, String body, String continuation) {
        print(out, expression(head, body, continuation));
    }

    /** Where a line may end ({@code end}, exclusive), where the next begins, and how deep that is. */
    private record Break(int end, int next, int weight, int brackets) {}

    /** How much deeper a function's brackets count than plain ones when choosing a break. */
    private static final int CALL_WEIGHT = 3;
    /** Weights are doubled so that a product's · can sit between two bracket depths. */
    private static final int DEPTH = 2;
    private static final int PRODUCT = 1;

    private static List<Break> breaks(String body) {
        List<Break> breaks = new ArrayList<>();
        int weight = 0;
        int brackets = 0;
        ArrayDeque<Integer> opened = new ArrayDeque<>();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(' || c == '{') {
                char before = i > 0 ? body.charAt(i - 1) : ' ';
                boolean call = c == '(' && (Character.isLetterOrDigit(before) || before == '′' || before == '\'');
                int w = call ? CALL_WEIGHT : 1;
                opened.push(w);
                weight += w;
                brackets++;
            } else if ((c == ')' || c == '}') && !opened.isEmpty()) {
                weight -= opened.pop();
                brackets--;
            } else if (c == ' ' && i > 0 && i + 2 < body.length() && body.charAt(i + 2) == ' '
                    && "+-−=·".indexOf(body.charAt(i + 1)) >= 0) {
                int extra = body.charAt(i + 1) == '·' ? PRODUCT : 0;
                breaks.add(new Break(i, i + 1, DEPTH * weight + extra, brackets));
            } else if (c == ',' && i + 1 < body.length() && body.charAt(i + 1) == ' ') {
                breaks.add(new Break(i + 1, i + 2, DEPTH * weight, brackets));
            } else if (c == '·' && i > 0 && body.charAt(i - 1) != ' ') {
                breaks.add(new Break(i, i, DEPTH * weight + PRODUCT, brackets));
            }
        }
        return breaks;
    }
}
