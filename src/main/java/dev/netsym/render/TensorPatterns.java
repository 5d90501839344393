package dev.netsym.render;

import dev.netsym.model.Layer;
import dev.netsym.model.NaturalOrder;
import dev.netsym.model.Parameter;
import dev.netsym.model.Tensor;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result said tensor by tensor, in the words of the question that was asked: "Wq never
 * moves", "E2 stays equal to E1 element by element", "the 2 slices of K1 along axis 1 stay
 * identical". A tensor is every family of parameters named NAME[i,j,…] that fills its shape;
 * dense layers have their own summary.
 */
final class TensorPatterns {

    /** One tensor's summary. */
    record Summary(String name, int[] shape, int elements, int values, boolean frozen, String initialValue,
                   String copyOf, List<Integer> equalAlongAxes, String sentence) {
        /** Whether every element moves and takes a value of its own: nothing to say about this tensor. */
        boolean everyElementFree() {
            return values == elements && copyOf == null;
        }
    }

    private TensorPatterns() {}

    static List<Summary> describe(Proof proof) {
        List<ParameterClass> classes = proof.classes();
        Set<String> layerWeights = new HashSet<>();
        for (Layer l : proof.network().layers()) {
            layerWeights.add("W_" + l.name());
            layerWeights.add("b_" + l.name());
        }
        Map<String, List<int[]>> indicesByTensor = new LinkedHashMap<>();
        for (Parameter p : proof.network().parameters()) {
            String name = p.name();
            int bracket = name.indexOf('[');
            if (bracket <= 0 || !name.endsWith("]")) continue;
            String base = name.substring(0, bracket);
            if (layerWeights.contains(base)) continue;
            int[] index = parseIndex(name.substring(bracket + 1, name.length() - 1));
            if (index != null) indicesByTensor.computeIfAbsent(base, k -> new ArrayList<>()).add(index);
        }
        if (indicesByTensor.isEmpty()) return List.of();
        // Classes of the tensors' elements only: a big network of dense layers has millions of other names.
        Map<String, Integer> classOf = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            for (String m : classes.get(c).members()) {
                int bracket = m.indexOf('[');
                if (bracket > 0 && indicesByTensor.containsKey(m.substring(0, bracket))) classOf.put(m, c);
            }
        }
        List<String> names = new ArrayList<>(indicesByTensor.keySet());
        names.sort(NaturalOrder.INSTANCE);
        Map<String, int[]> classGrid = new LinkedHashMap<>();
        Map<String, int[]> shapes = new HashMap<>();
        for (String name : names) {
            List<int[]> indices = indicesByTensor.get(name);
            int first = firstIndex(indices);
            int[] shape = shapeOf(indices, first);
            if (shape == null || indices.size() < 2) continue;
            int[] grid = new int[product(shape)];
            for (int flat = 0; flat < grid.length; flat++) {
                Integer c = classOf.get(Tensor.elementName(name, shape, flat, first));
                grid[flat] = c == null ? -1 - flat : c;
            }
            classGrid.put(name, grid);
            shapes.put(name, shape);
        }
        List<Summary> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (var e : classGrid.entrySet()) {
            String name = e.getKey();
            int[] grid = e.getValue();
            int[] shape = shapes.get(name);
            boolean allFrozen = true;
            Set<String> starts = new HashSet<>();
            Set<Integer> distinct = new HashSet<>();
            for (int c : grid) {
                boolean frozen = c >= 0 && classes.get(c).frozen();
                allFrozen &= frozen;
                if (frozen) starts.add(classes.get(c).initialValue());
                else distinct.add(c);
            }
            String copyOf = null;
            for (String other : seen) {
                if (Arrays.equals(shapes.get(other), shape) && Arrays.equals(classGrid.get(other), grid) && !allFrozen) {
                    copyOf = other;
                    break;
                }
            }
            seen.add(name);
            List<Integer> along = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) if (shape[d] > 1 && constantAlong(grid, shape, d)) along.add(d + 1);
            String start = starts.size() == 1 ? starts.iterator().next() : null;
            String shown = name + " " + Tensor.describe(shape);
            String sentence;
            if (allFrozen) {
                sentence = shown + ": never moves (all " + grid.length + " elements stay at "
                        + (start == null ? "their initial values" : start) + ")";
            } else if (copyOf != null) {
                sentence = shown + ": stays equal to " + copyOf + ", element by element, at every step";
            } else if (distinct.size() == 1 && starts.isEmpty()) {
                sentence = shown + ": all " + grid.length + " elements stay equal (one trainable value)";
            } else {
                StringBuilder b = new StringBuilder(shown).append(": ");
                if (!along.isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    for (int axis : along) parts.add("its " + shape[axis - 1] + " slices along axis " + axis);
                    b.append(String.join(" and ", parts)).append(" stay identical; ");
                }
                int frozenCount = 0;
                for (int c : grid) if (c >= 0 && classes.get(c).frozen()) frozenCount++;
                if (frozenCount > 0) b.append(frozenCount).append(" of ").append(grid.length).append(" elements never move; ");
                b.append(distinct.size() == grid.length ? "every element takes a value of its own"
                        : distinct.size() + " trainable value" + (distinct.size() == 1 ? "" : "s") + " for " + grid.length + " elements");
                sentence = b.toString();
            }
            out.add(new Summary(name, shape, grid.length, distinct.size(), allFrozen, allFrozen ? start : null, copyOf,
                    List.copyOf(along), sentence));
        }
        return out;
    }

    /** Whether every element has the class of its neighbour at index 1 of axis d. */
    private static boolean constantAlong(int[] grid, int[] shape, int d) {
        int inner = 1;
        for (int k = d + 1; k < shape.length; k++) inner *= shape[k];
        for (int flat = 0; flat < grid.length; flat++) {
            int i = (flat / inner) % shape[d];
            if (grid[flat] != grid[flat - i * inner]) return false;
        }
        return true;
    }

    private static int[] parseIndex(String inside) {
        String[] parts = inside.split(",");
        int[] index = new int[parts.length];
        try {
            for (int d = 0; d < parts.length; d++) index[d] = Integer.parseInt(parts[d]);
        } catch (NumberFormatException e) {
            return null;
        }
        return index;
    }

    /** Where the indices count from: 1 in specs, 0 in models imported from PyTorch. */
    private static int firstIndex(List<int[]> indices) {
        for (int[] index : indices) for (int i : index) if (i == 0) return 0;
        return 1;
    }

    /** The shape the indices fill, or null when they do not fill one (gaps, mixed ranks). */
    private static int[] shapeOf(List<int[]> indices, int first) {
        int rank = indices.get(0).length;
        int[] shape = new int[rank];
        for (int[] index : indices) {
            if (index.length != rank) return null;
            for (int d = 0; d < rank; d++) {
                if (index[d] < first) return null;
                shape[d] = Math.max(shape[d], index[d] + 1 - first);
            }
        }
        return product(shape) == indices.size() ? shape : null;
    }

    private static int product(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }
}
