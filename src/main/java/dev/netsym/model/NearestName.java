package dev.netsym.model;

import java.util.Collection;
import java.util.Optional;

/** The known word a mistyped one was most likely meant to be, for "did you mean ...?" hints. */
public final class NearestName {
    private NearestName() {}

    /**
     * The one known word within two edits (a letter added, dropped, changed, or two neighbours
     * swapped) of the typed one, and within a third of its length, so that short words are not
     * matched to anything; empty when there is none or no single best.
     */
    public static Optional<String> among(String typed, Collection<String> known) {
        int allowed = Math.min(2, Math.max(1, typed.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (String candidate : known) {
            if (candidate.equals(typed)) continue;
            int d = distance(typed, candidate);
            if (d > allowed) continue;
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
                tie = false;
            } else if (d == bestDistance) {
                tie = true;
            }
        }
        return tie ? Optional.empty() : Optional.ofNullable(best);
    }

    /** Edit distance with swaps of neighbouring letters (optimal string alignment). */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) return 3;
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
