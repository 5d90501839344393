package dev.netsym.render;

import dev.netsym.model.Layer;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.util.ArrayList;
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
        // Class index by member; layer weights are removed as they are read, so what remains
        // are the parameters outside dense layers.
        Map<String, Integer> classOf = new HashMap<>(4 * proof.network().parameters().size() / 3 + 16);
        boolean[] frozen = new boolean[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            for (String m : classes.get(c).members()) classOf.put(m, c);
            frozen[c] = classes.get(c).frozen();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Layer l : proof.network().layers()) {
            int[][] grid = new int[l.size()][l.sourceSize()];
            for (int j = 1; j <= l.size(); j++) {
                for (int i = 1; i <= l.sourceSize(); i++) grid[j - 1][i - 1] = classIndex(classOf, l.weight(j, i));
            }
            out.put("W_" + l.name() + "[j,i] (" + l.size() * l.sourceSize() + " weights)",
                    pattern(grid, frozen, "unit j", "input i"));
            if (l.bias()) {
                int[][] biases = new int[l.size()][1];
                for (int j = 1; j <= l.size(); j++) biases[j - 1][0] = classIndex(classOf, l.bias(j));
                out.put("b_" + l.name() + "[j] (" + l.size() + " biases)", pattern(biases, frozen, "unit j", ""));
            }
        }
        // Parameters outside dense layers (a network written out unit by unit): a few classes
        // with their sizes, not hundreds of thousands of names on one line.
        List<String> others = new ArrayList<>();
        int groups = 0;
        for (ParameterClass c : classes) {
            List<String> rest = c.members().stream().filter(classOf::containsKey).toList();
            if (rest.size() < 2) continue;
            if (groups++ < SHOWN_GROUPS) others.add(ProofTextRenderer.shortBraces(rest));
        }
        if (groups > SHOWN_GROUPS) others.add("and " + (groups - SHOWN_GROUPS) + " more classes (--full lists them)");
        if (!others.isEmpty()) out.put(out.isEmpty() ? "classes" : "other parameters", "\n      " + String.join("\n      ", others));
        return out;
    }

    /** The parameter's class, taking it out of {@code classOf}; -1 for a name in no class. */
    private static int classIndex(Map<String, Integer> classOf, String parameter) {
        Integer c = classOf.remove(parameter);
        return c == null ? -1 : c;
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
