package dev.netsym.onnx;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import dev.netsym.model.Tensor;
import java.math.BigDecimal;

/**
 * A tensor flowing through an imported graph: either known at import time (shapes, indices,
 * masks, constants: {@code numbers}) or an expression of the network's inputs and parameters
 * ({@code tensor}). Elements that are −∞ (an attention mask) are {@code masked}; only a softmax
 * may consume them.
 */
final class Value {
    final int[] shape;
    final double[] numbers;
    final Tensor tensor;
    final boolean[] masked;

    private Value(int[] shape, double[] numbers, Tensor tensor, boolean[] masked) {
        this.shape = shape;
        this.numbers = numbers;
        this.tensor = tensor;
        this.masked = masked;
    }

    static Value constant(int[] shape, double[] numbers) {
        return new Value(shape.clone(), numbers, null, null);
    }

    static Value of(Tensor tensor) {
        return new Value(tensor.shape(), null, tensor, null);
    }

    static Value masked(Tensor tensor, boolean[] masked) {
        boolean any = false;
        for (boolean m : masked) any |= m;
        return new Value(tensor.shape(), null, tensor, any ? masked : null);
    }

    boolean isConstant() {
        return numbers != null;
    }

    int size() {
        return Tensor.size(shape);
    }

    int rank() {
        return shape.length;
    }

    /** The value as expressions: constants become numbers; −∞ elements become masked 0s. */
    Tensor tensor() {
        if (tensor != null) return tensor;
        Expr[] elements = new Expr[numbers.length];
        for (int i = 0; i < numbers.length; i++) elements[i] = Double.isInfinite(numbers[i]) ? Expr.Num.of(0) : new Expr.Num(rational(numbers[i]));
        return Tensor.of(shape, elements);
    }

    /** A tensor of the element positions 0, 1, 2 …: rearranging it shows where each number goes. */
    Tensor tensorOfIndices() {
        Expr[] positions = new Expr[size()];
        for (int i = 0; i < positions.length; i++) positions[i] = Expr.Num.of(i);
        return Tensor.of(shape, positions);
    }

    /** Which elements are −∞: a constant's own, or those a mask left behind. */
    boolean[] maskedElements() {
        if (masked != null) return masked;
        if (numbers == null) return null;
        boolean[] out = new boolean[numbers.length];
        boolean any = false;
        for (int i = 0; i < numbers.length; i++) any |= out[i] = numbers[i] == Double.NEGATIVE_INFINITY;
        return any ? out : null;
    }

    /** A number that has no exact fraction (NaN, ±∞) where the importer needed one. */
    static final class NotFinite extends RuntimeException {
        final double value;

        NotFinite(double value) {
            super(null, null, false, false);
            this.value = value;
        }
    }

    /**
     * A stored number as an exact fraction: the shortest decimal that reads back as the same
     * float (1e-5 as 1/100000, not 0.0000099999997…), as a person wrote it in the model.
     */
    static Rational rational(double v) {
        if (!Double.isFinite(v)) throw new NotFinite(v);
        float f = (float) v;
        String text = f == v ? Float.toString(f) : Double.toString(v);
        return Rational.parse(new BigDecimal(text).toPlainString());
    }
}
