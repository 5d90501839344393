package dev.netsym.render;

import dev.netsym.model.Layer;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes the classes of a big network by dense layer and pattern, e.g.
 * "W_h[j,i] = c(i): one value per input i (784 values)", instead of listing 235,000 names.
 */
final class LayerPatterns {
    private static final int SHOWN_GROUPS = 6;

    private LayerPatterns() {}

    static Map<String, String> describe(Proof proof) {
        Map<String, Integer> classOf = new HashMap<>();
        Map<Integer, Boolean> frozen = new HashMap<>();
        List<ParameterClass> classes = proof.classes();
        for (int c = 0; c < classes.size(); c++) {
            for (String m : classes.get(c).members()) classOf.put(m, c);
            frozen.put(c, classes.get(c).frozen());
        }
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> covered = new HashSet<>();
        for (Layer l : proof.network().layers()) {
            int[][] grid = new int[l.size()][l.sourceSize()];
            for (int j = 1; j <= l.size(); j++) {
                for (int i = 1; i <= l.sourceSize(); i++) {
                    String w = l.weight(j, i);
                    grid[j - 1][i - 1] = classOf.getOrDefault(w, -1);
                    covered.add(w);
                }
            }
            out.put("W_" + l.name() + "[j,i] (" + l.size() * l.sourceSize() + " weights)",
                    pattern(grid, frozen, "unit j", "input i"));
            if (l.bias()) {
                int[][] biases = new int[l.size()][1];
                for (int j = 1; j <= l.size(); j++) {
                    biases[j - 1][0] = classOf.getOrDefault(l.bias(j), -1);
                    covered.add(l.bias(j));
                }
                out.put("b_" + l.name() + "[j] (" + l.size() + " biases)", pattern(biases, frozen, "unit j", ""));
            }
        }
        // Parameters outside dense layers (a network written out unit by unit): a few classes
        // with their sizes, not hundreds of thousands of names on one line.
        List<String> others = new ArrayList<>();
        int groups = 0;
        for (ParameterClass c : classes) {
            List<String> rest = c.members().stream().filter(m -> !covered.contains(m)).toList();
            if (rest.size() < 2) continue;
            if (groups++ < SHOWN_GROUPS) others.add(ProofTextRenderer.shortBraces(rest));
        }
        if (groups > SHOWN_GROUPS) others.add("and " + (groups - SHOWN_GROUPS) + " more classes (--full lists them)");
        if (!others.isEmpty()) out.put(out.isEmpty() ? "classes" : "other parameters", "\n      " + String.join("\n      ", others));
        return out;
    }

    private static String pattern(int[][] grid, Map<Integer, Boolean> frozen, String rowName, String colName) {
        int rows = grid.length;
        int cols = grid[0].length;
        Set<Integer> all = new HashSet<>();
        boolean byCol = true;
        boolean byRow = true;
        Set<Integer> colClasses = new HashSet<>();
        Set<Integer> rowClasses = new HashSet<>();
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < cols; i++) {
                all.add(grid[j][i]);
                if (grid[j][i] != grid[0][i]) byCol = false;
                if (grid[j][i] != grid[j][0]) byRow = false;
            }
        }
        for (int i = 0; i < cols; i++) colClasses.add(grid[0][i]);
        for (int j = 0; j < rows; j++) rowClasses.add(grid[j][0]);
        boolean allFrozen = all.stream().allMatch(c -> frozen.getOrDefault(c, false));
        String suffix = allFrozen ? " (frozen: never move)" : "";
        if (all.size() == 1) return "all equal, one value" + suffix;
        if (all.size() == rows * cols) return "all different (" + all.size() + " values)" + suffix;
        if (byCol && colClasses.size() == cols) return "one value per " + colName + " (" + cols + " values), the same for every " + rowName + suffix;
        if (byRow && rowClasses.size() == rows) return "one value per " + rowName + " (" + rows + " values), the same for every " + colName + suffix;
        return all.size() + " classes" + suffix;
    }
}
