package dev.netsym.render;

import dev.netsym.model.Layer;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes the classes of a big network by dense layer and pattern, e.g.
 * "W_h[j,i] = c(i): one value per input i (784 values)", instead of listing 235,000 names.
 */
final class LayerPatterns {
    private static final int SHOWN_GROUPS = 6;

    private LayerPatterns() {}

    static Map<String, String> describe(Proof proof) {
        List<ParameterClass> classes = proof.classes();
        List<Layer> layers = proof.network().layers();
        // Each layer's weights and biases by position, read off the members' names in one pass
        // (a map from 2M names to classes cost more than the rest of the summary).
        Map<String, Integer> layerByTensor = new HashMap<>();
        int[][][] weights = new int[layers.size()][][];
        int[][][] biases = new int[layers.size()][][];
        for (int k = 0; k < layers.size(); k++) {
            Layer l = layers.get(k);
            layerByTensor.put("W_" + l.name(), k);
            weights[k] = filled(l.size(), l.sourceSize());
            if (l.bias()) {
                layerByTensor.put("b_" + l.name(), k);
                biases[k] = filled(l.size(), 1);
            }
        }
        boolean[] frozen = new boolean[classes.size()];
        // Parameters outside dense layers (a network written out unit by unit): a few classes
        // with their sizes, not hundreds of thousands of names on one line.
        List<String> others = new ArrayList<>();
        int groups = 0;
        for (int c = 0; c < classes.size(); c++) {
            frozen[c] = classes.get(c).frozen();
            List<String> rest = new ArrayList<>();
            for (String m : classes.get(c).members()) {
                if (!placed(m, c, layers, layerByTensor, weights, biases)) rest.add(m);
            }
            if (rest.size() < 2) continue;
            if (groups++ < SHOWN_GROUPS) others.add(ProofTextRenderer.shortBraces(rest));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < layers.size(); k++) {
            Layer l = layers.get(k);
            out.put("W_" + l.name() + "[j,i] (" + l.size() * l.sourceSize() + " weights)",
                    pattern(weights[k], frozen, "unit j", "input i"));
            if (l.bias()) out.put("b_" + l.name() + "[j] (" + l.size() + " biases)", pattern(biases[k], frozen, "unit j", ""));
        }
        if (groups > SHOWN_GROUPS) others.add("and " + (groups - SHOWN_GROUPS) + " more classes (--full lists them)");
        if (!others.isEmpty()) out.put(out.isEmpty() ? "classes" : "other parameters", "\n      " + String.join("\n      ", others));
        return out;
    }

    private static int[][] filled(int rows, int cols) {
        int[][] grid = new int[rows][cols];
        for (int[] row : grid) Arrays.fill(row, -1);
        return grid;
    }

    /**
     * Puts class {@code c} at the member's place when it is a dense layer's weight W_h[j,i] or
     * bias b_h[j] (indices written as {@link Layer} writes them, within the layer's size).
     */
    private static boolean placed(String member, int c, List<Layer> layers, Map<String, Integer> layerByTensor,
                                  int[][][] weights, int[][][] biases) {
        int bracket = member.indexOf('[');
        if (bracket <= 0 || member.charAt(member.length() - 1) != ']') return false;
        Integer k = layerByTensor.get(member.substring(0, bracket));
        if (k == null) return false;
        Layer l = layers.get(k);
        boolean weight = member.charAt(0) == 'W';
        int comma = member.indexOf(',', bracket);
        int j = index(member, bracket + 1, weight ? comma : member.length() - 1, l.size());
        if (j < 0) return false;
        if (!weight) {
            biases[k][j - 1][0] = c;
            return true;
        }
        int i = index(member, comma + 1, member.length() - 1, l.sourceSize());
        if (i < 0) return false;
        weights[k][j - 1][i - 1] = c;
        return true;
    }

    /** The number written in [from, to): 1 to {@code most}, decimal without leading zeros; -1 otherwise. */
    private static int index(String s, int from, int to, int most) {
        if (from <= 0 || to - from < 1 || to - from > 9 || s.charAt(from) == '0') return -1;
        int value = 0;
        for (int p = from; p < to; p++) {
            char ch = s.charAt(p);
            if (ch < '0' || ch > '9') return -1;
            value = 10 * value + (ch - '0');
        }
        return value <= most ? value : -1;
    }

    private static String pattern(int[][] grid, boolean[] frozen, String rowName, String colName) {
        int rows = grid.length;
        int cols = grid[0].length;
        // Class c is bit c + 1 (bit 0: parameters in no class).
        BitSet all = new BitSet();
        BitSet colClasses = new BitSet();
        BitSet rowClasses = new BitSet();
        boolean byCol = true;
        boolean byRow = true;
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < cols; i++) {
                all.set(grid[j][i] + 1);
                if (grid[j][i] != grid[0][i]) byCol = false;
                if (grid[j][i] != grid[j][0]) byRow = false;
            }
        }
        for (int i = 0; i < cols; i++) colClasses.set(grid[0][i] + 1);
        for (int j = 0; j < rows; j++) rowClasses.set(grid[j][0] + 1);
        boolean allFrozen = all.stream().allMatch(bit -> bit > 0 && frozen[bit - 1]);
        String suffix = allFrozen ? " (frozen: never move)" : "";
        int distinct = all.cardinality();
        if (distinct == 1) return "all equal, one value" + suffix;
        if (distinct == rows * cols) return "all different (" + distinct + " values)" + suffix;
        if (byCol && colClasses.cardinality() == cols) return "one value per " + colName + " (" + cols + " values), the same for every " + rowName + suffix;
        if (byRow && rowClasses.cardinality() == rows) return "one value per " + rowName + " (" + rows + " values), the same for every " + colName + suffix;
        return distinct + " classes" + suffix;
    }
}
