package dev.netsym.onnx;

import com.google.protobuf.CodedInputStream;
import dev.netsym.model.Diagnostic;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.NaturalOrder;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.SourcePos;
import dev.netsym.model.SpecResult;
import dev.netsym.model.Tensor;
import dev.netsym.model.TensorBlocks;
import dev.netsym.model.TensorGraph;
import dev.netsym.model.TensorNode;
import dev.netsym.model.Unit;
import dev.netsym.onnx.proto.OnnxProto.GraphProto;
import dev.netsym.onnx.proto.OnnxProto.ModelProto;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import dev.netsym.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.onnx.proto.OnnxProto.TensorShapeProto;
import dev.netsym.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ONNX front end: a model file exported from PyTorch (or any framework) becomes the same
 * {@link Network} a spec describes. The graph's initializers are the parameters, named as in
 * the framework's state dict with 0-based element indices ({@code lora_B.weight[0,1]}); its
 * inputs are the data; the objective is the chosen loss of its outputs. Each node becomes tensor
 * operations of the model package, and the tensors it computes become units named after its
 * output; shape computations are folded to numbers at import.
 */
public final class OnnxImporter {

    /** The objective put on the graph's outputs. */
    public enum Loss {
        /** Σ g·y with g free: every differentiable loss of the outputs at once. */
        GENERIC("generic"),
        SUM("sum"),
        MSE("mse"),
        CROSS_ENTROPY("cross-entropy");

        public final String spelling;

        Loss(String spelling) {
            this.spelling = spelling;
        }

        public static Optional<Loss> parse(String text) {
            for (Loss l : values()) if (l.spelling.equals(text)) return Optional.of(l);
            return Optional.empty();
        }
    }

    /** {@code --init GLOB=VALUE}: overrides the stored start of the matching parameters. */
    public record InitOverride(String pattern, Init init) {}

    public record Options(Loss loss, List<InitOverride> inits, Map<String, int[]> shapes) {
        public static final Options DEFAULT = new Options(Loss.GENERIC, List.of(), Map.of());
    }

    /** The most elements the tensors of one imported network may have in all. */
    static final long MAX_ELEMENTS = 6_000_000;

    /** The largest model file netsym reads; a caller reads one byte more so that a larger one is refused here. */
    public static final int MAX_FILE_BYTES = ModelLimits.MAX_FILE_BYTES;

    private final String fileStem;
    private final Options options;
    private final ExternalData external;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Set<String> parameterTensors = new HashSet<>();
    private final Map<String, double[]> stored = new LinkedHashMap<>();
    private final Map<String, int[]> storedShapes = new HashMap<>();
    private final List<Unit> units = new ArrayList<>();
    /** Each materialised value's operation on whole tensors, by its unit name. */
    private final Map<String, TensorNode> unitNodes = new LinkedHashMap<>();
    private final Set<String> takenNames = new HashSet<>();
    private final List<String> inputElements = new ArrayList<>();
    private final List<String> targetElements = new ArrayList<>();
    private final Map<String, String> renamed = new HashMap<>();
    private final List<String> objectiveTargets = new ArrayList<>();
    /** Writes the model as a spec while it is lowered; null when only the network is wanted. */
    private final SpecWriter writer;
    private String specText;
    private long elements;
    private int opset;

    private OnnxImporter(Path file, Options options, boolean writeSpec) {
        String stem = file.getFileName() == null ? "model" : file.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        this.fileStem = stem;
        this.options = options;
        this.external = new ExternalData(file);
        this.writer = writeSpec ? new SpecWriter() : null;
    }

    /**
     * A model read as a spec: the imported network (with its diagnostics) and, when it imports,
     * the spec text that reads back as the same network, with {@code renamed} mapping each
     * parameter, input and target element of the import to its name in the spec, and
     * {@code tensorNames} each whole tensor the spec names.
     */
    public record Translation(SpecResult imported, String spec, Map<String, String> renamed, Map<String, String> tensorNames) {}

    /** Reads a model as {@link #read(byte[], Path, Options)} does, and writes it as a netsym spec. */
    public static Translation translate(byte[] bytes, Path file, Options options) {
        OnnxImporter importer = new OnnxImporter(file, options, true);
        SpecResult result = importer.run(bytes);
        return new Translation(result, result.hasErrors() ? null : importer.specText, importer.writer.renamed(),
                importer.writer.tensorNames());
    }

    /** Reads a model file, at most {@link #MAX_FILE_BYTES} and one more. */
    public static SpecResult read(Path file, Options options) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in.readNBytes(MAX_FILE_BYTES + 1), file, options);
        }
    }

    /**
     * Reads a model from the bytes of {@code file}: the file's name names the network when the
     * graph has none, and its folder holds the external data the model refers to, if any.
     */
    public static SpecResult read(byte[] bytes, Path file, Options options) {
        return new OnnxImporter(file, options, false).run(bytes);
    }

    private SpecResult run(byte[] bytes) {
        ModelProto model;
        try {
            // Limits first: protobuf would allocate whatever the file claims.
            ModelLimits.check(bytes);
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(64);
            model = ModelProto.parseFrom(in);
        } catch (ImportError e) {
            return fail(e.getMessage());
        } catch (IOException e) {
            // Protobuf's own words ("While parsing a protocol message, the input ended unexpectedly …").
            return fail("not an ONNX model, or a damaged one: " + e.getMessage());
        }
        try {
            return build(model);
        } catch (ImportError e) {
            return fail(e.getMessage());
        } catch (Tensor.ShapeException e) {
            return fail(e.getMessage());
        } catch (Value.NotFinite e) {
            return fail("the model computes " + e.value + " from its constants, not a finite number");
        }
    }

    /** A problem with the model that ends the import, reported as {@code FILE: error: message}. */
    static final class ImportError extends RuntimeException {
        ImportError(String message) {
            super(message, null, false, false);
        }
    }

    private SpecResult fail(String message) {
        diagnostics.add(Diagnostic.error(SourcePos.NONE, message));
        return new SpecResult(Optional.empty(), diagnostics);
    }

    private SpecResult build(ModelProto model) {
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ImportError("not an ONNX model, or an empty one: it has no graph nodes");
        }
        opset = 0;
        for (OperatorSetIdProto set : model.getOpsetImportList()) {
            if (set.getDomain().isEmpty() || set.getDomain().equals("ai.onnx")) opset = (int) set.getVersion();
        }
        GraphProto graph = model.getGraph();
        if (graph.getSparseInitializerCount() > 0) {
            throw new ImportError("the graph has sparse initializers (" + quote(graph.getSparseInitializer(0).getValues().getName())
                    + " …); netsym reads dense tensors");
        }
        readInitializers(graph);
        warnMergedInitializers(graph);
        Set<String> inputNames = new HashSet<>();
        for (ValueInfoProto input : graph.getInputList()) {
            if (!inputNames.add(input.getName())) throw new ImportError("two inputs are called " + quote(input.getName()));
            if (values.containsKey(input.getName())) continue; // an initializer listed as an input too (older exporters)
            declareInput(input);
        }
        Operators operators = new Operators(this, opset);
        for (NodeProto node : GraphOrder.of(graph.getNodeList(), values.keySet())) {
            int unitsBefore = units.size();
            List<Value> inputs = new ArrayList<>();
            for (String name : node.getInputList()) inputs.add(name.isEmpty() ? null : values.get(name));
            List<Value> outputs = operators.apply(node);
            List<Value> kept = new ArrayList<>();
            for (int i = 0; i < node.getOutputCount() && i < outputs.size(); i++) {
                String name = node.getOutput(i);
                if (name.isEmpty()) {
                    kept.add(null);
                    continue;
                }
                Value v = outputs.get(i);
                if (v.isConstant()) {
                    charge(v.size(), "node " + describe(node));
                    requireFinite(node, v);
                } else if (v.size() == 0) {
                    // An empty shape tensor is ordinary; an empty value to differentiate is not.
                    throw new ImportError("node " + describe(node) + " computes " + quote(name) + " with no elements (shape "
                            + Tensor.describe(v.shape) + "); netsym differentiates tensors of at least one element");
                }
                Value named = materialise(name, v);
                values.put(name, named);
                kept.add(named);
            }
            if (writer != null) writer.node(node, inputs, kept, units.subList(unitsBefore, units.size()), operators);
        }
        List<Value> outputs = new ArrayList<>();
        List<String> outputNames = new ArrayList<>();
        for (ValueInfoProto output : graph.getOutputList()) {
            Value v = values.get(output.getName());
            if (v == null) throw new ImportError("the graph's output " + quote(output.getName()) + " is never computed");
            if (v.isConstant()) continue; // does not depend on anything trainable
            if (v.size() == 0) {
                throw new ImportError("the graph's output " + quote(output.getName()) + " has no elements (shape "
                        + Tensor.describe(v.shape) + "); netsym differentiates tensors of at least one element");
            }
            outputs.add(v);
            outputNames.add(unitName(output.getName()));
        }
        if (outputs.isEmpty()) throw new ImportError("no output of the graph depends on its parameters or inputs");
        Tensor loss = objective(outputs, outputNames);
        Expr objective = loss.scalarValue();
        List<Parameter> parameters = parameters(objective);
        String name = printableName(graph.getName().isEmpty() || graph.getName().equals("torch_jit") || graph.getName().equals("main_graph")
                ? fileStem : graph.getName());
        if (writer != null) specText = writeSpec(name, outputs, outputNames, parameters, objective);
        Network network = new Network(name, inputElements, targetElements, units, objective, parameters,
                Set.of(), List.of(), List.of(), List.of(), "sgd").withGraph(new TensorGraph(unitNodes, loss.node(), 0));
        return new SpecResult(Optional.of(network), diagnostics);
    }

    private String writeSpec(String name, List<Value> outputs, List<String> outputNames, List<Parameter> parameters, Expr objective) {
        List<String> terms = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            try {
                terms.add(writer.objectiveTerm(options.loss(), outputs.get(o), options.loss() == Loss.SUM ? null : objectiveTargets.get(o)));
            } catch (SpecWriter.Unspellable e) {
                throw new ImportError("the output " + quote(outputNames.get(o))
                        + " has no spelling in the spec language (it is masked, or has more than 8 axes)");
            }
        }
        String header = "The ONNX model " + printable(fileStem) + ".onnx as a netsym spec (written by 'netsym spec'), loss "
                + options.loss().spelling + ".\nNames are the model's with '.' written '_', and indices count from 1:"
                + " PyTorch's w.weight[0,1] is w_weight[1,2] here.";
        return writer.text(name, header, parameters, terms, liveUnits(objective));
    }

    // ---- initializers and inputs ---------------------------------------------------------

    private void readInitializers(GraphProto graph) {
        for (TensorProto t : graph.getInitializerList()) {
            String name = t.getName();
            if (name.isEmpty()) throw new ImportError("an initializer has no name");
            if (values.containsKey(name)) throw new ImportError("two initializers are called " + quote(name));
            int[] shape = TensorData.shape(t, name);
            charge(Tensor.size(shape), "the initializer " + quote(name));
            double[] numbers = TensorData.numbers(t, name, external);
            if (TensorData.isFloating(t)) {
                boolean finite = true;
                for (double v : numbers) finite &= Double.isFinite(v); // −∞: an attention mask, a constant
                if (finite) {
                    // A trainable tensor: its elements are the parameters (those that reach the objective).
                    String tensorName = parameterName(name);
                    stored.put(tensorName, numbers);
                    storedShapes.put(tensorName, shape);
                    parameterTensors.add(tensorName);
                    Expr[] refs = new Expr[numbers.length];
                    for (int i = 0; i < refs.length; i++) refs[i] = new Expr.Ref(elementName(tensorName, shape, i));
                    Value value = Value.of(Tensor.named(tensorName, shape, refs, 0));
                    values.put(name, value);
                    if (writer != null) writer.parameter(tensorName, shape, value);
                    continue;
                }
            }
            values.put(name, Value.constant(shape, numbers));
        }
    }

    /**
     * PyTorch's eval-mode export with constant folding merges initializers of equal value into
     * one, reached through Identity nodes: the copies the question is about are then gone.
     */
    private void warnMergedInitializers(GraphProto graph) {
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) initializers.add(t.getName());
        List<String> aliases = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            // Only well-formed aliases: a malformed Identity is refused later, with the other node checks.
            if (node.getOpType().equals("Identity") && node.getInputCount() == 1 && node.getOutputCount() == 1
                    && initializers.contains(node.getInput(0))) {
                aliases.add(quote(node.getOutput(0)) + " = " + quote(node.getInput(0)));
            }
        }
        if (aliases.isEmpty()) return;
        diagnostics.add(Diagnostic.warning(SourcePos.NONE, "initializers are aliases of others (" + abbreviate(aliases)
                + "): the exporter merged tensors of equal value, so they cannot be told apart; export with"
                + " torch.onnx.export(..., training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)"));
    }

    private void declareInput(ValueInfoProto input) {
        String name = input.getName();
        if (!input.getType().hasTensorType()) throw new ImportError("the input " + quote(name) + " is not a tensor");
        int[] shape = inputShape(input);
        charge(TensorData.requireSize(shape, "the input " + quote(name)), "the input " + quote(name));
        int type = input.getType().getTensorType().getElemType();
        if (TensorData.isInteger(type)) {
            // Token ids: netsym reads them one-hot, so an embedding lookup is a product with the table.
            values.put(name, new TokenIds(name, shape).asValue());
            return;
        }
        if (!TensorData.isFloating(type)) {
            throw new ImportError("the input " + quote(name) + " holds " + TensorData.typeName(type) + " values; netsym reads float and integer inputs");
        }
        String unitName = freshName(name);
        Expr[] refs = new Expr[Tensor.size(shape)];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = new Expr.Ref(elementName(unitName, shape, i));
            inputElements.add(((Expr.Ref) refs[i]).name());
        }
        Value value = Value.of(Tensor.named(unitName, shape, refs, 0));
        values.put(name, value);
        if (writer != null) writer.input(unitName, shape, value);
    }

    private int[] inputShape(ValueInfoProto input) {
        String name = input.getName();
        int[] given = options.shapes().get(name);
        TensorShapeProto proto = input.getType().getTensorType().getShape();
        if (given != null) {
            if (input.getType().getTensorType().hasShape() && proto.getDimCount() != given.length) {
                throw new ImportError("--shape " + name + ": the model's input has " + proto.getDimCount() + " axes, not " + given.length);
            }
            return given;
        }
        if (!input.getType().getTensorType().hasShape()) {
            throw new ImportError("the input " + quote(name) + " has no declared shape; give it with --shape " + quote(name) + "=2x16");
        }
        if (proto.getDimCount() > TensorData.MAX_RANK) {
            throw new ImportError("the input " + quote(name) + " has " + proto.getDimCount() + " axes; netsym reads at most " + TensorData.MAX_RANK);
        }
        int[] shape = new int[proto.getDimCount()];
        StringBuilder example = new StringBuilder();
        boolean fixed = true;
        for (int d = 0; d < shape.length; d++) {
            TensorShapeProto.Dimension dim = proto.getDim(d);
            if (dim.hasDimValue() && dim.getDimValue() > 0 && dim.getDimValue() <= Integer.MAX_VALUE) {
                shape[d] = (int) dim.getDimValue();
                example.append(d == 0 ? "" : "x").append(shape[d]);
            } else {
                fixed = false;
                example.append(d == 0 ? "" : "x").append(2);
            }
        }
        if (!fixed) {
            throw new ImportError("the input " + quote(name) + " has a shape that is not fixed (" + describeDims(proto)
                    + "); give it with --shape " + printable(name) + "=" + example);
        }
        return shape;
    }

    private static String describeDims(TensorShapeProto proto) {
        StringBuilder b = new StringBuilder("[");
        for (int d = 0; d < proto.getDimCount(); d++) {
            TensorShapeProto.Dimension dim = proto.getDim(d);
            b.append(d == 0 ? "" : ",").append(dim.hasDimValue() ? String.valueOf(dim.getDimValue()) : dim.getDimParam().isEmpty() ? "?" : printable(dim.getDimParam()));
        }
        return b.append(']').toString();
    }

    /**
     * Integer token ids, read one-hot: an input of shape S becomes the 0/1 input S×V once an
     * embedding table of V rows looks it up. Claims then hold for every real-valued input of that
     * shape, so for one-hot rows too.
     */
    final class TokenIds {
        final String name;
        final int[] shape;

        TokenIds(String name, int[] shape) {
            this.name = name;
            this.shape = shape;
        }

        Value asValue() {
            tokenInputs.put(name, this);
            return Value.constant(shape, new double[Tensor.size(shape)]);
        }

        /** The one-hot input for a table of {@code rows} rows, declared on first use. */
        Tensor oneHot(int rows) {
            int[] oneHotShape = java.util.Arrays.copyOf(shape, shape.length + 1);
            oneHotShape[shape.length] = rows;
            charge(TensorData.requireSize(oneHotShape, "the one-hot input " + quote(name)), "the one-hot input " + quote(name));
            return oneHots.computeIfAbsent(name + "/" + rows, k -> {
                String unitName = freshName(name + "_onehot");
                Expr[] refs = new Expr[Tensor.size(oneHotShape)];
                for (int i = 0; i < refs.length; i++) {
                    refs[i] = new Expr.Ref(elementName(unitName, oneHotShape, i));
                    inputElements.add(((Expr.Ref) refs[i]).name());
                }
                if (writer != null) writer.input(unitName, oneHotShape, null);
                return Tensor.named(unitName, oneHotShape, refs, 0);
            });
        }
    }

    private final Map<String, TokenIds> tokenInputs = new HashMap<>();
    private final Map<String, Tensor> oneHots = new HashMap<>();

    Value value(String name) {
        return values.get(name);
    }

    ExternalData external() {
        return external;
    }

    /** The token-id input a value is, if it is one (its numbers are then placeholders). */
    TokenIds tokenIds(String valueName) {
        return tokenInputs.get(valueName);
    }

    // ---- units ---------------------------------------------------------------------------

    /**
     * A node's output as units named after it: computed elements become units, while names and
     * numbers stay as they are, so a rearrangement (reshape, transpose, slice…) adds no unit.
     */
    private Value materialise(String valueName, Value v) {
        if (v.isConstant()) return v;
        charge(v.size(), quote(valueName));
        Tensor t = v.tensor;
        boolean computed = false;
        for (int i = 0; i < t.size() && !computed; i++) computed = !(t.element(i) instanceof Expr.Ref || t.element(i) instanceof Expr.Num);
        if (!computed) return v;
        String name = unitName(valueName);
        Expr[] refs = new Expr[t.size()];
        for (int i = 0; i < t.size(); i++) {
            Expr e = t.element(i);
            boolean masked = v.masked != null && v.masked[i];
            if (e instanceof Expr.Num || masked) {
                refs[i] = e;
                continue;
            }
            String element = elementName(name, t.shape(), i);
            units.add(new Unit(element, e, SourcePos.NONE, null));
            refs[i] = new Expr.Ref(element);
        }
        unitNodes.put(name, t.node());
        Tensor named = Tensor.named(name, t.shape(), refs, 0);
        return v.masked != null ? Value.masked(named, v.masked) : Value.of(named);
    }

    /** A sink for the intermediate values of blocks (softmax's sum, a norm's mean), named owner.hint. */
    TensorBlocks blocksFor(String owner) {
        return new TensorBlocks((hint, value) -> {
            Value named = materialise(owner + "." + hint, Value.of(value));
            return named.tensor;
        });
    }

    /** A readable unit name for an ONNX value: /blocks.0/attn/MatMul_output_0 → blocks.0.attn.MatMul. */
    private String unitName(String valueName) {
        String known = renamed.get(valueName);
        if (known != null) return known;
        String name = valueName.replaceFirst("_output_0$", "").replaceFirst("^onnx::", "");
        name = name.replaceAll("^/+", "").replace('/', '.');
        String fresh = freshName(name);
        renamed.put(valueName, fresh);
        return fresh;
    }

    /** A parameter's name, as the state dict has it when it is a plain name. */
    private String parameterName(String initializer) {
        return freshName(initializer);
    }

    /** {@code wanted} made safe to print (letters, digits, '_' and '.') and unused so far. */
    private String freshName(String wanted) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < wanted.length() && b.length() < 80; i++) {
            char c = wanted.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.') ? c : '_');
        }
        String base = b.length() == 0 || Character.isDigit(b.charAt(0)) ? "v" + b : b.toString();
        String name = base;
        for (int n = 2; !takenNames.add(name); n++) name = base + "_" + n;
        return name;
    }

    /** TENSOR[i,j] with 0-based indices, as PyTorch counts; a 0-d tensor is its name. */
    static String elementName(String tensor, int[] shape, int flat) {
        return shape.length == 0 ? tensor : Tensor.elementName(tensor, shape, flat, 0);
    }

    void charge(long count, String what) {
        elements += count;
        if (count > MAX_ELEMENTS || elements > MAX_ELEMENTS) {
            throw new ImportError("the model is too large for netsym: " + what + " brings its tensors to over "
                    + String.format("%,d", MAX_ELEMENTS) + " elements in all");
        }
    }

    // ---- objective -----------------------------------------------------------------------

    private Tensor objective(List<Value> outputs, List<String> outputNames) {
        TensorBlocks blocks = blocksFor("loss");
        List<Tensor> terms = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            Tensor y = outputs.get(o).tensor;
            String yName = outputNames.get(o);
            switch (options.loss()) {
                case SUM -> terms.add(y.sumAll());
                case GENERIC -> {
                    Tensor g = target("grad_" + yName, y.shape());
                    terms.add(Tensor.elementwise("the loss", List.of(g, y), args -> Tensor.product(args.get(0), args.get(1)))
                            .sumAll());
                }
                case MSE -> {
                    Tensor t = target(yName + "_target", y.shape());
                    Tensor squares = Tensor.elementwise("the loss", List.of(y, t),
                            args -> new Expr.Power(new Expr.Sum(List.of(args.get(0), Tensor.negate(args.get(1)))), Expr.Num.of(2)));
                    terms.add(squares.meanAll());
                }
                case CROSS_ENTROPY -> {
                    if (y.isScalar()) throw new ImportError("--loss cross-entropy needs outputs of class scores, but '" + yName + "' is a single number");
                    terms.add(blocks.crossEntropy(y, target(yName + "_target", y.shape())));
                }
            }
        }
        return terms.size() == 1 ? terms.get(0) : Tensor.elementwise("the loss", terms, Tensor::sum);
    }

    private Tensor target(String wanted, int[] shape) {
        String name = freshName(wanted);
        Expr[] refs = new Expr[Tensor.size(shape)];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = new Expr.Ref(elementName(name, shape, i));
            targetElements.add(((Expr.Ref) refs[i]).name());
        }
        objectiveTargets.add(name);
        if (writer != null) writer.target(name, shape);
        return Tensor.named(name, shape, refs, 0);
    }

    // ---- parameters and their starts -----------------------------------------------------

    /**
     * The initializer elements the objective depends on, each started as stored: 0 stays 0;
     * a value shared by several elements (up to sign) starts them equal (a round number such as
     * 0.5 or 1 as itself, any other as a shared unknown named after its first holder); a value
     * no other element has is its own. {@code --init} overrides come last.
     */
    private List<Parameter> parameters(Expr objective) {
        Set<String> used = referencedNames(objective);
        List<String> names = new ArrayList<>();
        Map<String, Double> valueOf = new HashMap<>();
        for (var entry : stored.entrySet()) {
            int[] shape = storedShapes.get(entry.getKey());
            double[] numbers = entry.getValue();
            for (int i = 0; i < numbers.length; i++) {
                String element = elementName(entry.getKey(), shape, i);
                if (!used.contains(element)) continue;
                names.add(element);
                valueOf.put(element, numbers[i]);
            }
        }
        if (names.isEmpty()) throw new ImportError("the outputs depend on no initializer: the model has nothing to train");
        Map<Double, List<String>> byMagnitude = new LinkedHashMap<>();
        for (String n : names) byMagnitude.computeIfAbsent(Math.abs(valueOf.get(n)), k -> new ArrayList<>()).add(n);
        Map<String, Init> initOf = new HashMap<>();
        for (var group : byMagnitude.entrySet()) {
            double magnitude = group.getKey();
            List<String> holders = group.getValue();
            if (magnitude == 0) {
                for (String n : holders) initOf.put(n, new Init.Numeric(Rational.ZERO));
            } else if (holders.size() == 1) {
                initOf.put(holders.get(0), new Init.Random());
            } else if (isRound(magnitude)) {
                for (String n : holders) initOf.put(n, new Init.Numeric(Value.rational(valueOf.get(n))));
            } else {
                String first = holders.get(0);
                String symbol = startSymbol(first);
                Rational sign = Rational.of(valueOf.get(first) > 0 ? 1 : -1);
                for (String n : holders) initOf.put(n, new Init.Symbolic(symbol, Rational.of(valueOf.get(n) > 0 ? 1 : -1).multiply(sign)));
            }
        }
        for (InitOverride override : options.inits()) {
            boolean matched = false;
            for (String n : names) {
                String tensorName = n.indexOf('[') < 0 ? n : n.substring(0, n.indexOf('['));
                if (dev.netsym.model.Glob.matches(override.pattern(), n) || dev.netsym.model.Glob.matches(override.pattern(), tensorName)) {
                    initOf.put(n, override.init());
                    matched = true;
                }
            }
            if (!matched) throw new ImportError("--init " + override.pattern() + ": no parameter matches (the parameters are "
                    + abbreviate(new ArrayList<>(stored.keySet())) + ")");
        }
        List<Parameter> parameters = new ArrayList<>(names.size());
        for (String n : names) parameters.add(new Parameter(n, initOf.get(n), SourcePos.NONE));
        parameters.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        return parameters;
    }

    /** 0.5, 1, 0.02: a value a person wrote (at most three significant digits), not a random draw. */
    private static boolean isRound(double magnitude) {
        return Value.rational(magnitude).toString().replaceAll("[^0-9]", "").replaceAll("^0+|0+$", "").length() <= 3;
    }

    /** The start symbol of a copied value: experts.0.weight_0[1,2] for experts.0.weight[1,2]. */
    private String startSymbol(String element) {
        int bracket = element.indexOf('[');
        String base = bracket < 0 ? element : element.substring(0, bracket);
        String index = bracket < 0 ? "" : element.substring(bracket);
        String suffix = "_0";
        while (takenNames.contains(base + suffix)) suffix = "_" + suffix;
        return base + suffix + index;
    }

    /** The units the objective depends on, through other units or directly. */
    private Set<String> liveUnits(Expr objective) {
        Map<String, Unit> byName = new HashMap<>();
        for (Unit u : units) byName.put(u.name(), u);
        Set<String> live = new HashSet<>();
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        Set<Expr> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        todo.push(objective);
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (!seen.add(e)) continue;
            if (e instanceof Expr.Ref r && byName.containsKey(r.name()) && live.add(r.name())) todo.push(byName.get(r.name()).definition());
            for (Expr c : e.children()) todo.push(c);
        }
        return live;
    }

    private Set<String> referencedNames(Expr objective) {
        Set<String> names = new HashSet<>();
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        Set<Expr> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        todo.push(objective);
        for (Unit u : units) todo.push(u.definition());
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (!seen.add(e)) continue;
            if (e instanceof Expr.Ref r) names.add(r.name());
            for (Expr c : e.children()) todo.push(c);
        }
        return names;
    }

    static String describe(NodeProto node) {
        return (node.getName().isEmpty() ? "" : quote(node.getName()) + " ") + "(" + printable(node.getOpType()) + ")";
    }

    /** A name from the file, quoted for a message: see {@link #printable}. */
    static String quote(String name) {
        return "'" + printable(name) + "'";
    }

    /** The most characters of a name from the file that a message shows. */
    private static final int SHOWN_CHARACTERS = 60;

    /**
     * Text from the file made safe for a terminal: characters that could start an escape
     * sequence, reorder the line (bidi controls) or end it are shown as U+XXXX, and a long
     * name is cut short.
     */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            if (shown++ == SHOWN_CHARACTERS) return b.append("...").toString();
            int cp = text.codePointAt(i);
            if (Diagnostic.invisible(cp)) b.append(String.format("<U+%04X>", cp));
            else b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** The network's name: a graph's name from the file kept to the characters a spec's names have. */
    private static String printableName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_.]", "_");
        if (safe.length() > SHOWN_CHARACTERS) safe = safe.substring(0, SHOWN_CHARACTERS);
        return safe.isEmpty() || !Character.isLetter(safe.charAt(0)) ? "model_" + safe : safe;
    }

    /** Constants are numbers the importer computes with: NaN and +∞ (from 1/0, log of a negative …) have no place there. */
    private static void requireFinite(NodeProto node, Value v) {
        for (double x : v.numbers) {
            if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
                throw new ImportError("node " + describe(node) + " computes " + (Double.isNaN(x) ? "NaN" : "+∞")
                        + " from constants; netsym reads finite numbers (and −∞ as a mask)");
            }
        }
    }

    private static String abbreviate(List<String> items) {
        if (items.size() <= 4) return String.join(", ", items);
        return String.join(", ", items.subList(0, 4)) + " and " + (items.size() - 4) + " more";
    }

    /** Little-endian raw bytes as a buffer. */
    static ByteBuffer littleEndian(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
