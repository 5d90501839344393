package dev.netsym.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A tensor statement's right-hand side as the spec wrote it, on whole tensors: the view a
 * person reads backpropagation in (W x, f(z), sum(…)), kept beside the scalar units the
 * statement lowers to. Every node knows its shape; a scalar has shape []. What has no
 * matrix-calculus rule of its own here (softmax, attention, norms, convolutions, reshapes) is an
 * {@link Opaque} operation under its spec name.
 */
public sealed interface TensorExpr {

    /** The shape of the value; [] for a single number. */
    int[] shape();

    default int rank() {
        return shape().length;
    }

    /** The direct subexpressions. */
    default List<TensorExpr> children() {
        if (this instanceof Add a) return a.terms();
        if (this instanceof Negate n) return List.of(n.operand());
        if (this instanceof Multiply m) return m.factors();
        if (this instanceof Divide d) return List.of(d.numerator(), d.denominator());
        if (this instanceof Power p) return List.of(p.base(), p.exponent());
        if (this instanceof MatMul m) return List.of(m.left(), m.right());
        if (this instanceof Transpose t) return List.of(t.operand());
        if (this instanceof Apply a) return a.args();
        if (this instanceof Reduce r) return List.of(r.operand());
        if (this instanceof Opaque o) return o.args();
        return List.of();
    }

    /** The same expression with every tensor's name mapped (an element keeps its index). */
    default TensorExpr renamed(UnaryOperator<String> rename) {
        if (this instanceof Name n) return new Name(rename.apply(n.name()), n.shape());
        if (this instanceof Element e) return new Element(rename.apply(e.tensor()), e.tensorShape(), e.index());
        List<TensorExpr> c = new ArrayList<>();
        for (TensorExpr child : children()) c.add(child.renamed(rename));
        if (this instanceof Add a) return new Add(c, a.shape());
        if (this instanceof Negate) return new Negate(c.get(0));
        if (this instanceof Multiply m) return new Multiply(c, m.shape());
        if (this instanceof Divide d) return new Divide(c.get(0), c.get(1), d.shape());
        if (this instanceof Power p) return new Power(c.get(0), c.get(1), p.shape());
        if (this instanceof MatMul m) return new MatMul(c.get(0), c.get(1), m.shape());
        if (this instanceof Transpose) return new Transpose(c.get(0));
        if (this instanceof Apply a) return new Apply(a.function(), c, a.shape());
        if (this instanceof Reduce r) return new Reduce(r.mean(), c.get(0), r.axis());
        if (this instanceof Opaque o) return new Opaque(o.operation(), c, o.sizes(), o.shape());
        return this; // a constant
    }

    /** Whether some element of a tensor is written on its own (W[2,3]). */
    default boolean hasElements() {
        if (this instanceof Element) return true;
        for (TensorExpr child : children()) if (child.hasElements()) return true;
        return false;
    }

    /** An input, target, parameter or unit, scalar or tensor, by its name. */
    record Name(String name, int[] shape) implements TensorExpr {
        public Name {
            shape = shape.clone();
        }
    }

    /** One element of a named tensor, as written (W[2,3]); the index counts from 1. */
    record Element(String tensor, int[] tensorShape, int[] index) implements TensorExpr {
        public Element {
            tensorShape = tensorShape.clone();
            index = index.clone();
        }

        @Override
        public int[] shape() {
            return new int[0];
        }

        /** The element's own name, as the scalar units call it. */
        public String elementName() {
            int flat = 0;
            for (int d = 0; d < index.length; d++) flat = flat * tensorShape[d] + index[d] - 1;
            return Tensor.elementName(tensor, tensorShape, flat);
        }
    }

    record Constant(Rational value) implements TensorExpr {
        @Override
        public int[] shape() {
            return new int[0];
        }
    }

    /** Element-wise sum with broadcasting; a subtraction is a term under {@link Negate}. */
    record Add(List<TensorExpr> terms, int[] shape) implements TensorExpr {
        public Add {
            terms = List.copyOf(terms);
            shape = shape.clone();
        }
    }

    record Negate(TensorExpr operand) implements TensorExpr {
        @Override
        public int[] shape() {
            return operand.shape();
        }
    }

    /** Element-wise product with broadcasting (the spec's {@code *}). */
    record Multiply(List<TensorExpr> factors, int[] shape) implements TensorExpr {
        public Multiply {
            factors = List.copyOf(factors);
            shape = shape.clone();
        }
    }

    record Divide(TensorExpr numerator, TensorExpr denominator, int[] shape) implements TensorExpr {
        public Divide {
            shape = shape.clone();
        }
    }

    /** Element-wise power. */
    record Power(TensorExpr base, TensorExpr exponent, int[] shape) implements TensorExpr {
        public Power {
            shape = shape.clone();
        }
    }

    /** The matrix product {@code @}, with NumPy's shapes. */
    record MatMul(TensorExpr left, TensorExpr right, int[] shape) implements TensorExpr {
        public MatMul {
            shape = shape.clone();
        }
    }

    /** Rows and columns exchanged (of a matrix; a vector is its own transpose in the spec). */
    record Transpose(TensorExpr operand) implements TensorExpr {
        @Override
        public int[] shape() {
            int[] s = operand.shape();
            return s.length == 2 ? new int[] {s[1], s[0]} : s;
        }
    }

    /** A builtin or declared activation applied element by element (tanh, relu, max …). */
    record Apply(String function, List<TensorExpr> args, int[] shape) implements TensorExpr {
        public Apply {
            args = List.copyOf(args);
            shape = shape.clone();
        }
    }

    /** {@code sum} or {@code mean} over every element (axis null) or one axis (0-based). */
    record Reduce(boolean mean, TensorExpr operand, Integer axis) implements TensorExpr {
        @Override
        public int[] shape() {
            if (axis == null) return new int[0];
            int[] s = operand.shape();
            int[] out = new int[s.length - 1];
            for (int d = 0, o = 0; d < s.length; d++) if (d != axis) out[o++] = s[d];
            return out;
        }
    }

    /**
     * An operation shown by name only (softmax, attention, layer_norm, conv2d, reshape …): its
     * tensor arguments, and the whole numbers written after them (an axis, heads, a stride).
     */
    record Opaque(String operation, List<TensorExpr> args, List<Integer> sizes, int[] shape) implements TensorExpr {
        public Opaque {
            args = List.copyOf(args);
            sizes = List.copyOf(sizes);
            shape = shape.clone();
        }
    }

    // ---- shapes --------------------------------------------------------------------------

    /** NumPy's broadcast of element-wise operands (the spec has checked that they fit). */
    static int[] broadcast(List<TensorExpr> operands) {
        int rank = 0;
        for (TensorExpr e : operands) rank = Math.max(rank, e.rank());
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (TensorExpr e : operands) {
            int[] s = e.shape();
            for (int d = 0; d < s.length; d++) {
                int at = rank - s.length + d;
                out[at] = Math.max(out[at], s[d]);
            }
        }
        return out;
    }

    /** The shape of {@code a @ b}, as {@link Tensor#matmul} gives it. */
    static int[] matmulShape(int[] a, int[] b) {
        int[] batchA = Arrays.copyOfRange(a, 0, Math.max(a.length - 2, 0));
        int[] batchB = Arrays.copyOfRange(b, 0, Math.max(b.length - 2, 0));
        List<Integer> out = new ArrayList<>();
        int rank = Math.max(batchA.length, batchB.length);
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - batchA.length) >= 0 ? batchA[d - (rank - batchA.length)] : 1;
            int db = d - (rank - batchB.length) >= 0 ? batchB[d - (rank - batchB.length)] : 1;
            out.add(Math.max(da, db));
        }
        if (a.length >= 2) out.add(a[a.length - 2]);
        if (b.length >= 2) out.add(b[b.length - 1]);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static Add add(List<TensorExpr> terms) {
        return new Add(terms, broadcast(terms));
    }

    static Multiply multiply(List<TensorExpr> factors) {
        return new Multiply(factors, broadcast(factors));
    }

    static Divide divide(TensorExpr numerator, TensorExpr denominator) {
        return new Divide(numerator, denominator, broadcast(List.of(numerator, denominator)));
    }

    static Power power(TensorExpr base, TensorExpr exponent) {
        return new Power(base, exponent, broadcast(List.of(base, exponent)));
    }

    static MatMul matmul(TensorExpr left, TensorExpr right) {
        return new MatMul(left, right, matmulShape(left.shape(), right.shape()));
    }

    static Apply apply(String function, List<TensorExpr> args) {
        return new Apply(function, args, broadcast(args));
    }
}
