package dev.netsym.render;

import dev.netsym.model.Rational;
import dev.netsym.model.TensorExpr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A backward quantity of the matrix form (δ_y, ∂L/∂W) as a person writes it: matrix products,
 * transposes, element-wise products with ⊙, f′(z), the Jacobians of operations shown by name,
 * and forward values of the spec ({@link Forward}). Vectors are columns: {@link Outer} is a bᵀ.
 * Every node knows its shape, so that a sum over broadcast axes can be written where it belongs.
 */
sealed interface MatrixExpr {

    int[] shape();

    /** The backward subexpressions (forward values are leaves). */
    default List<MatrixExpr> children() {
        if (this instanceof Sum s) return s.terms();
        if (this instanceof Negated n) return List.of(n.operand());
        if (this instanceof Hadamard h) return h.factors();
        if (this instanceof Quotient q) return List.of(q.numerator(), q.denominator());
        if (this instanceof MatMul m) return List.of(m.left(), m.right());
        if (this instanceof Outer o) return List.of(o.column(), o.row());
        if (this instanceof Transposed t) return List.of(t.operand());
        if (this instanceof SumOver s) return List.of(s.operand());
        if (this instanceof Expand x) return List.of(x.operand());
        if (this instanceof Scatter s) return List.of(s.operand());
        if (this instanceof Vjp v) return List.of(v.cotangent());
        return List.of();
    }

    /** Whether this expression or a part of it is of the given kind. */
    default boolean contains(Class<? extends MatrixExpr> kind) {
        if (kind.isInstance(this)) return true;
        for (MatrixExpr c : children()) if (c.contains(kind)) return true;
        return false;
    }

    /** A value of the forward pass, written as the spec wrote it (W x, tanh(z)). */
    record Forward(TensorExpr value) implements MatrixExpr {
        public int[] shape() { return value.shape(); }
    }

    /** δ_u = ∂L/∂u for a tensor unit u, defined by an earlier line. */
    record Delta(String unit, int[] shape) implements MatrixExpr {}

    record Number(Rational value) implements MatrixExpr {
        public int[] shape() { return new int[0]; }
    }

    /** The tensor of ones of a shape (𝟙): what a sum over all elements passes back. */
    record Ones(int[] shape) implements MatrixExpr {}

    record Sum(List<MatrixExpr> terms, int[] shape) implements MatrixExpr {}

    record Negated(MatrixExpr operand) implements MatrixExpr {
        public int[] shape() { return operand.shape(); }
    }

    /** Element-wise product (⊙), single numbers broadcast. */
    record Hadamard(List<MatrixExpr> factors, int[] shape) implements MatrixExpr {}

    /** Element-wise quotient. */
    record Quotient(MatrixExpr numerator, MatrixExpr denominator, int[] shape) implements MatrixExpr {}

    /** The matrix product, with the spec's shapes (a [m,k] times b [k] is [m]). */
    record MatMul(MatrixExpr left, MatrixExpr right, int[] shape) implements MatrixExpr {}

    /** a bᵀ for column vectors a [m] and b [n]: the [m,n] matrix of a_i·b_j. */
    record Outer(MatrixExpr column, MatrixExpr row) implements MatrixExpr {
        public int[] shape() { return new int[] {column.shape()[0], row.shape()[0]}; }
    }

    /** The transpose of a matrix. */
    record Transposed(MatrixExpr operand) implements MatrixExpr {
        public int[] shape() {
            int[] s = operand.shape();
            return new int[] {s[1], s[0]};
        }
    }

    /** The partial derivative of an element-wise function in its argument {@code argument} (0-based): f′(z). */
    record Derivative(String function, int argument, List<TensorExpr> args, int[] shape) implements MatrixExpr {}

    /** The sum over some axes (0-based, of the operand), down to {@code shape}: where a broadcast is undone. */
    record SumOver(MatrixExpr operand, List<Integer> axes, int[] shape) implements MatrixExpr {}

    /** The operand repeated along a new axis {@code axis} (0-based, of the result): what sum(X, axis) passes back. */
    record Expand(MatrixExpr operand, int axis, int[] shape) implements MatrixExpr {}

    /** A single number placed at one element (index from 1) of a tensor of zeros: e_i·g. */
    record Scatter(MatrixExpr operand, int[] index, int[] shape) implements MatrixExpr {}

    /**
     * J_op(args)ᵀ g: the Jacobian of an operation shown by name, in its tensor argument
     * {@code argument} (0-based), transposed, applied to the back-signal g.
     */
    record Vjp(String operation, int argument, List<TensorExpr> args, List<Integer> sizes, MatrixExpr cotangent,
               int[] shape) implements MatrixExpr {}

    // ---- building with the simplifications a person makes ------------------------------

    static MatrixExpr number(long n) {
        return new Number(Rational.of(n));
    }

    static boolean isNumber(MatrixExpr e, long n) {
        return e instanceof Number k && k.value().equals(Rational.of(n));
    }

    static MatrixExpr negate(MatrixExpr e) {
        if (e instanceof Negated n) return n.operand();
        if (e instanceof Number k) return new Number(k.value().negate());
        return new Negated(e);
    }

    static MatrixExpr sum(List<MatrixExpr> terms) {
        List<MatrixExpr> flat = new ArrayList<>();
        for (MatrixExpr t : terms) {
            if (t instanceof Sum s) flat.addAll(s.terms());
            else if (!isNumber(t, 0)) flat.add(t);
        }
        if (flat.isEmpty()) return number(0);
        if (flat.size() == 1) return flat.get(0);
        return new Sum(flat, broadcast(flat));
    }

    /** Numbers folded into one leading factor, ones dropped where another factor has the shape, −1 as a sign. */
    static MatrixExpr hadamard(List<MatrixExpr> factors) {
        Rational coefficient = Rational.ONE;
        boolean negative = false;
        List<MatrixExpr> rest = new ArrayList<>();
        List<MatrixExpr> flat = new ArrayList<>(factors);
        for (int i = 0; i < flat.size(); i++) {
            MatrixExpr f = flat.get(i);
            if (f instanceof Hadamard h) {
                flat.addAll(i + 1, h.factors());
            } else if (f instanceof Negated n) {
                negative = !negative;
                flat.add(i + 1, n.operand());
            } else if (f instanceof Number k) {
                coefficient = coefficient.multiply(k.value());
            } else {
                rest.add(f);
            }
        }
        if (coefficient.isZero()) return number(0);
        int[] shape = broadcast(factors);
        List<MatrixExpr> kept = new ArrayList<>();
        for (MatrixExpr f : rest) {
            boolean redundant = f instanceof Ones && rest.stream().anyMatch(o -> !(o instanceof Ones)
                    && Arrays.equals(o.shape(), shape));
            if (!redundant) kept.add(f);
        }
        if (coefficient.signum() < 0) {
            coefficient = coefficient.negate();
            negative = !negative;
        }
        if (!coefficient.isOne() || kept.isEmpty()) kept.add(0, new Number(coefficient));
        MatrixExpr product = kept.size() == 1 ? kept.get(0) : new Hadamard(kept, shape);
        return negative ? negate(product) : product;
    }

    static int[] broadcast(List<MatrixExpr> operands) {
        int rank = 0;
        for (MatrixExpr e : operands) rank = Math.max(rank, e.shape().length);
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (MatrixExpr e : operands) {
            int[] s = e.shape();
            for (int d = 0; d < s.length; d++) out[rank - s.length + d] = Math.max(out[rank - s.length + d], s[d]);
        }
        return out;
    }
}
