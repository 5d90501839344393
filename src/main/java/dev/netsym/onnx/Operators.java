package dev.netsym.onnx;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import dev.netsym.model.Tensor;
import dev.netsym.model.TensorBlocks;
import dev.netsym.onnx.OnnxImporter.ImportError;
import dev.netsym.onnx.proto.OnnxProto.AttributeProto;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import dev.netsym.onnx.SpecWriter.Spelling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * The ONNX operators netsym reads, each written once as tensor operations of the model
 * package (on expressions) and, where shape computations need it, on numbers known at import.
 * Semantics follow the ONNX operator documentation for opsets 13 to 17.
 */
final class Operators {

    /** An operator: the node's input values (null for an omitted optional input) to its outputs. */
    private interface Rule {
        List<Value> apply(Node node);
    }

    /**
     * How an operator writes itself in the spec language, from its inputs' spellings: one
     * spelling per output (null for an output that is a constant), or {@link SpecWriter.Unspellable}
     * when this node's attributes have none (the node is then written element by element).
     */
    private interface Speller {
        List<Spelling> spell(Node node, SpecWriter.Inputs in);
    }

    /** A node being imported: its proto, its inputs, and the importer's services. */
    private final class Node {
        final NodeProto proto;
        final List<Value> inputs;

        Node(NodeProto proto, List<Value> inputs) {
            this.proto = proto;
            this.inputs = inputs;
        }

        Value in(int i) {
            Value v = i < inputs.size() ? inputs.get(i) : null;
            if (v == null) throw error("needs input " + (i + 1));
            return v;
        }

        Value optional(int i) {
            return i < inputs.size() ? inputs.get(i) : null;
        }

        AttributeProto attribute(String name) {
            for (AttributeProto a : proto.getAttributeList()) if (a.getName().equals(name)) return a;
            return null;
        }

        long integer(String name, long otherwise) {
            AttributeProto a = attribute(name);
            return a == null ? otherwise : a.getI();
        }

        double real(String name, double otherwise) {
            AttributeProto a = attribute(name);
            return a == null ? otherwise : a.getF();
        }

        long[] integers(String name) {
            AttributeProto a = attribute(name);
            return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }

        /** Integers given as an attribute (older opsets) or as a constant input (newer ones). */
        long[] integersFrom(String attribute, int input) {
            long[] fromAttribute = integers(attribute);
            if (fromAttribute != null) return fromAttribute;
            Value v = optional(input);
            return v == null ? null : constantIntegers(v, attribute);
        }

        long[] constantIntegers(Value v, String what) {
            if (!v.isConstant()) throw error("needs its " + what + " known when the model is read, not computed from the data");
            long[] out = new long[v.numbers.length];
            for (int i = 0; i < out.length; i++) out[i] = (long) v.numbers[i];
            return out;
        }

        int axis(long axis, int rank) {
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= Math.max(rank, 1)) throw error("has axis " + axis + ", outside a tensor of " + rank + " axes");
            return (int) a;
        }

        ImportError error(String message) {
            return new ImportError("node " + OnnxImporter.describe(proto) + " " + message);
        }

        String owner() {
            String out = proto.getOutputCount() > 0 ? proto.getOutput(0) : proto.getName();
            return out.replaceFirst("_output_0$", "").replaceAll("^/+", "").replace('/', '.');
        }
    }

    /**
     * The operators that keep −∞ elements (an attention mask) as a mask, or refuse them
     * themselves; any other would read them as numbers, so a masked input is refused there.
     */
    private static final java.util.Set<String> MASK_AWARE = java.util.Set.of("Add", "Sub", "Mul", "Div", "Pow", "Where", "Softmax",
            "LogSoftmax", "Identity", "Cast", "Dropout", "Shape", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Expand",
            "Split", "Slice", "Gather", "Neg", "Sqrt", "Abs", "Exp", "Log", "Relu", "Tanh", "Sigmoid", "Softplus", "Erf");

    private final OnnxImporter importer;
    private final int opset;
    private final Map<String, Rule> rules = new TreeMap<>();
    private final Map<String, Speller> spellers = new HashMap<>();

    Operators(OnnxImporter importer, int opset) {
        this.importer = importer;
        this.opset = opset;
        register();
    }

    List<Value> apply(NodeProto proto) {
        if (!proto.getDomain().isEmpty() && !proto.getDomain().equals("ai.onnx")) {
            throw new ImportError("node " + OnnxImporter.describe(proto) + " is from the operator set " + OnnxImporter.quote(proto.getDomain())
                    + ", which netsym does not read (only the standard ONNX operators)");
        }
        Rule rule = rules.get(proto.getOpType());
        if (rule == null) {
            throw new ImportError("node " + OnnxImporter.describe(proto) + ": netsym does not support the operator "
                    + OnnxImporter.printable(proto.getOpType()) + "; it supports " + String.join(", ", rules.keySet()));
        }
        List<Value> inputs = new ArrayList<>();
        for (String name : proto.getInputList()) inputs.add(name.isEmpty() ? null : importer.value(name));
        if (!MASK_AWARE.contains(proto.getOpType())) {
            for (Value v : inputs) {
                if (v != null && v.maskedElements() != null) {
                    throw new ImportError("node " + OnnxImporter.describe(proto) + " receives a masked (−∞) value; netsym reads masks"
                            + " only through element-wise arithmetic, Where and rearrangements, before a Softmax");
                }
            }
        }
        try {
            return rule.apply(new Node(proto, inputs));
        } catch (Value.NotFinite e) {
            throw new ImportError("node " + OnnxImporter.describe(proto) + " has or computes " + e.value + ", not a finite number");
        } catch (IndexOutOfBoundsException | NegativeArraySizeException | IllegalArgumentException | ArithmeticException e) {
            // Attribute and input combinations the checks above do not yet name one by one: still this node's fault, said so.
            throw new ImportError("node " + OnnxImporter.describe(proto) + " has inputs or attributes that do not fit together ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The node in the spec language (see {@link Speller}); null for an operator that has no spelling. */
    List<Spelling> spell(NodeProto proto, List<Value> inputs, SpecWriter.Inputs in) {
        Speller speller = spellers.get(proto.getOpType());
        return speller == null ? null : speller.spell(new Node(proto, inputs), in);
    }

    private static List<Spelling> one(String text) {
        return List.of(Spelling.compound(text));
    }

    private static List<Spelling> call(String function, Spelling... args) {
        StringBuilder b = new StringBuilder(function).append('(');
        for (int i = 0; i < args.length; i++) b.append(i == 0 ? "" : ", ").append(args[i].text());
        return List.of(Spelling.atom(b.append(')').toString()));
    }

    private static String axes(int[] shape, int from) {
        StringBuilder b = new StringBuilder();
        for (int d = from; d < shape.length; d++) b.append(", ").append(shape[d]);
        return b.toString();
    }

    /** reshape(X, dims), or X when the shape is already right; a single number has no spelling as a reshape. */
    private static Spelling reshaped(Spelling x, int[] from, int[] to) {
        if (Arrays.equals(from, to)) return x;
        if (to.length == 0 || to.length > 8) throw new SpecWriter.Unspellable();
        return Spelling.atom("reshape(" + x.text() + axes(to, 0) + ")");
    }

    private void register() {
        // Element by element.
        binary("Add", "+", (a, b) -> a + b, (a, b) -> new Expr.Sum(List.of(a, b)));
        binary("Sub", "-", (a, b) -> a - b, (a, b) -> new Expr.Sum(List.of(a, Tensor.negate(b))));
        binary("Mul", "*", (a, b) -> a * b, Tensor::product);
        binary("Div", "/", (a, b) -> a / b, (a, b) -> b instanceof Expr.Num n && !n.value().isZero()
                ? Tensor.product(new Expr.Num(Rational.ONE.divide(n.value())), a) : new Expr.Quotient(a, b));
        binary("Pow", "^", Math::pow, Expr.Power::new);
        unary("Neg", "-", v -> -v, Tensor::negate);
        unary("Identity", "", v -> v, e -> e);
        function("Sqrt", "sqrt", Math::sqrt);
        function("Abs", "abs", Math::abs);
        function("Exp", "exp", Math::exp);
        function("Log", "log", Math::log);
        function("Relu", "relu", v -> Math.max(v, 0));
        function("Tanh", "tanh", Math::tanh);
        function("Sigmoid", "sigmoid", v -> 1 / (1 + Math.exp(-v)));
        function("Softplus", "softplus", v -> Math.log1p(Math.exp(v)));
        function("Erf", "erf", null);
        rules.put("LeakyRelu", n -> {
            Expr slope = new Expr.Num(Value.rational(n.real("alpha", 0.01)));
            return List.of(Value.of(n.in(0).tensor().map(e -> new Expr.Call("leaky_relu", List.of(e, slope)))));
        });
        spellers.put("LeakyRelu", (n, in) -> call("leaky_relu", in.get(0), Spelling.atom(SpecWriter.number(Value.rational(n.real("alpha", 0.01))))));
        rules.put("Elu", n -> {
            if (n.real("alpha", 1) != 1) throw n.error("has alpha " + n.real("alpha", 1) + "; netsym's elu has alpha 1");
            return List.of(Value.of(n.in(0).tensor().map(e -> call("elu", e))));
        });
        spellers.put("Elu", (n, in) -> call("elu", in.get(0)));
        rules.put("Cast", n -> List.of(n.in(0)));
        spellers.put("Cast", (n, in) -> List.of(in.get(0)));
        rules.put("Dropout", n -> {
            Value ratio = n.optional(1);
            Value training = n.optional(2);
            boolean active = training != null && training.isConstant() && training.size() == 1 && training.numbers[0] != 0
                    && (ratio == null || !ratio.isConstant() || ratio.size() != 1 || ratio.numbers[0] != 0);
            if (active) throw n.error("drops elements at random; export the model with dropout off (p = 0) to prove it");
            return List.of(n.in(0));
        });
        spellers.put("Dropout", (n, in) -> List.of(in.get(0)));
        rules.put("Where", this::where);

        // Linear algebra.
        rules.put("MatMul", n -> List.of(Value.of(matmul(n, n.in(0).tensor(), n.in(1).tensor()))));
        spellers.put("MatMul", (n, in) -> one(in.get(0).operand() + " @ " + in.get(1).operand()));
        rules.put("Gemm", this::gemm);
        spellers.put("Gemm", (n, in) -> {
            Spelling a = n.integer("transA", 0) != 0 ? call("transpose", in.get(0)).get(0) : in.get(0);
            Spelling b = n.integer("transB", 0) != 0 ? call("transpose", in.get(1)).get(0) : in.get(1);
            String product = a.operand() + " @ " + b.operand();
            double alpha = n.real("alpha", 1);
            if (alpha != 1) product = SpecWriter.numberOperand(Value.rational(alpha)) + " * (" + product + ")";
            if (n.optional(2) == null) return one(product);
            double beta = n.real("beta", 1);
            Spelling c = in.get(2);
            return one(product + " + " + (beta == 1 ? c.operand() : SpecWriter.numberOperand(Value.rational(beta)) + " * " + c.operand()));
        });

        // Shapes and rearrangements.
        rules.put("Constant", this::constant);
        rules.put("Shape", n -> {
            int[] shape = n.in(0).shape;
            int start = (int) clampAxis(n.integer("start", 0), shape.length);
            int end = (int) clampAxis(n.integer("end", shape.length), shape.length);
            double[] dims = new double[Math.max(0, end - start)];
            for (int i = 0; i < dims.length; i++) dims[i] = shape[start + i];
            return List.of(Value.constant(new int[] {dims.length}, dims));
        });
        rules.put("ConstantOfShape", n -> {
            int[] shape = toShape(n, n.constantIntegers(n.in(0), "shape"));
            AttributeProto value = n.attribute("value");
            double[] given = value == null ? new double[] {0} : TensorData.numbers(value.getT(), "value", importer.external());
            if (given.length != 1) throw n.error("fills with a value of " + given.length + " elements, not one");
            double fill = given[0];
            double[] numbers = new double[Tensor.size(shape)];
            Arrays.fill(numbers, fill);
            return List.of(Value.constant(shape, numbers));
        });
        rules.put("Reshape", n -> {
            Value x = n.in(0);
            long[] wanted = n.constantIntegers(n.in(1), "shape");
            return List.of(reshape(x, resolveShape(n, x.shape, wanted, n.integer("allowzero", 0) != 0)));
        });
        for (String op : List.of("Reshape", "Flatten", "Squeeze", "Unsqueeze")) {
            spellers.put(op, (n, in) -> List.of(reshaped(in.get(0), n.in(0).shape, in.outputShape(0))));
        }
        rules.put("Flatten", n -> {
            Value x = n.in(0);
            int axis = (int) clampAxis(n.integer("axis", 1), x.rank());
            int outer = Tensor.size(Arrays.copyOfRange(x.shape, 0, axis));
            return List.of(reshape(x, new int[] {outer, x.size() / Math.max(outer, 1)}));
        });
        rules.put("Squeeze", n -> {
            Value x = n.in(0);
            long[] axes = n.integersFrom("axes", 1);
            List<Integer> kept = new ArrayList<>();
            for (int d = 0; d < x.rank(); d++) {
                boolean squeezed = false;
                if (axes == null) squeezed = x.shape[d] == 1;
                else for (long a : axes) squeezed |= n.axis(a, x.rank()) == d;
                if (squeezed && x.shape[d] != 1) throw n.error("squeezes axis " + d + " of size " + x.shape[d]);
                if (!squeezed) kept.add(x.shape[d]);
            }
            return List.of(reshape(x, kept.stream().mapToInt(Integer::intValue).toArray()));
        });
        rules.put("Unsqueeze", n -> {
            Value x = n.in(0);
            long[] axes = n.integersFrom("axes", 1);
            if (axes == null) throw n.error("has no axes");
            int rank = x.rank() + axes.length;
            if (rank > TensorData.MAX_RANK) throw n.error("makes a tensor of " + rank + " axes; netsym reads at most " + TensorData.MAX_RANK);
            boolean[] inserted = new boolean[rank];
            for (long a : axes) {
                int axis = n.axis(a, rank);
                if (inserted[axis]) throw n.error("inserts axis " + axis + " twice");
                inserted[axis] = true;
            }
            int[] shape = new int[rank];
            for (int d = 0, from = 0; d < rank; d++) shape[d] = inserted[d] ? 1 : x.shape[from++];
            return List.of(reshape(x, shape));
        });
        rules.put("Transpose", n -> {
            Value x = n.in(0);
            long[] perm = n.integers("perm");
            int[] order = new int[x.rank()];
            if (perm != null && perm.length != order.length) throw n.error("has perm " + Arrays.toString(perm) + " for a tensor of " + order.length + " axes");
            boolean[] used = new boolean[order.length];
            for (int d = 0; d < order.length; d++) {
                order[d] = perm == null ? order.length - 1 - d : n.axis(perm[d], order.length);
                if (used[order[d]]) throw n.error("has perm " + Arrays.toString(perm) + ", which is not a permutation");
                used[order[d]] = true;
            }
            return List.of(rearranged(x, t -> t.permute(order)));
        });
        spellers.put("Transpose", (n, in) -> {
            int rank = n.in(0).rank();
            long[] perm = n.integers("perm");
            if (rank < 2) return List.of(in.get(0));
            if (rank == 2 && (perm == null || perm[0] == 1)) return call("transpose", in.get(0));
            StringBuilder order = new StringBuilder();
            for (int d = 0; d < rank; d++) order.append(", ").append((perm == null ? rank - 1 - d : n.axis(perm[d], rank)) + 1);
            return List.of(Spelling.atom("permute(" + in.get(0).text() + order + ")"));
        });
        rules.put("Expand", n -> {
            Value x = n.in(0);
            int[] target = toShape(n, n.constantIntegers(n.in(1), "shape"));
            requireAtMost(n, broadcastSize(x.shape, target));
            return List.of(rearranged(x, t -> t.broadcastTo(broadcastShape(t.shape(), target))));
        });
        rules.put("Concat", n -> {
            Value first = n.in(0);
            int axis = n.axis(n.integer("axis", 0), first.rank());
            List<Tensor> parts = new ArrayList<>();
            boolean constant = true;
            long size = 0;
            for (Value v : n.inputs) {
                if (v == null) throw n.error("has an omitted input");
                constant &= v.isConstant();
                size += v.size();
            }
            requireAtMost(n, size);
            for (Value v : n.inputs) parts.add(v.tensor());
            Tensor joined = Tensor.concatenate(axis, parts);
            return List.of(constant ? numbersOf(joined) : Value.of(joined));
        });
        rules.put("Split", n -> {
            Value x = n.in(0);
            int axis = n.axis(n.integer("axis", 0), x.rank());
            long[] sizes = n.integersFrom("split", 1);
            int parts = n.proto.getOutputCount();
            if (sizes != null && sizes.length != parts) throw n.error("has " + sizes.length + " sizes for " + parts + " outputs");
            if (sizes != null) for (long size : sizes) if (size < 0 || size > x.shape[axis]) throw n.error("has a part of size " + size);
            List<Value> out = new ArrayList<>();
            int start = 0;
            for (int p = 0; p < parts; p++) {
                int size = sizes != null ? (int) sizes[p] : (x.shape[axis] + parts - 1) / parts;
                int from = start;
                int to = Math.min(start + size, x.shape[axis]);
                out.add(rearranged(x, t -> t.slice(axis, from, to, 1)));
                start = to;
            }
            return out;
        });
        rules.put("Slice", this::slice);
        rules.put("Gather", this::gather);

        // Reductions, softmaxes, norms.
        rules.put("ReduceMean", n -> reduce(n, true));
        spellers.put("ReduceMean", (n, in) -> spellReduce(n, in, "mean"));
        rules.put("ReduceSum", n -> reduce(n, false));
        spellers.put("ReduceSum", (n, in) -> spellReduce(n, in, "sum"));
        rules.put("Softmax", n -> softmax(n, false));
        rules.put("LogSoftmax", n -> softmax(n, true));
        for (String op : List.of("Softmax", "LogSoftmax")) {
            spellers.put(op, (n, in) -> {
                int axis = n.axis(n.integer("axis", opset >= 13 ? -1 : 1), n.in(0).rank());
                return call(op.equals("Softmax") ? "softmax" : "log_softmax", in.get(0), Spelling.atom(String.valueOf(axis + 1)));
            });
        }
        rules.put("LayerNormalization", this::layerNorm);
        spellers.put("LayerNormalization", (n, in) -> {
            boolean scale = n.optional(1) != null;
            boolean bias = n.optional(2) != null;
            if (!Value.rational(n.real("epsilon", 1e-5)).equals(TensorBlocks.LAYER_NORM_EPSILON) || bias && !scale) throw new SpecWriter.Unspellable();
            return bias ? call("layer_norm", in.get(0), in.get(1), in.get(2)) : scale ? call("layer_norm", in.get(0), in.get(1)) : call("layer_norm", in.get(0));
        });
        rules.put("BatchNormalization", this::batchNorm);
        spellers.put("BatchNormalization", (n, in) -> {
            if (!Value.rational(n.real("epsilon", 1e-5)).equals(TensorBlocks.LAYER_NORM_EPSILON)) throw new SpecWriter.Unspellable();
            List<Spelling> out = new ArrayList<>(call("batch_norm", in.get(0), in.get(1), in.get(2)));
            for (int i = 1; i < n.proto.getOutputCount(); i++) out.add(null); // running statistics: constants
            return out;
        });

        // Convolutions and pooling.
        rules.put("Conv", this::conv);
        rules.put("MaxPool", n -> pool(n, true));
        rules.put("AveragePool", n -> pool(n, false));
        for (String op : List.of("MaxPool", "AveragePool")) {
            spellers.put(op, (n, in) -> {
                int spatial = n.integers("kernel_shape").length;
                Spelling k = Spelling.atom(String.valueOf(uniform(n, "kernel_shape", 1, spatial)));
                return op.equals("MaxPool")
                        ? call("max_pool" + spatial + "d", in.get(0), k, Spelling.atom(String.valueOf(uniform(n, "strides", 1, spatial))))
                        : call("avg_pool" + spatial + "d", in.get(0), k);
            });
        }
        rules.put("GlobalAveragePool", n -> {
            Value x = n.in(0);
            if (x.rank() < 3) throw n.error("takes a batch [N, C, ...]");
            Tensor t = x.tensor();
            int[] shape = x.shape.clone();
            for (int d = x.rank() - 1; d >= 2; d--) {
                t = t.mean(d);
                shape[d] = 1;
            }
            return List.of(Value.of(t.reshape(shape)));
        });
        spellers.put("GlobalAveragePool", (n, in) -> {
            Value x = n.in(0);
            String text = in.get(0).text();
            for (int d = x.rank() - 1; d >= 2; d--) text = "mean(" + text + ", " + (d + 1) + ")";
            int[] shape = x.shape.clone();
            for (int d = 2; d < shape.length; d++) shape[d] = 1;
            return List.of(reshaped(Spelling.atom(text), Arrays.copyOf(x.shape, 2), shape));
        });
        spellers.put("Gather", (n, in) -> {
            OnnxImporter.TokenIds tokens = importer.tokenIds(n.proto.getInput(1));
            if (tokens == null) throw new SpecWriter.Unspellable(); // constant indices: written element by element
            return one(in.declared(tokens.oneHot(n.in(0).shape[0])).operand() + " @ " + in.get(0).operand());
        });
    }

    /** sum(X, axis) or mean(X, axis) for each reduced axis, last first, then reshaped to keep axes of size 1 (keepdims). */
    private List<Spelling> spellReduce(Node n, SpecWriter.Inputs in, String function) {
        Value x = n.in(0);
        long[] axes = n.integersFrom("axes", 1);
        boolean[] reduced = new boolean[x.rank()];
        if (axes == null || axes.length == 0) {
            if (n.integer("noop_with_empty_axes", 0) != 0) return List.of(in.get(0));
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) reduced[n.axis(a, x.rank())] = true;
        }
        String text = in.get(0).text();
        List<Integer> left = new ArrayList<>();
        for (int d = x.rank() - 1; d >= 0; d--) if (reduced[d]) text = function + "(" + text + ", " + (d + 1) + ")";
        for (int d = 0; d < x.rank(); d++) if (!reduced[d]) left.add(x.shape[d]);
        return List.of(reshaped(Spelling.atom(text), left.stream().mapToInt(Integer::intValue).toArray(), in.outputShape(0)));
    }

    /** An element-wise function the spec language has under {@code name}. */
    private void function(String op, String name, DoubleUnaryOperator onNumbers) {
        unary(op, name, onNumbers, e -> call(name, e));
    }

    /** spelling: a function's name, "-" for negation, "" for the value itself. */
    private void unary(String op, String spelling, DoubleUnaryOperator onNumbers, UnaryOperator<Expr> onExpressions) {
        spellers.put(op, (n, in) -> spelling.isEmpty() ? List.of(in.get(0))
                : spelling.equals("-") ? one("-" + in.get(0).operand()) : call(spelling, in.get(0)));
        rules.put(op, n -> {
            Value x = n.in(0);
            if (x.isConstant() && onNumbers != null) {
                double[] out = new double[x.numbers.length];
                for (int i = 0; i < out.length; i++) out[i] = onNumbers.applyAsDouble(x.numbers[i]);
                return List.of(Value.constant(x.shape, out));
            }
            if (x.maskedElements() != null && !op.equals("Identity")) throw n.error("receives a masked (−∞) value; netsym reads masks only before a Softmax");
            return List.of(Value.of(x.tensor().map(onExpressions::apply)));
        });
    }

    private static Expr call(String function, Expr arg) {
        return TensorBlocks.call(function, arg);
    }

    /** An element-wise operation with broadcasting; masks (−∞) pass through Add, Sub, and Mul or Div by a positive number. */
    private void binary(String op, String symbol, DoubleBinaryOperator onNumbers, BinaryOperator<Expr> onExpressions) {
        spellers.put(op, (n, in) -> one(in.get(0).operand() + (symbol.equals("^") ? "^" : " " + symbol + " ") + in.get(1).operand()));
        rules.put(op, n -> {
            Value a = n.in(0);
            Value b = n.in(1);
            requireAtMost(n, broadcastSize(a.shape, b.shape));
            if (a.isConstant() && b.isConstant()) return List.of(numbersOf(Tensor.elementwise(op, List.of(a.tensorOfIndices(), b.tensorOfIndices()),
                    args -> indexOfPair(args)), a, b, onNumbers));
            boolean[] maskA = a.maskedElements();
            boolean[] maskB = b.maskedElements();
            if (maskA == null && maskB == null) {
                return List.of(Value.of(Tensor.elementwise(op, List.of(a.tensor(), b.tensor()), args -> onExpressions.apply(args.get(0), args.get(1)))));
            }
            boolean keepsMask = op.equals("Add") || op.equals("Sub")
                    || ((op.equals("Mul") || op.equals("Div")) && maskB == null && b.isConstant() && allPositive(b.numbers));
            if (!keepsMask) throw n.error("receives a masked (−∞) value; netsym reads masks only through Add, Sub, Mul and Div by positive numbers, before a Softmax");
            Tensor out = Tensor.elementwise(op, List.of(a.tensor(), b.tensor()), args -> onExpressions.apply(args.get(0), args.get(1)));
            Tensor maskOut = Tensor.elementwise(op, List.of(flags(a.shape, maskA), flags(b.shape, maskB)),
                    args -> isFlag(args.get(0)) || isFlag(args.get(1)) ? FLAG : Expr.Num.of(0));
            boolean[] masked = new boolean[out.size()];
            Expr[] elements = new Expr[out.size()];
            for (int i = 0; i < masked.length; i++) {
                masked[i] = isFlag(maskOut.element(i));
                elements[i] = masked[i] ? Expr.Num.of(0) : out.element(i);
            }
            return List.of(Value.masked(Tensor.of(out.shape(), elements), masked));
        });
    }

    private static final Expr FLAG = new Expr.Ref("masked");

    private static boolean isFlag(Expr e) {
        return e == FLAG;
    }

    private static Tensor flags(int[] shape, boolean[] mask) {
        Expr[] out = new Expr[Tensor.size(shape)];
        for (int i = 0; i < out.length; i++) out[i] = mask != null && mask[i] ? FLAG : Expr.Num.of(0);
        return Tensor.of(shape, out);
    }

    private static boolean allPositive(double[] numbers) {
        for (double v : numbers) if (!(v > 0)) return false;
        return true;
    }

    private static Expr indexOfPair(List<Expr> args) {
        return new Expr.Sum(args);
    }

    /** The numbers of a broadcast operation on two constants, computed through index tensors. */
    private static Value numbersOf(Tensor pairs, Value a, Value b, DoubleBinaryOperator f) {
        double[] out = new double[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            List<Expr> pair = ((Expr.Sum) pairs.element(i)).terms();
            int ia = ((Expr.Num) pair.get(0)).value().numerator().intValue();
            int ib = ((Expr.Num) pair.get(1)).value().numerator().intValue();
            out[i] = f.applyAsDouble(a.numbers[ia], b.numbers[ib]);
        }
        return Value.constant(pairs.shape(), out);
    }

    /** A tensor of constants, known to be all numbers, back as a constant value. */
    private static Value numbersOf(Tensor t) {
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Expr.Num) t.element(i)).value().doubleValue();
        return Value.constant(t.shape(), out);
    }

    /** The same rearrangement applied to expressions, to numbers (through their positions), and to a mask. */
    private static Value rearranged(Value x, UnaryOperator<Tensor> f) {
        if (x.isConstant()) {
            Tensor positions = f.apply(x.tensorOfIndices());
            double[] out = new double[positions.size()];
            for (int i = 0; i < out.length; i++) out[i] = x.numbers[((Expr.Num) positions.element(i)).value().numerator().intValue()];
            return Value.constant(positions.shape(), out);
        }
        Tensor t = f.apply(x.tensor());
        if (x.masked == null) return Value.of(t);
        Tensor mask = f.apply(flags(x.shape, x.masked));
        boolean[] masked = new boolean[mask.size()];
        for (int i = 0; i < masked.length; i++) masked[i] = isFlag(mask.element(i));
        return Value.masked(t, masked);
    }

    private static Value reshape(Value x, int[] shape) {
        return rearranged(x, t -> t.reshape(shape));
    }

    private static long clampAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return Math.max(0, Math.min(rank, a));
    }

    private static int[] toShape(Node n, long[] dims) {
        requireRank(n, dims.length);
        int[] shape = new int[dims.length];
        long size = 1;
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] < 0 || dims[d] > OnnxImporter.MAX_ELEMENTS) throw n.error("asks for a shape with dimension " + dims[d]);
            shape[d] = (int) dims[d];
            size *= Math.max(dims[d], 1);
            if (size > OnnxImporter.MAX_ELEMENTS) throw n.error("asks for a tensor of over " + OnnxImporter.MAX_ELEMENTS + " elements");
        }
        return shape;
    }

    /** Reshape's target: 0 copies the input's dimension (unless allowzero), −1 takes what is left. */
    private static int[] resolveShape(Node n, int[] from, long[] wanted, boolean allowZero) {
        requireRank(n, wanted.length);
        int[] shape = new int[wanted.length];
        int unknown = -1;
        long known = 1;
        for (int d = 0; d < wanted.length; d++) {
            long w = wanted[d];
            if (w == -1) {
                if (unknown >= 0) throw n.error("has two −1 dimensions in its shape");
                unknown = d;
                continue;
            }
            if (w == 0 && !allowZero) {
                if (d >= from.length) throw n.error("copies dimension " + d + " of a tensor of " + from.length + " axes");
                w = from[d];
            }
            if (w < 0 || w > OnnxImporter.MAX_ELEMENTS) throw n.error("has dimension " + w + " in its shape");
            shape[d] = (int) w;
            known = Math.min(known * w, OnnxImporter.MAX_ELEMENTS + 1);
        }
        int size = Tensor.size(from);
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) throw n.error("cannot reshape " + Tensor.describe(from) + " to " + Arrays.toString(wanted));
            shape[unknown] = (int) (size / known);
        }
        return shape;
    }

    /** The elements of the broadcast of two shapes, without overflowing, for {@link #requireAtMost}. */
    private static long broadcastSize(int[] a, int[] b) {
        long size = 1;
        for (int d : broadcastShape(a, b)) size = Math.min(size * Math.max(d, 1), OnnxImporter.MAX_ELEMENTS + 1) * (d == 0 ? 0 : 1);
        return size;
    }

    private static void requireRank(Node n, int rank) {
        if (rank > TensorData.MAX_RANK) throw n.error("asks for a shape of " + rank + " axes; netsym reads at most " + TensorData.MAX_RANK);
    }

    /** Refuses a result larger than a network may be in all, before any of it is built. */
    private static void requireAtMost(Node n, long elements) {
        if (elements > OnnxImporter.MAX_ELEMENTS) {
            throw n.error("would compute over " + String.format("%,d", OnnxImporter.MAX_ELEMENTS) + " elements, more than netsym reads");
        }
    }

    /**
     * A matrix product, charged to the network's budget by the terms it writes (rows × inner ×
     * columns, per batch) before it is built, as the spec language charges {@code @}.
     */
    private Tensor matmul(Node n, Tensor a, Tensor b) {
        int[] sa = a.shape();
        int[] sb = b.shape();
        if (sa.length == 0 || sb.length == 0) return Tensor.matmul(a, b); // refused there, with both shapes
        long rows = sa.length >= 2 ? sa[sa.length - 2] : 1;
        long inner = sa[sa.length - 1];
        long columns = sb.length >= 2 ? sb[sb.length - 1] : 1;
        long batches = broadcastSize(Arrays.copyOfRange(sa, 0, Math.max(0, sa.length - 2)), Arrays.copyOfRange(sb, 0, Math.max(0, sb.length - 2)));
        long terms = 1;
        for (long factor : new long[] {batches, rows, inner, columns}) terms = Math.min(terms * factor, OnnxImporter.MAX_ELEMENTS + 1);
        importer.charge(terms, "node " + OnnxImporter.describe(n.proto));
        return Tensor.matmul(a, b);
    }

    private static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
            int db = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            out[d] = Math.max(da, db);
        }
        return out;
    }

    // ---- the operators that need more than one line ---------------------------------------

    private List<Value> constant(Node n) {
        AttributeProto value = n.attribute("value");
        if (value != null) return List.of(Value.constant(TensorData.shape(value.getT(), "value"), TensorData.numbers(value.getT(), "value", importer.external())));
        AttributeProto f = n.attribute("value_float");
        if (f != null) return List.of(Value.constant(new int[0], new double[] {f.getF()}));
        AttributeProto i = n.attribute("value_int");
        if (i != null) return List.of(Value.constant(new int[0], new double[] {i.getI()}));
        AttributeProto fs = n.attribute("value_floats");
        if (fs != null) return List.of(Value.constant(new int[] {fs.getFloatsCount()}, fs.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray()));
        AttributeProto is = n.attribute("value_ints");
        if (is != null) return List.of(Value.constant(new int[] {is.getIntsCount()}, is.getIntsList().stream().mapToDouble(Long::doubleValue).toArray()));
        throw n.error("has no value netsym reads (value, value_float(s) or value_int(s))");
    }

    private List<Value> gemm(Node n) {
        Tensor a = n.in(0).tensor();
        Tensor b = n.in(1).tensor();
        if (a.rank() != 2 || b.rank() != 2) throw n.error("takes matrices; the shapes are " + Tensor.describe(a.shape()) + " and " + Tensor.describe(b.shape()));
        if (n.integer("transA", 0) != 0) a = a.transpose();
        if (n.integer("transB", 0) != 0) b = b.transpose();
        Tensor product = matmul(n, a, b);
        double alpha = n.real("alpha", 1);
        if (alpha != 1) {
            Expr scale = new Expr.Num(Value.rational(alpha));
            product = product.map(e -> Tensor.product(scale, e));
        }
        Value c = n.optional(2);
        if (c == null) return List.of(Value.of(product));
        double beta = n.real("beta", 1);
        Tensor bias = beta == 1 ? c.tensor() : c.tensor().map(e -> Tensor.product(new Expr.Num(Value.rational(beta)), e));
        return List.of(Value.of(Tensor.elementwise("Gemm", List.of(product, bias), args -> new Expr.Sum(args))));
    }

    /**
     * A constant condition picks between two values; a branch of −∞ (an attention mask)
     * becomes masked elements.
     */
    private List<Value> where(Node n) {
        Value condition = n.in(0);
        Value x = n.in(1);
        Value y = n.in(2);
        requireAtMost(n, broadcastSize(condition.shape, broadcastShape(x.shape, y.shape)));
        if (!condition.isConstant()) throw n.error("has a condition computed from the data; netsym reads conditions known when the model is read");
        if (x.isConstant() && y.isConstant()) {
            Tensor positions = Tensor.elementwise("Where", List.of(condition.tensorOfIndices(), x.tensorOfIndices(), y.tensorOfIndices()), Expr.Sum::new);
            double[] out = new double[positions.size()];
            for (int i = 0; i < out.length; i++) {
                List<Expr> p = ((Expr.Sum) positions.element(i)).terms();
                boolean pick = condition.numbers[index(p.get(0))] != 0;
                out[i] = pick ? x.numbers[index(p.get(1))] : y.numbers[index(p.get(2))];
            }
            return List.of(Value.constant(positions.shape(), out));
        }
        boolean[] maskX = x.maskedElements();
        boolean[] maskY = y.maskedElements();
        Tensor picked = Tensor.elementwise("Where", List.of(condition.tensor(), x.tensor(), y.tensor(), flags(x.shape, maskX), flags(y.shape, maskY)),
                args -> {
                    boolean pick = !((Expr.Num) args.get(0)).value().isZero();
                    Expr flag = pick ? args.get(3) : args.get(4);
                    return isFlag(flag) ? FLAG : pick ? args.get(1) : args.get(2);
                });
        boolean[] masked = new boolean[picked.size()];
        Expr[] elements = new Expr[picked.size()];
        for (int i = 0; i < masked.length; i++) {
            masked[i] = isFlag(picked.element(i));
            elements[i] = masked[i] ? Expr.Num.of(0) : picked.element(i);
        }
        return List.of(Value.masked(Tensor.of(picked.shape(), elements), masked));
    }

    private static int index(Expr position) {
        return ((Expr.Num) position).value().numerator().intValue();
    }

    private List<Value> slice(Node n) {
        Value x = n.in(0);
        long[] starts = n.integersFrom("starts", 1);
        long[] ends = n.integersFrom("ends", 2);
        long[] axes = n.integersFrom("axes", 3);
        long[] steps = opset >= 10 && n.optional(4) != null ? n.constantIntegers(n.in(4), "steps") : null;
        if (starts == null || ends == null) throw n.error("has no starts or ends");
        for (long[] list : new long[][] {ends, axes, steps}) {
            if (list != null && list.length != starts.length) throw n.error("has starts, ends, axes and steps of different lengths");
        }
        Value out = x;
        for (int i = 0; i < starts.length; i++) {
            int axis = n.axis(axes == null ? i : axes[i], x.rank());
            long step = steps == null ? 1 : steps[i];
            if (step < 1) throw n.error("has step " + step + "; netsym reads forward slices (step ≥ 1)");
            int size = x.shape[axis];
            int from = (int) clampAxis(starts[i], size);
            int to = (int) clampAxis(Math.max(Math.min(ends[i], (long) size), (long) -size - 1), size);
            int fromAxis = from;
            int toAxis = Math.max(to, from);
            out = rearranged(out, t -> t.slice(axis, fromAxis, toAxis, (int) step));
        }
        return List.of(out);
    }

    /**
     * Rows picked by index: from a constant (shape computations), by constant indices, or, for
     * token ids given as input, as the product of their one-hot rows with the table.
     */
    private List<Value> gather(Node n) {
        Value data = n.in(0);
        Value indices = n.in(1);
        int axis = n.axis(n.integer("axis", 0), data.rank());
        OnnxImporter.TokenIds tokens = importer.tokenIds(n.proto.getInput(1));
        if (tokens != null) {
            if (axis != 0) throw n.error("looks token ids up along axis " + axis + "; netsym reads embedding lookups along axis 0");
            Tensor oneHot = tokens.oneHot(data.shape[0]);
            return List.of(Value.of(matmul(n, oneHot, data.tensor())));
        }
        if (!indices.isConstant()) throw n.error("has indices computed from the data; netsym reads token ids given as an input, or constant indices");
        requireAtMost(n, (long) indices.size() * (data.size() / Math.max(1, data.shape[axis])));
        int[] positions = new int[indices.numbers.length];
        for (int i = 0; i < positions.length; i++) {
            long p = (long) indices.numbers[i];
            if (p < -data.shape[axis] || p >= data.shape[axis]) throw n.error("picks index " + p + " of an axis of " + data.shape[axis]);
            positions[i] = (int) (p < 0 ? p + data.shape[axis] : p);
        }
        return List.of(rearranged(data, t -> t.take(axis, indices.shape, positions)));
    }

    private List<Value> reduce(Node n, boolean mean) {
        Value x = n.in(0);
        long[] axes = n.integersFrom("axes", 1);
        boolean keep = n.integer("keepdims", 1) != 0;
        boolean[] reduced = new boolean[x.rank()];
        if (axes == null || axes.length == 0) {
            if (n.integer("noop_with_empty_axes", 0) != 0) return List.of(x);
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) reduced[n.axis(a, x.rank())] = true;
        }
        Tensor t = x.tensor();
        List<Integer> shape = new ArrayList<>();
        for (int d = x.rank() - 1; d >= 0; d--) if (reduced[d]) t = mean ? t.mean(d) : t.sum(d);
        for (int d = 0; d < x.rank(); d++) if (!reduced[d]) shape.add(x.shape[d]); else if (keep) shape.add(1);
        Tensor out = t.reshape(shape.stream().mapToInt(Integer::intValue).toArray());
        return List.of(x.isConstant() ? Value.constant(out.shape(), foldSums(out)) : Value.of(out));
    }

    /** The numbers of a tensor of sums and means of constants (a reduction of a constant). */
    private static double[] foldSums(Tensor t) {
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = fold(t.element(i));
        return out;
    }

    private static double fold(Expr e) {
        if (e instanceof Expr.Num n) return n.value().doubleValue();
        if (e instanceof Expr.Sum s) return s.terms().stream().mapToDouble(Operators::fold).sum();
        if (e instanceof Expr.Product p) return p.factors().stream().mapToDouble(Operators::fold).reduce(1, (a, b) -> a * b);
        throw new IllegalStateException("not a constant: " + e);
    }

    private List<Value> softmax(Node n, boolean log) {
        Value x = n.in(0);
        int axis = n.axis(n.integer("axis", opset >= 13 ? -1 : 1), x.rank());
        if (opset < 13 && axis != x.rank() - 1) throw n.error("normalises the flattened axes from " + axis + " on (opset " + opset + "); netsym reads opset 13 and later, or the last axis");
        TensorBlocks blocks = importer.blocksFor(n.owner());
        boolean[] masked = x.maskedElements();
        if (log) {
            if (masked != null) throw n.error("receives masked (−∞) scores; netsym reads masks before Softmax, not LogSoftmax");
            return List.of(Value.of(blocks.logSoftmax(x.tensor(), axis)));
        }
        return List.of(Value.of(blocks.softmax(x.tensor(), axis, masked)));
    }

    private List<Value> layerNorm(Node n) {
        Value x = n.in(0);
        int axis = n.axis(n.integer("axis", -1), x.rank());
        if (axis != x.rank() - 1) throw n.error("normalises from axis " + axis + "; netsym reads layer norms over the last axis");
        Rational epsilon = Value.rational(n.real("epsilon", 1e-5));
        Value scale = n.optional(1);
        Value bias = n.optional(2);
        if (n.proto.getOutputCount() > 1 && !n.proto.getOutput(1).isEmpty()) throw n.error("has its mean as an output; netsym reads LayerNormalization's first output only");
        return List.of(Value.of(importer.blocksFor(n.owner()).layerNorm(x.tensor(), scale == null ? null : scale.tensor(),
                bias == null ? null : bias.tensor(), epsilon)));
    }

    private List<Value> batchNorm(Node n) {
        boolean training = n.integer("training_mode", 0) != 0 || n.proto.getOutputCount() > 1;
        if (!training) {
            throw n.error("is in inference mode (fixed running statistics); export the model with"
                    + " training=torch.onnx.TrainingMode.TRAINING to prove what training does");
        }
        Value x = n.in(0);
        Rational epsilon = Value.rational(n.real("epsilon", 1e-5));
        Tensor out = importer.blocksFor(n.owner()).batchNorm(x.tensor(), n.in(1).tensor(), n.in(2).tensor(), epsilon);
        List<Value> outputs = new ArrayList<>(List.of(Value.of(out)));
        // The running statistics (outputs 2 and 3) are buffers, not part of the computation.
        for (int i = 1; i < n.proto.getOutputCount(); i++) outputs.add(Value.constant(new int[0], new double[] {0}));
        return outputs;
    }

    private List<Value> conv(Node n) {
        Value x = n.in(0);
        Value w = n.in(1);
        int spatial = w.rank() - 2;
        if (spatial < 1 || spatial > 2 || x.rank() != spatial + 2) {
            throw n.error("takes an input [N, C, ...] and a kernel [C_out, C_in, ...] of 1 or 2 spatial axes; the shapes are "
                    + Tensor.describe(x.shape) + " and " + Tensor.describe(w.shape));
        }
        if (n.integer("group", 1) != 1) throw n.error("has groups; netsym reads convolutions with group 1");
        int stride = uniform(n, "strides", 1, spatial);
        int padding = uniformPads(n, spatial);
        if (uniform(n, "dilations", 1, spatial) != 1) throw n.error("is dilated; netsym reads dilation 1");
        String autoPad = n.attribute("auto_pad") == null ? "NOTSET" : n.attribute("auto_pad").getS().toStringUtf8();
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) throw n.error("has auto_pad " + OnnxImporter.quote(autoPad) + "; netsym reads explicit pads");
        Tensor input = x.tensor();
        Tensor kernel = w.tensor();
        List<Tensor> samples = new ArrayList<>();
        int batch = x.shape[0];
        int[] sampleShape = Arrays.copyOfRange(x.shape, 1, x.rank());
        for (int s = 0; s < batch; s++) {
            Tensor sample = input.slice(0, s, s + 1, 1).reshape(sampleShape);
            Tensor y = Tensor.convolution(sample, kernel, stride, padding);
            int[] withBatch = new int[y.rank() + 1];
            withBatch[0] = 1;
            System.arraycopy(y.shape(), 0, withBatch, 1, y.rank());
            samples.add(y.reshape(withBatch));
        }
        Tensor out = Tensor.concatenate(0, samples);
        Value bias = n.optional(2);
        if (bias != null) {
            int[] channelShape = new int[spatial + 1];
            Arrays.fill(channelShape, 1);
            channelShape[0] = bias.size();
            out = Tensor.elementwise("Conv", List.of(out, bias.tensor().reshape(channelShape)), args -> new Expr.Sum(args));
        }
        return List.of(Value.of(out));
    }

    private List<Value> pool(Node n, boolean max) {
        Value x = n.in(0);
        long[] kernel = n.integers("kernel_shape");
        int spatial = kernel == null ? 0 : kernel.length;
        if (spatial < 1 || spatial > 2 || x.rank() != spatial + 2) throw n.error("pools 1 or 2 spatial axes of a batch [N, C, ...]");
        int k = uniform(n, "kernel_shape", 1, spatial);
        int stride = uniform(n, "strides", 1, spatial);
        if (uniformPads(n, spatial) != 0 || n.integer("ceil_mode", 0) != 0) throw n.error("pads its input; netsym reads pooling without padding");
        if (max && uniform(n, "dilations", 1, spatial) != 1) throw n.error("is dilated; netsym reads dilation 1");
        if (max && n.proto.getOutputCount() > 1 && !n.proto.getOutput(1).isEmpty()) throw n.error("outputs its indices; netsym reads the pooled values only");
        if (!max && stride != k) throw n.error("has stride " + stride + " with windows of " + k + "; netsym reads average pooling with stride = window");
        Tensor t = x.tensor();
        return List.of(Value.of(max ? t.maxPool(spatial, k, stride) : t.averagePool(spatial, k)));
    }

    /** An attribute that must be the same along every spatial axis (PyTorch's usual square case). */
    private static int uniform(Node n, String name, int otherwise, int spatial) {
        long[] values = n.integers(name);
        if (values == null || values.length == 0) return otherwise;
        for (long v : values) {
            if (v != values[0]) throw n.error("has " + name + " " + Arrays.toString(values) + "; netsym reads the same value along every axis");
        }
        if (values[0] < 1 || values[0] > 4096) throw n.error("has " + name + " " + values[0]);
        return (int) values[0];
    }

    private static int uniformPads(Node n, int spatial) {
        long[] pads = n.integers("pads");
        if (pads == null || pads.length == 0) return 0;
        for (long p : pads) {
            if (p != pads[0]) throw n.error("has pads " + Arrays.toString(pads) + "; netsym reads the same padding on every side");
        }
        if (pads[0] < 0 || pads[0] > 4096) throw n.error("has pads " + pads[0]);
        return (int) pads[0];
    }
}
