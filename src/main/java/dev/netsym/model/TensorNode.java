package dev.netsym.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How a tensor was made, as an operation on whole tensors: the graph a tensor engine runs with
 * one loop per operation instead of one expression per element. Every {@link Tensor} carries
 * one, and its elements are what the node computes. A handful of kinds covers every tensor
 * operation: index maps (transpose, slices, lookups, reshapes, broadcasting, windows) are
 * {@link Gather}s; element-wise arithmetic is a {@link Map} of a scalar formula; reductions,
 * pools and softmax normalisers are {@link Rows} of one; products and convolutions are
 * {@link MatMul}s. What was written element by element stays {@link Elements}.
 *
 * <p>A formula is a scalar expression over placeholders {@code #0}, {@code #1} …, its operands
 * in order.
 */
public sealed interface TensorNode {

    /** The shape of the value; [] for a single number. */
    int[] shape();

    /** The name of operand {@code i} in a formula. */
    static String placeholder(int i) {
        return "#" + i;
    }

    /** Operand {@code i} of a formula, as a reference (one object per index, shared by every formula). */
    static Expr.Ref operand(int i) {
        return OperandReferences.get(i);
    }

    /** A formula: {@code f} applied to {@code count} operands. */
    static Expr formula(int count, Function<List<Expr>, Expr> f) {
        List<Expr> operands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) operands.add(operand(i));
        return f.apply(operands);
    }

    /**
     * A parameter, input, target or unit by name: its elements are the scalars
     * {@link Tensor#elementName} names with indices from {@code first} (1 in a spec, 0 in a model
     * from PyTorch); a single number is named by the name itself.
     */
    record Named(String name, int[] shape, int first) implements TensorNode {}

    /** Elements written one by one: each a scalar expression over named scalars. */
    record Elements(int[] shape, Expr[] elements) implements TensorNode {}

    /**
     * Element i is element {@code index[i]} of source {@code source[i]}, or 0 where the index is
     * −1 (padding). {@code source} null: every element comes from source 0; {@code index} null:
     * element i is element i (a reshape).
     */
    record Gather(int[] shape, List<TensorNode> sources, int[] source, int[] index) implements TensorNode {}

    /** Element i is the formula of element i of each operand; the operands have this node's size. */
    record Map(int[] shape, Expr formula, List<TensorNode> operands) implements TensorNode {}

    /** Element i is the formula of elements i·width … i·width + width − 1 of the source. */
    record Rows(int[] shape, TensorNode source, int width, Expr formula) implements TensorNode {}

    /**
     * Matrix products, one per batch: left matrix b (m × k, row-major) starts at element
     * {@code leftOffset[b]}, right matrix b (k × n) at {@code rightOffset[b]}, and the product
     * fills elements b·m·n … of this node.
     */
    record MatMul(int[] shape, TensorNode left, TensorNode right, int m, int k, int n, int[] leftOffset,
                  int[] rightOffset) implements TensorNode {}
}

/** The references {@link TensorNode#operand} hands out, grown on demand and never changed. */
final class OperandReferences {
    private static volatile Expr.Ref[] known = new Expr.Ref[0];

    private OperandReferences() {}

    static Expr.Ref get(int i) {
        Expr.Ref[] refs = known;
        if (i < refs.length) return refs[i];
        synchronized (OperandReferences.class) {
            refs = known;
            if (i >= refs.length) {
                Expr.Ref[] grown = java.util.Arrays.copyOf(refs, Math.max(i + 1, 2 * refs.length));
                for (int j = refs.length; j < grown.length; j++) grown[j] = new Expr.Ref(TensorNode.placeholder(j));
                known = refs = grown;
            }
            return refs[i];
        }
    }
}
