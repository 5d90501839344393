package dev.netsym.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A tensor as a front end builds it: a shape and one scalar expression per element, in
 * row-major order. A scalar is the tensor of shape []. Every operation here lowers tensor
 * arithmetic to element expressions, so the rest of netsym sees the scalar units it knows;
 * a shape that does not fit throws {@link ShapeException} with a message naming the shapes.
 *
 * <p>Elements are named with 1-based indices, as everywhere in the spec language:
 * {@code W[2,3]} is row 2, column 3 of W.
 */
public final class Tensor {

    /** A shape that does not fit an operation; the message names the shapes. */
    public static final class ShapeException extends RuntimeException {
        public ShapeException(String message) {
            super(message);
        }
    }

    private final int[] shape;
    private final Expr[] elements;
    private final TensorNode node;

    private Tensor(int[] shape, Expr[] elements, TensorNode node) {
        this.shape = shape;
        this.elements = elements;
        this.node = node;
    }

    public static Tensor scalar(Expr e) {
        Expr[] elements = {e};
        return new Tensor(new int[0], elements, new TensorNode.Elements(new int[0], elements));
    }

    public static Tensor of(int[] shape, Expr[] elements) {
        if (elements.length != size(shape)) throw new IllegalArgumentException("shape and element count differ");
        return new Tensor(shape.clone(), elements, new TensorNode.Elements(shape.clone(), elements));
    }

    /**
     * Elements written out by a front end or a block, with the operation on whole tensors that
     * makes them: the two must be equal in value, element by element.
     */
    public static Tensor of(int[] shape, Expr[] elements, TensorNode node) {
        if (elements.length != size(shape)) throw new IllegalArgumentException("shape and element count differ");
        return new Tensor(shape.clone(), elements, node);
    }

    /** The same elements under a name of their own: the tensor a unit or parameter statement defines. */
    public static Tensor named(String name, int[] shape, Expr[] elements) {
        return named(name, shape, elements, 1);
    }

    /** The same, its elements' indices counted from {@code first} (0 for models from PyTorch). */
    public static Tensor named(String name, int[] shape, Expr[] elements, int first) {
        if (elements.length != size(shape)) throw new IllegalArgumentException("shape and element count differ");
        return new Tensor(shape.clone(), elements, new TensorNode.Named(name, shape.clone(), first));
    }

    /** The elements of a named tensor, as references: x[1], x[2] … or W[1,1], W[1,2] …; a scalar is its name. */
    public static Tensor named(String name, int[] shape) {
        if (shape.length == 0) return named(name, shape, new Expr[] {new Expr.Ref(name)});
        Expr[] elements = new Expr[size(shape)];
        for (int flat = 0; flat < elements.length; flat++) elements[flat] = new Expr.Ref(elementName(name, shape, flat));
        return named(name, shape, elements);
    }

    /** The name of element {@code flat} (row-major) of a tensor, counting from 1 as specs do: W[2,3]. */
    public static String elementName(String name, int[] shape, int flat) {
        return elementName(name, shape, flat, 1);
    }

    /** The name of element {@code flat} with indices counted from {@code first} (0 for models from PyTorch). */
    public static String elementName(String name, int[] shape, int flat, int first) {
        StringBuilder b = new StringBuilder(name.length() + 4 * shape.length).append(name).append('[');
        int[] index = unflatten(shape, flat);
        for (int d = 0; d < index.length; d++) {
            if (d > 0) b.append(',');
            b.append(index[d] + first);
        }
        return b.append(']').toString();
    }

    public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public int size() { return elements.length; }

    public boolean isScalar() { return shape.length == 0; }

    public Expr element(int flat) { return elements[flat]; }

    /** How this tensor was made, as an operation on whole tensors. */
    public TensorNode node() { return node; }

    /** The only element of a scalar. */
    public Expr scalarValue() {
        if (!isScalar()) throw new ShapeException("expected a single number, not a tensor of shape " + describe(shape));
        return elements[0];
    }

    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE) throw new ShapeException("a tensor of shape " + describe(shape) + " is too large");
        return (int) n;
    }

    /** A shape as the spec writes it: [4,3]; a scalar is "[] (a single number)". */
    public static String describe(int[] shape) {
        if (shape.length == 0) return "[] (a single number)";
        StringBuilder b = new StringBuilder("[");
        for (int d = 0; d < shape.length; d++) b.append(d > 0 ? "," : "").append(shape[d]);
        return b.append(']').toString();
    }

    // ---- element-wise ---------------------------------------------------------------------

    /**
     * {@code f} applied element by element, the arguments broadcast against each other as
     * NumPy does: shapes are aligned at their last axis, and an axis of size 1 (or a missing
     * one) repeats to match the other.
     */
    public static Tensor elementwise(String operation, List<Tensor> args, Function<List<Expr>, Expr> f) {
        int[] shape = new int[0];
        for (Tensor t : args) shape = broadcast(operation, shape, t.shape, args);
        int n = size(shape);
        Expr[] out = new Expr[n];
        int[][] strides = new int[args.size()][];
        for (int a = 0; a < args.size(); a++) strides[a] = broadcastStrides(args.get(a).shape, shape);
        int[][] positions = new int[args.size()][];
        for (int a = 0; a < args.size(); a++) if (!Arrays.equals(args.get(a).shape, shape)) positions[a] = new int[n];
        int[] index = new int[shape.length];
        for (int flat = 0; flat < n; flat++) {
            List<Expr> operands = new ArrayList<>(args.size());
            for (int a = 0; a < args.size(); a++) {
                int at = 0;
                for (int d = 0; d < shape.length; d++) at += index[d] * strides[a][d];
                operands.add(args.get(a).elements[at]);
                if (positions[a] != null) positions[a][flat] = at;
            }
            out[flat] = f.apply(operands);
            increment(index, shape);
        }
        // A number every element shares stays a number in the formula: x^2 is a square, not e^(2·ln x).
        List<TensorNode> operands = new ArrayList<>(args.size());
        List<Expr> formulaOperands = new ArrayList<>(args.size());
        for (int a = 0; a < args.size(); a++) {
            Expr.Num constant = args.get(a).sharedNumber();
            if (constant != null) {
                formulaOperands.add(constant);
                continue;
            }
            formulaOperands.add(TensorNode.operand(operands.size()));
            operands.add(positions[a] == null ? args.get(a).node : gather(shape, args.get(a).node, positions[a]));
        }
        int[] outShape = shape;
        return new Tensor(shape, out, orElements(shape, out, () -> new TensorNode.Map(outShape, f.apply(formulaOperands), operands)));
    }

    /**
     * The node, or the elements themselves when {@code f} cannot be written on operands it does
     * not see (an importer's arithmetic on integer constants looks at the numbers).
     */
    private static TensorNode orElements(int[] shape, Expr[] elements, java.util.function.Supplier<TensorNode> node) {
        try {
            return node.get();
        } catch (RuntimeException e) {
            return new TensorNode.Elements(shape, elements);
        }
    }

    /** The number every element is, or null when some element is not that number. */
    private Expr.Num sharedNumber() {
        if (elements.length == 0 || !(elements[0] instanceof Expr.Num first)) return null;
        for (Expr e : elements) if (!first.equals(e)) return null;
        return first;
    }

    public Tensor map(Function<Expr, Expr> f) {
        Expr[] out = new Expr[elements.length];
        for (int i = 0; i < out.length; i++) out[i] = f.apply(elements[i]);
        return new Tensor(shape, out, orElements(shape, out, () -> new TensorNode.Map(shape, f.apply(TensorNode.operand(0)), List.of(node))));
    }

    private static TensorNode gather(int[] shape, TensorNode source, int[] index) {
        return new TensorNode.Gather(shape, List.of(source), null, index);
    }

    private static int[] broadcast(String operation, int[] a, int[] b, List<Tensor> args) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
            int db = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                StringBuilder shapes = new StringBuilder();
                for (int i = 0; i < args.size(); i++) {
                    shapes.append(i == 0 ? "" : i == args.size() - 1 ? " and " : ", ").append(describe(args.get(i).shape));
                }
                throw new ShapeException(operation + ": the shapes " + shapes + " do not fit together"
                        + " (an axis must have the same size in both, or size 1)");
            }
            out[d] = Math.max(da, db);
        }
        return out;
    }

    /** Per axis of the result, how far the argument's flat index moves (0 along a repeated axis). */
    private static int[] broadcastStrides(int[] from, int[] to) {
        int[] strides = new int[to.length];
        int stride = 1;
        for (int d = from.length - 1; d >= 0; d--) {
            int target = d + to.length - from.length;
            strides[target] = from[d] == 1 ? 0 : stride;
            stride *= from[d];
        }
        return strides;
    }

    // ---- linear algebra -------------------------------------------------------------------

    /**
     * The matrix product, with the shapes of {@code @} in NumPy: [m,k]·[k,n] → [m,n],
     * [m,k]·[k] → [m], [k]·[k,n] → [n], [k]·[k] → a single number; with more axes, the last
     * two are the matrices and the leading (batch) axes broadcast.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() < 1 || b.rank() < 1) {
            throw new ShapeException("@ multiplies vectors and matrices; the shapes are " + describe(a.shape)
                    + " and " + describe(b.shape));
        }
        int m = a.rank() >= 2 ? a.shape[a.rank() - 2] : 1;
        int k = a.shape[a.rank() - 1];
        int kb = b.rank() >= 2 ? b.shape[b.rank() - 2] : b.shape[0];
        int n = b.rank() >= 2 ? b.shape[b.rank() - 1] : 1;
        if (k != kb) {
            throw new ShapeException("@: the shapes " + describe(a.shape) + " and " + describe(b.shape)
                    + " do not fit (the left's last axis has " + k + ", the right's " + (b.rank() >= 2 ? "second to last" : "first")
                    + " has " + kb + ")");
        }
        int[] batchA = Arrays.copyOfRange(a.shape, 0, Math.max(a.rank() - 2, 0));
        int[] batchB = Arrays.copyOfRange(b.shape, 0, Math.max(b.rank() - 2, 0));
        int[] batch = broadcast("@", batchA, batchB, List.of(a, b));
        int[] stridesA = broadcastStrides(batchA, batch);
        int[] stridesB = broadcastStrides(batchB, batch);
        int batches = size(batch);
        Expr[] out = new Expr[batches * m * n];
        int[] index = new int[batch.length];
        int[] leftOffset = new int[batches];
        int[] rightOffset = new int[batches];
        for (int t = 0; t < batches; t++) {
            int offsetA = 0;
            int offsetB = 0;
            for (int d = 0; d < batch.length; d++) {
                offsetA += index[d] * stridesA[d];
                offsetB += index[d] * stridesB[d];
            }
            offsetA *= m * k;
            offsetB *= k * n;
            leftOffset[t] = offsetA;
            rightOffset[t] = offsetB;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    List<Expr> terms = new ArrayList<>(k);
                    for (int l = 0; l < k; l++) terms.add(product(a.elements[offsetA + i * k + l], b.elements[offsetB + l * n + j]));
                    out[(t * m + i) * n + j] = sum(terms);
                }
            }
            increment(index, batch);
        }
        List<Integer> shape = new ArrayList<>();
        for (int d : batch) shape.add(d);
        if (a.rank() >= 2) shape.add(m);
        if (b.rank() >= 2) shape.add(n);
        int[] outShape = shape.stream().mapToInt(Integer::intValue).toArray();
        return new Tensor(outShape, out, new TensorNode.MatMul(outShape, a.node, b.node, m, k, n, leftOffset, rightOffset));
    }

    /** Rows and columns exchanged; a vector or a single number is its own transpose. */
    public Tensor transpose() {
        if (rank() < 2) return this;
        if (rank() > 2) throw new ShapeException("transpose takes a matrix, not a tensor of shape " + describe(shape));
        int m = shape[0];
        int n = shape[1];
        Expr[] out = new Expr[m * n];
        int[] from = new int[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[j * m + i] = elements[i * n + j];
                from[j * m + i] = i * n + j;
            }
        }
        int[] outShape = {n, m};
        return new Tensor(outShape, out, gather(outShape, node, from));
    }

    /** The axes in a new order: axis d of the result is axis {@code order[d]} of this tensor. */
    public Tensor permute(int[] order) {
        if (!isPermutation(order, rank())) {
            throw new ShapeException("transpose: " + Arrays.toString(order) + " is not an order of the " + rank() + " axes of " + describe(shape));
        }
        int[] outShape = new int[rank()];
        for (int d = 0; d < rank(); d++) outShape[d] = shape[order[d]];
        int[] strides = strides(shape);
        Expr[] out = new Expr[elements.length];
        int[] from = new int[elements.length];
        int[] index = new int[rank()];
        for (int flat = 0; flat < out.length; flat++) {
            int at = 0;
            for (int d = 0; d < rank(); d++) at += index[d] * strides[order[d]];
            out[flat] = elements[at];
            from[flat] = at;
            increment(index, outShape);
        }
        return new Tensor(outShape, out, gather(outShape, node, from));
    }

    private static boolean isPermutation(int[] order, int rank) {
        if (order.length != rank) return false;
        boolean[] seen = new boolean[rank];
        for (int d : order) {
            if (d < 0 || d >= rank || seen[d]) return false;
            seen[d] = true;
        }
        return true;
    }

    /** Elements start, start + step, … (before end) along the axis; step ≥ 1. */
    public Tensor slice(int axis, int start, int end, int step) {
        int count = Math.max(0, (end - start + step - 1) / step);
        int[] picked = new int[count];
        for (int i = 0; i < count; i++) picked[i] = start + i * step;
        return take(axis, new int[] {count}, picked);
    }

    /**
     * The slices along {@code axis} at the given positions (0-based), the positions' own shape
     * taking the axis's place: an embedding lookup is {@code E.take(0, tokens)}.
     */
    public Tensor take(int axis, int[] positionsShape, int[] positions) {
        int n = shape[axis];
        for (int p : positions) {
            if (p < 0 || p >= n) throw new ShapeException("index " + p + " is outside axis " + (axis + 1) + " of " + describe(shape) + " (0 to " + (n - 1) + ")");
        }
        int outer = size(Arrays.copyOfRange(shape, 0, axis));
        int inner = size(Arrays.copyOfRange(shape, axis + 1, rank()));
        int[] outShape = new int[rank() - 1 + positionsShape.length];
        System.arraycopy(shape, 0, outShape, 0, axis);
        System.arraycopy(positionsShape, 0, outShape, axis, positionsShape.length);
        System.arraycopy(shape, axis + 1, outShape, axis + positionsShape.length, rank() - axis - 1);
        Expr[] out = new Expr[outer * positions.length * inner];
        int[] from = new int[out.length];
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < positions.length; p++) {
                int at = (o * positions.length + p) * inner;
                System.arraycopy(elements, (o * n + positions[p]) * inner, out, at, inner);
                for (int i = 0; i < inner; i++) from[at + i] = (o * n + positions[p]) * inner + i;
            }
        }
        return new Tensor(outShape, out, gather(outShape, node, from));
    }

    /** Tensors joined along one axis (0-based); every other axis equal. */
    public static Tensor concatenate(int axis, List<Tensor> parts) {
        Tensor first = parts.get(0);
        int total = 0;
        for (Tensor p : parts) {
            boolean fits = p.rank() == first.rank();
            for (int d = 0; fits && d < p.rank(); d++) fits = d == axis || p.shape[d] == first.shape[d];
            if (!fits) {
                throw new ShapeException("concatenate: the shapes " + describe(first.shape) + " and " + describe(p.shape)
                        + " differ outside axis " + (axis + 1));
            }
            total += p.shape[axis];
        }
        int outer = size(Arrays.copyOfRange(first.shape, 0, axis));
        int inner = size(Arrays.copyOfRange(first.shape, axis + 1, first.rank()));
        int[] outShape = first.shape.clone();
        outShape[axis] = total;
        Expr[] out = new Expr[outer * total * inner];
        int[] source = new int[out.length];
        int[] from = new int[out.length];
        List<TensorNode> sources = new ArrayList<>(parts.size());
        int offset = 0;
        for (int part = 0; part < parts.size(); part++) {
            Tensor p = parts.get(part);
            sources.add(p.node);
            int n = p.shape[axis];
            for (int o = 0; o < outer; o++) {
                int at = (o * total + offset) * inner;
                System.arraycopy(p.elements, o * n * inner, out, at, n * inner);
                for (int i = 0; i < n * inner; i++) {
                    source[at + i] = part;
                    from[at + i] = o * n * inner + i;
                }
            }
            offset += n;
        }
        return new Tensor(outShape, out, new TensorNode.Gather(outShape, sources, source, from));
    }

    /** This tensor repeated as NumPy broadcasting repeats it, to the given shape. */
    public Tensor broadcastTo(int[] target) {
        int[] outShape = broadcast("expand", shape, target, List.of(this, new Tensor(target.clone(), null, null)));
        int[] strides = broadcastStrides(shape, outShape);
        Expr[] out = new Expr[size(outShape)];
        int[] from = new int[out.length];
        int[] index = new int[outShape.length];
        for (int flat = 0; flat < out.length; flat++) {
            int at = 0;
            for (int d = 0; d < outShape.length; d++) at += index[d] * strides[d];
            out[flat] = elements[at];
            from[flat] = at;
            increment(index, outShape);
        }
        return new Tensor(outShape, out, gather(outShape, node, from));
    }

    private static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    /**
     * Convolution as deep-learning libraries define it (cross-correlation, no kernel flip) over
     * the last 1 or 2 axes: x is [C_in, L] or [C_in, H, W], kernel [C_out, C_in, k] or
     * [C_out, C_in, kh, kw]; zero padding on every side, then the given stride.
     */
    public static Tensor convolution(Tensor x, Tensor kernel, int stride, int padding) {
        int spatial = kernel.rank() - 2;
        if (spatial < 1 || spatial > 2 || x.rank() != spatial + 1) {
            throw new ShapeException("conv" + Math.max(spatial, 1) + "d takes an input [channels, " + (spatial == 2 ? "height, width" : "length")
                    + "] and a kernel [out channels, in channels, " + (spatial == 2 ? "kh, kw" : "k") + "]; the shapes are "
                    + describe(x.shape) + " and " + describe(kernel.shape));
        }
        int channels = x.shape[0];
        if (kernel.shape[1] != channels) {
            throw new ShapeException("conv" + spatial + "d: the input " + describe(x.shape) + " has " + channels
                    + " channels but the kernel " + describe(kernel.shape) + " expects " + kernel.shape[1]);
        }
        int[] in = Arrays.copyOfRange(x.shape, 1, x.rank());
        int[] k = Arrays.copyOfRange(kernel.shape, 2, kernel.rank());
        int[] out = new int[spatial];
        for (int d = 0; d < spatial; d++) {
            out[d] = (in[d] + 2 * padding - k[d]) / stride + 1;
            if (in[d] + 2 * padding < k[d]) {
                throw new ShapeException("conv" + spatial + "d: the kernel " + describe(kernel.shape) + " is larger than the input "
                        + describe(x.shape) + (padding > 0 ? " with padding " + padding : ""));
            }
        }
        int outChannels = kernel.shape[0];
        int[] shape = new int[spatial + 1];
        shape[0] = outChannels;
        System.arraycopy(out, 0, shape, 1, spatial);
        int height = spatial == 2 ? out[0] : 1;
        int width = out[spatial - 1];
        int kh = spatial == 2 ? k[0] : 1;
        int kw = k[spatial - 1];
        int inH = spatial == 2 ? in[0] : 1;
        int inW = in[spatial - 1];
        int padH = spatial == 2 ? padding : 0;
        Expr[] result = new Expr[size(shape)];
        int window = channels * kh * kw;
        int positions = height * width;
        int[] columns = new int[window * positions];
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int r = (c * kh + u) * kw + v;
                    for (int i = 0; i < height; i++) {
                        int row = i * (spatial == 2 ? stride : 1) + u - padH;
                        for (int j = 0; j < width; j++) {
                            int column = j * stride + v - padding;
                            boolean inside = row >= 0 && row < inH && column >= 0 && column < inW;
                            columns[r * positions + i * width + j] = inside ? (c * inH + row) * inW + column : -1;
                        }
                    }
                }
            }
        }
        TensorNode unfolded = gather(new int[] {window, positions}, x.node, columns);
        TensorNode node = new TensorNode.MatMul(shape, kernel.node, unfolded, outChannels, window, positions, new int[1], new int[1]);
        for (int o = 0; o < outChannels; o++) {
            for (int i = 0; i < height; i++) {
                for (int j = 0; j < width; j++) {
                    List<Expr> terms = new ArrayList<>();
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++) {
                            int row = i * (spatial == 2 ? stride : 1) + u - padH;
                            if (row < 0 || row >= inH) continue;
                            for (int v = 0; v < kw; v++) {
                                int column = j * stride + v - padding;
                                if (column < 0 || column >= inW) continue;
                                Expr weight = kernel.elements[((o * channels + c) * kh + u) * kw + v];
                                terms.add(product(x.elements[(c * inH + row) * inW + column], weight));
                            }
                        }
                    }
                    result[(o * height + i) * width + j] = terms.isEmpty() ? Expr.Num.of(0) : sum(terms);
                }
            }
        }
        return new Tensor(shape, result, node);
    }

    /** The mean of each k×k window (k windows along a 1-d axis), stride k, over the last 1 or 2 axes. */
    public Tensor averagePool(int spatial, int k) {
        return pool("avg_pool" + spatial + "d", spatial, k, k, terms -> divide(sum(terms), terms.size()));
    }

    /** The largest element of each k×k window (k along a 1-d axis), windows {@code stride} apart. */
    public Tensor maxPool(int spatial, int k, int stride) {
        return pool("max_pool" + spatial + "d", spatial, k, stride, terms -> {
            Expr largest = terms.get(0);
            for (int i = 1; i < terms.size(); i++) largest = new Expr.Call("max", List.of(largest, terms.get(i)));
            return largest;
        });
    }

    /** {@code reduce} applied to each window of the last 1 or 2 axes, without padding. */
    private Tensor pool(String operation, int spatial, int k, int stride, Function<List<Expr>, Expr> reduce) {
        if (rank() < spatial) throw new ShapeException(operation + " needs " + spatial + " axes to pool; the shape is " + describe(shape));
        int[] outShape = shape.clone();
        for (int d = rank() - spatial; d < rank(); d++) {
            if (shape[d] < k) throw new ShapeException(operation + ": a window of " + k + " does not fit in the shape " + describe(shape));
            outShape[d] = (shape[d] - k) / stride + 1;
        }
        int outer = size(Arrays.copyOfRange(shape, 0, rank() - spatial));
        int inH = spatial == 2 ? shape[rank() - 2] : 1;
        int inW = shape[rank() - 1];
        int outH = spatial == 2 ? outShape[rank() - 2] : 1;
        int outW = outShape[rank() - 1];
        int kh = spatial == 2 ? k : 1;
        int strideH = spatial == 2 ? stride : 1;
        Expr[] out = new Expr[size(outShape)];
        int window = kh * k;
        int[] from = new int[out.length * window];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    int at = (o * outH + i) * outW + j;
                    List<Expr> terms = new ArrayList<>(window);
                    for (int u = 0; u < kh; u++) {
                        for (int v = 0; v < k; v++) {
                            from[at * window + terms.size()] = (o * inH + i * strideH + u) * inW + j * stride + v;
                            terms.add(elements[(o * inH + i * strideH + u) * inW + j * stride + v]);
                        }
                    }
                    out[at] = reduce.apply(terms);
                }
            }
        }
        TensorNode windows = gather(new int[] {from.length}, node, from);
        return new Tensor(outShape, out, orElements(outShape, out, () -> new TensorNode.Rows(outShape, windows, window, TensorNode.formula(window, reduce))));
    }

    /** The same elements in another shape of the same size, in row-major order. */
    public Tensor reshape(int[] newShape) {
        if (size(newShape) != elements.length) {
            throw new ShapeException("reshape: " + describe(shape) + " has " + elements.length + " elements, "
                    + describe(newShape) + " has " + size(newShape));
        }
        return new Tensor(newShape.clone(), elements, gather(newShape.clone(), node, null));
    }

    // ---- reductions -----------------------------------------------------------------------

    /** The sum of all elements. */
    public Tensor sumAll() {
        return reduceAll(Tensor::sum);
    }

    /** The sum along one axis (0-based), which disappears from the shape. */
    public Tensor sum(int axis) {
        return reduce(axis, Tensor::sum);
    }

    public Tensor meanAll() {
        return reduceAll(terms -> divide(sum(terms), terms.size()));
    }

    private Tensor reduceAll(Function<List<Expr>, Expr> f) {
        int[] none = new int[0];
        Expr[] out = {f.apply(Arrays.asList(elements))};
        return new Tensor(none, out, orElements(none, out, () -> new TensorNode.Rows(none, node, elements.length, TensorNode.formula(elements.length, f))));
    }

    public Tensor mean(int axis) {
        int n = shape[axis];
        return reduce(axis, terms -> divide(sum(terms), n));
    }

    /** {@code f} of the elements along one axis (0-based), which disappears from the shape. */
    public Tensor reduce(int axis, Function<List<Expr>, Expr> f) {
        int[] outShape = removeAxis(shape, axis);
        int outer = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        int n = shape[axis];
        Expr[] out = new Expr[outer * inner];
        int[] from = inner == 1 ? null : new int[elements.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                List<Expr> terms = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    if (from != null) from[(o * inner + i) * n + k] = (o * n + k) * inner + i;
                    terms.add(elements[(o * n + k) * inner + i]);
                }
                out[o * inner + i] = f.apply(terms);
            }
        }
        // The axis moved last, so that each result's operands are consecutive.
        TensorNode rows = from == null ? node : gather(new int[] {elements.length}, node, from);
        return new Tensor(outShape, out, orElements(outShape, out, () -> new TensorNode.Rows(outShape, rows, n, TensorNode.formula(n, f))));
    }

    /**
     * The result of a reduction along {@code axis}, repeated along it again so that it can be
     * combined with this tensor element by element (softmax's normaliser, a norm's mean).
     */
    public Tensor keepAxis(Tensor reduced, int axis) {
        int[] outShape = shape.clone();
        outShape[axis] = 1;
        return new Tensor(outShape, reduced.elements, gather(outShape, reduced.node, null));
    }

    private static int[] removeAxis(int[] shape, int axis) {
        int[] out = new int[shape.length - 1];
        for (int d = 0, o = 0; d < shape.length; d++) if (d != axis) out[o++] = shape[d];
        return out;
    }

    // ---- expressions ----------------------------------------------------------------------

    /** A sum of terms, a one-term sum included (it still names the sum: sum(out) of one unit is L, not out[1]). */
    public static Expr sum(List<Expr> terms) {
        return new Expr.Sum(terms);
    }

    public static Expr product(Expr a, Expr b) {
        return new Expr.Product(List.of(a, b));
    }

    /** a/n as (1/n)·a: a long sum over a short number would be a fraction no line can hold. */
    public static Expr divide(Expr a, int n) {
        return n == 1 ? a : new Expr.Product(List.of(new Expr.Num(Rational.of(1, n)), a));
    }

    public static Expr negate(Expr e) {
        if (e instanceof Expr.Num n) return new Expr.Num(n.value().negate());
        if (e instanceof Expr.Neg n) return n.operand();
        return new Expr.Neg(e);
    }

    /** 1/√n, exactly when n is a perfect square and as a power otherwise. */
    public static Expr inverseSquareRoot(int n) {
        BigInteger root = BigInteger.valueOf(n).sqrt();
        if (root.multiply(root).equals(BigInteger.valueOf(n))) return new Expr.Num(Rational.of(BigInteger.ONE, root));
        return new Expr.Power(Expr.Num.of(n), new Expr.Num(Rational.of(-1, 2)));
    }

    // ---- indices --------------------------------------------------------------------------

    static int[] unflatten(int[] shape, int flat) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    private static void increment(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) return;
            index[d] = 0;
        }
    }
}
