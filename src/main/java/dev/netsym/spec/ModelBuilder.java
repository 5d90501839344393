package dev.netsym.spec;

import dev.netsym.model.Assumption;
import dev.netsym.model.Builtin;
import dev.netsym.model.Diagnostic;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Layer;
import dev.netsym.model.NaturalOrder;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.SourcePos;
import dev.netsym.model.SpecResult;
import dev.netsym.model.Tensor;
import dev.netsym.model.TensorBlocks;
import dev.netsym.model.TensorGraph;
import dev.netsym.model.TensorNode;
import dev.netsym.model.Unit;
import dev.netsym.spec.grammar.NetSpecParser;
import dev.netsym.spec.grammar.NetSpecParser.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Walks the parse tree into a {@link Network}: first the declarations (so units may be
 * written in any order), then the expressions, then the checks that need the whole file.
 */
final class ModelBuilder {
    static final Set<String> OPTIMIZERS =
            Set.of("sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adadelta", "adam", "adamw");
    private static final int MAX_EXPONENT_DIGITS = 1000;
    /** The largest vector or layer: far beyond what netsym can reason about, far below what exhausts memory. */
    static final int MAX_SIZE = 1_000_000;
    /**
     * The most elements a spec may expand into (vector elements, layer units, dense weights, the
     * terms of sum(...) and of products, parameters selected by init and lr lines), a parameter
     * counting {@link #PARAMETER_SURCHARGE} more: measured, a proof spends about 150 bytes per
     * element and 700 more per parameter. A dense weight with its init costs six, so networks of
     * up to about 6 million weights are read (5.9 million prove in 83 s and 5.9 GB, within the
     * default heap of a 24 GB machine), and the GPT shape of bench/ to width 208 (1.1 million
     * weights; width 224, 1.3 million, proves in 89 s and 5.4 GB), while a one-line spec cannot ask
     * for billions.
     */
    static final long MAX_ELEMENTS = 36_000_000;
    /** What a parameter costs beyond the elements that hold it: its share of a proof's memory. */
    static final int PARAMETER_SURCHARGE = 4;

    private final List<Diagnostic> diagnostics;

    private String networkName;
    private final Map<String, SourcePos> inputs = new LinkedHashMap<>();
    private final Map<String, SourcePos> targets = new LinkedHashMap<>();
    /** Vectors (input, target, layer or an indexed family of units): name → size. */
    private final Map<String, Integer> vectors = new HashMap<>();
    /** Tensors of every rank ≥ 1 (declared inputs, targets and parameters, tensor units): name → shape. */
    private final Map<String, int[]> shapes = new HashMap<>();
    /** Parameters declared with 'param NAME[shape]': name → shape ([] for a scalar). */
    private final Map<String, int[]> declaredParameters = new LinkedHashMap<>();
    /** Per unit statement, the units it became (its intermediate values first), once converted. */
    private final Map<String, List<Unit>> convertedStatements = new HashMap<>();
    private final Set<String> converting = new HashSet<>();
    /** Unit statements whose expression has an error: uses of them report nothing more. */
    private final Set<String> failedUnits = new HashSet<>();
    /** Per unit, layer or "objective": the units naming its blocks' intermediate values. */
    private final Map<String, List<Unit>> auxiliaryFor = new HashMap<>();
    /** Each unit tensor's operation on whole tensors, by the unit's name (a block's intermediates too). */
    private final Map<String, TensorNode> unitNodes = new LinkedHashMap<>();
    private final Map<String, SourcePos> activations = new LinkedHashMap<>();
    private final Map<String, UnitStmtContext> unitStatements = new LinkedHashMap<>();
    private final Map<String, SourcePos> unitPositions = new LinkedHashMap<>();
    private final Map<String, String> unitLayers = new HashMap<>();
    private final List<LayerStmtContext> layerStatements = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<ObjectiveStmtContext> objectives = new ArrayList<>();
    private final List<InitStmtContext> inits = new ArrayList<>();
    private final List<LearningRateStmtContext> learningRates = new ArrayList<>();
    private final List<DataStmtContext> dataStatements = new ArrayList<>();
    private final List<AssumeStmtContext> assumeStatements = new ArrayList<>();
    private String optimizer;
    private long elements;
    private boolean overBudget;
    /** Every compound expression the budget has counted, by identity: shared values count once. */
    private final Set<Expr> charged = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Per vector a dense layer reads: the Refs of its elements, x[1], x[2], ... */
    private final Map<String, List<Expr.Ref>> elementRefs = new HashMap<>();

    /** The shape each call's value came out with, for the tensor-level view. */
    private final Map<CallContext, int[]> callShapes = new java.util.IdentityHashMap<>();
    /** Per layer, the statement that declared it. */
    private final Map<Layer, LayerStmtContext> layerSources = new LinkedHashMap<>();

    /** Parameters in order of first appearance, with where they first appear. */
    private final Map<String, SourcePos> parameters = new LinkedHashMap<>();

    ModelBuilder(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    SpecResult build(List<StatementContext> statements) {
        chargeDeclarations(statements);
        for (int i = 0; i < statements.size(); i++) declare(statements.get(i), i == 0);
        if (hasErrors()) return failed();

        Map<String, Unit> units = new LinkedHashMap<>();
        for (LayerStmtContext layer : layerStatements) expandLayer(layer, units);
        for (String name : unitStatements.keySet()) convertUnit(name);
        // In the order written, whatever order the shapes were worked out in.
        for (String name : unitStatements.keySet()) {
            for (Unit unit : convertedStatements.getOrDefault(name, List.of())) units.put(unit.name(), unit);
        }
        Expr objective = null;
        TensorNode objectiveNode = null;
        // Units are converted first, so the parameters noted from here on appear only in the objective.
        int inUnits = parameters.size();
        if (objectives.isEmpty()) {
            SourcePos at = statements.isEmpty() ? new SourcePos(1, 1) : pos(statements.get(statements.size() - 1));
            diagnostics.add(Diagnostic.error(at, "no objective: add a line 'objective EXPR'"));
        } else {
            for (int i = 1; i < objectives.size(); i++) {
                diagnostics.add(Diagnostic.error(pos(objectives.get(i)),
                        "a second objective (the first is on line " + pos(objectives.get(0)).line() + ")"));
            }
            ObjectiveStmtContext o = objectives.get(0);
            Tensor value = new TensorConverter(null, "objective", pos(o)).sum(o.sum());
            if (!value.isScalar()) {
                String what = bareName(o.sum());
                error(o.sum(), "the objective must be a single number, but " + (what == null ? "this" : "'" + what + "'")
                        + " has shape " + Tensor.describe(value.shape()) + "; add it up with sum(...) or mean(...)");
            } else {
                chargeOperations(value, o);
            }
            objective = value.element(0);
            objectiveNode = value.node();
            for (Unit unit : auxiliaryFor.getOrDefault("objective", List.of())) units.put(unit.name(), unit);
        }
        if (hasErrors()) return failed();

        UnitGraph graph = new UnitGraph(units, diagnostics);
        List<Unit> ordered = graph.topologicalOrder();
        if (hasErrors()) return failed();
        graph.warnUnreachable(objective, parameters);
        warnLikelyMistakes(inUnits);

        Inits initOf = resolveInits();
        LearningRates rateOf = resolveLearningRates();
        List<Sample> data = resolveData();
        List<Assumption> assumptions = resolveAssumptions(initOf);
        if (hasErrors()) return failed();

        List<Parameter> params = new ArrayList<>(parameters.size());
        for (var p : parameters.entrySet()) {
            params.add(new Parameter(p.getKey(), initOf.of(p.getKey()), p.getValue(), rateOf.of(p.getKey())));
        }
        params.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        Network network = new Network(networkName == null ? Network.UNNAMED : networkName,
                List.copyOf(inputs.keySet()), List.copyOf(targets.keySet()), ordered, objective, params,
                activations.keySet(), layers, data, assumptions, optimizer == null ? "sgd" : optimizer,
                tensorView(objectives.get(0)), new TensorGraph(unitNodes, objectiveNode, 1));
        return new SpecResult(Optional.of(network), diagnostics);
    }

    /**
     * The statements on whole tensors; none when some unit is written element by element
     * ({@code h[2] = …}), which has no tensor form of its own.
     */
    private dev.netsym.model.TensorProgram tensorView(ObjectiveStmtContext objective) {
        // Without a tensor parameter there is no matrix form to show: a big scalar spec costs nothing more.
        boolean tensorParameters = !layerSources.isEmpty()
                || declaredParameters.values().stream().anyMatch(shape -> shape.length > 0);
        if (!tensorParameters) return dev.netsym.model.TensorProgram.NONE;
        Map<String, SumContext> units = new LinkedHashMap<>();
        for (var u : unitStatements.entrySet()) {
            if (!u.getValue().ref().INT().isEmpty()) return dev.netsym.model.TensorProgram.NONE;
            units.put(u.getKey(), u.getValue().sum());
        }
        Map<Layer, SumContext> layerExpressions = new LinkedHashMap<>();
        for (var l : layerSources.entrySet()) layerExpressions.put(l.getKey(), l.getValue().sum());
        return new TensorViewBuilder(this::shapeOf, t -> {
            Rational value = parseNumber(t);
            return value == null ? Rational.ZERO : value;
        }, callShapes, activations.keySet()).build(units, layerExpressions, objective.sum(), declaredParameters,
                parameters.keySet());
    }

    /**
     * Warns about parameters that are more likely a slip than a weight: 'e' (meant as Euler's
     * number), a name that differs from an input's or target's only in its number (x2 beside
     * input x1), and a name used only in the objective (a unit or target never defined). Each
     * parameter gets at most the first of these that fits.
     *
     * @param inUnits how many parameters, in order of first appearance, appear in some unit
     */
    private void warnLikelyMistakes(int inUnits) {
        Map<String, String> dataByLetters = new HashMap<>();
        for (String input : inputs.keySet()) dataByLetters.putIfAbsent(letters(baseName(input)), "input '" + baseName(input) + "'");
        for (String target : targets.keySet()) dataByLetters.putIfAbsent(letters(baseName(target)), "target '" + baseName(target) + "'");
        int index = 0;
        int shown = 0;
        for (var p : parameters.entrySet()) {
            if (shown >= SpecParser.MAX_ERRORS) break;
            String name = p.getKey();
            String data = numbered(name) ? dataByLetters.get(letters(name)) : null;
            String message = null;
            if (name.equals("e")) {
                message = "'e' is a parameter here, not Euler's number; for e^z write exp(z)";
            } else if (data != null) {
                String kind = data.substring(0, data.indexOf(' '));
                message = "parameter '" + name + "' is named like the " + data + " (the same letters, another number);"
                        + " if it is data, declare it on the '" + kind + "' line";
            } else if (index >= inUnits) {
                message = "parameter '" + name + "' appears only in the objective; if it is meant as a unit, define it"
                        + " ('" + name + " = ...'), or as data, declare it ('input " + name + "' or 'target " + name + "')";
            }
            if (message != null) {
                diagnostics.add(Diagnostic.warning(p.getValue(), message));
                shown++;
            }
            index++;
        }
    }

    /** x[3] → x; other names as they are. */
    private static String baseName(String name) {
        int bracket = name.indexOf('[');
        return bracket < 0 ? name : name.substring(0, bracket);
    }

    /** A plain name that ends in digits after at least one other character, such as x2 or w10. */
    private static boolean numbered(String name) {
        int last = name.length() - 1;
        return last > 0 && Character.isDigit(name.charAt(last)) && name.indexOf('[') < 0 && !letters(name).isEmpty();
    }

    /** The name without its trailing digits: x12 → x. */
    private static String letters(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) end--;
        return name.substring(0, end);
    }

    // ---- Pass 1: declarations ------------------------------------------------------------

    /**
     * Charges the declarations to the budget before pass 1 makes any of their elements: a spec
     * whose declarations alone are over it is refused without making the names of every element
     * up to the last one (36 million of them took 40 s and 6 GB). Each weighs what it declares
     * (a parameter {@link #PARAMETER_SURCHARGE} more); a bad size counts 0, pass 1 says why.
     */
    private void chargeDeclarations(List<StatementContext> statements) {
        for (StatementContext s : statements) {
            List<VectorDeclContext> declarations = s instanceof InputStmtContext in ? in.vectorDecl()
                    : s instanceof TargetStmtContext t ? t.vectorDecl()
                    : s instanceof ParamStmtContext p ? p.vectorDecl() : List.of();
            long weight = s instanceof ParamStmtContext ? 2L + PARAMETER_SURCHARGE : 1;
            for (VectorDeclContext v : declarations) {
                if (!charge(weight * validSize(v.INT()), v)) return;
            }
            if (s instanceof LayerStmtContext l && !charge(validSize(List.of(l.INT())), l.ident())) return;
        }
    }

    /** The elements these sizes give, or 0 when pass 1 refuses them. */
    private long validSize(List<org.antlr.v4.runtime.tree.TerminalNode> sizes) {
        long total = 1;
        for (var size : sizes) {
            int n = parseIndex(size.getSymbol());
            if (n < 1 || n > MAX_SIZE) return 0;
            total *= n;
            if (total > MAX_SIZE) return 0;
        }
        return total;
    }

    private void declare(StatementContext s, boolean first) {
        if (s instanceof NetworkStmtContext n) {
            if (!first) error(n, "'network' must be the first statement");
            else networkName = n.name.getText();
        } else if (s instanceof InputStmtContext in) {
            for (VectorDeclContext v : in.vectorDecl()) declareVector(v, inputs, "input");
        } else if (s instanceof TargetStmtContext t) {
            for (VectorDeclContext v : t.vectorDecl()) declareVector(v, targets, "target");
        } else if (s instanceof ParamStmtContext p) {
            for (VectorDeclContext v : p.vectorDecl()) declareParameter(v);
        } else if (s instanceof ActivationStmtContext a) {
            for (IdentContext id : a.ident()) {
                String name = id.getText();
                if (Builtin.byName(name).isPresent() || name.equals("dense") || TENSOR_FUNCTIONS.contains(name)) {
                    error(id, "'" + name + "' is a built-in function and cannot be declared again");
                } else if (claimName(name, pos(id), "activation")) {
                    activations.put(name, pos(id));
                }
            }
        } else if (s instanceof LayerStmtContext l) {
            declareLayer(l);
        } else if (s instanceof UnitStmtContext u) {
            String name = refName(u.ref());
            if (claimName(name, pos(u.ref()), "unit")) {
                unitStatements.put(name, u);
                unitPositions.put(name, pos(u.ref()));
                if (u.ref().INT().size() == 1) {
                    String family = u.ref().ident().getText();
                    // The index sizes the family's vector, so it obeys the same bounds as a declared size.
                    int index = parseIndex(u.ref().INT(0).getSymbol());
                    if (index < 1 || index > MAX_SIZE) {
                        error(u.ref(), "an index must be between 1 and " + MAX_SIZE);
                    } else {
                        vectors.merge(family, index, Math::max);
                    }
                }
            }
        } else if (s instanceof ObjectiveStmtContext o) {
            objectives.add(o);
        } else if (s instanceof InitStmtContext i) {
            inits.add(i);
        } else if (s instanceof LearningRateStmtContext r) {
            learningRates.add(r);
        } else if (s instanceof DataStmtContext d) {
            dataStatements.add(d);
        } else if (s instanceof AssumeStmtContext a) {
            assumeStatements.add(a);
        } else if (s instanceof OptimizerStmtContext o) {
            String name = o.ident().getText().toLowerCase();
            if (!OPTIMIZERS.contains(name)) {
                // Reported by checkStatement, with the syntax errors.
            } else if (optimizer != null) {
                error(o, "a second 'optimizer' line");
            } else {
                optimizer = name;
            }
        }
    }

    /**
     * The checks one statement needs nothing else for: the parser runs them on every statement,
     * so that their errors show together with the syntax errors and the errors of the whole file.
     */
    static void checkStatement(StatementContext s, List<Diagnostic> diagnostics) {
        if (s instanceof OptimizerStmtContext o && !OPTIMIZERS.contains(o.ident().getText().toLowerCase())) {
            diagnostics.add(Diagnostic.error(pos(o.ident()), "unknown optimizer '" + o.ident().getText() + "' (known: "
                    + String.join(", ", OPTIMIZERS.stream().sorted().toList()) + ")"));
        }
    }

    private void declareVector(VectorDeclContext v, Map<String, SourcePos> into, String kind) {
        String name = v.ident().getText();
        int[] shape = declaredShape(v);
        if (shape == null || !claimName(name, pos(v), kind) || overBudget) return;
        if (shape.length == 0) {
            into.put(name, pos(v));
            return;
        }
        registerShape(name, shape);
        for (int flat = 0, n = Tensor.size(shape); flat < n; flat++) into.put(Tensor.elementName(name, shape, flat), pos(v));
    }

    /** param W[3,4]: a tensor of parameters W[1,1] … W[3,4]; param s: a scalar one. */
    private void declareParameter(VectorDeclContext v) {
        String name = v.ident().getText();
        int[] shape = declaredShape(v);
        if (shape == null || !claimName(name, pos(v), "parameter") || overBudget) return;
        declaredParameters.put(name, shape);
        if (shape.length == 0) {
            noteParameter(name, pos(v));
            return;
        }
        registerShape(name, shape);
        for (int flat = 0, n = Tensor.size(shape); flat < n; flat++) noteParameter(Tensor.elementName(name, shape, flat), pos(v));
    }

    private void registerShape(String name, int[] shape) {
        shapes.put(name, shape);
        if (shape.length == 1) vectors.put(name, shape[0]);
    }

    /** The shape written after a name ([] when none); null, with an error, for a bad size. */
    private int[] declaredShape(VectorDeclContext v) {
        List<org.antlr.v4.runtime.tree.TerminalNode> sizes = v.INT();
        int[] shape = new int[sizes.size()];
        long total = 1;
        for (int d = 0; d < shape.length; d++) {
            shape[d] = positiveSize(sizes.get(d).getSymbol());
            if (shape[d] == 0) return null;
            total *= shape[d];
            if (total > MAX_SIZE) {
                error(v, "a tensor may have at most " + MAX_SIZE + " elements");
                return null;
            }
        }
        return shape;
    }

    private void declareLayer(LayerStmtContext l) {
        String name = l.ident().getText();
        int size = positiveSize(l.INT().getSymbol());
        if (size == 0 || !claimName(name, pos(l.ident()), "layer") || overBudget) return;
        vectors.put(name, size);
        layerStatements.add(l);
        for (int j = 1; j <= size; j++) {
            String unit = name + "[" + j + "]";
            if (unitPositions.containsKey(unit)) {
                error(l.ident(), "unit '" + unit + "' is defined twice (also by layer '" + name + "')");
            }
            unitPositions.put(unit, pos(l.ident()));
            unitLayers.put(unit, name);
        }
    }

    /** Records what a name is; a second, different use of the same name is an error. */
    private final Map<String, String> kinds = new HashMap<>();
    private final Map<String, SourcePos> kindPositions = new HashMap<>();

    private boolean claimName(String name, SourcePos at, String kind) {
        String before = kinds.get(name);
        if (before == null && unitPositions.containsKey(name)) before = "unit";
        if (before != null) {
            SourcePos first = kindPositions.getOrDefault(name, unitPositions.get(name));
            String where = first == null ? "" : " (line " + first.line() + ")";
            if (before.equals(kind)) {
                diagnostics.add(Diagnostic.error(at, kind + " '" + name + "' is defined twice" + where));
            } else {
                diagnostics.add(Diagnostic.error(at, "'" + name + "' is used as both " + article(before)
                        + " and " + article(kind) + where));
            }
            return false;
        }
        kinds.put(name, kind);
        kindPositions.put(name, at);
        return true;
    }

    private static String article(String kind) {
        return (kind.equals("input") || kind.equals("activation") ? "an " : "a ") + kind;
    }

    private int positiveSize(Token t) {
        int n = parseIndex(t);
        if (n >= 1 && n <= MAX_SIZE) return n;
        diagnostics.add(Diagnostic.error(SpecParser.pos(t), "a size must be between 1 and " + MAX_SIZE));
        return 0;
    }

    // ---- Pass 2: expressions --------------------------------------------------------------

    private void expandLayer(LayerStmtContext l, Map<String, Unit> units) {
        String name = l.ident().getText();
        int size = vectors.get(name);
        DenseCall dense = findDense(l.sum());
        if (dense == null) {
            error(l.sum(), "a layer needs dense(SOURCE) or dense(SOURCE, bias) in its expression");
            return;
        }
        int[] sourceShape = shapeOf(dense.source);
        Integer sourceSize = sourceShape != null && sourceShape.length == 1 ? sourceShape[0] : null;
        if (sourceSize == null) {
            error(dense.at, "dense(" + dense.source + "): '" + dense.source
                    + "' is not a vector (declare it as 'input " + dense.source + "[N]' or as a layer)");
            return;
        }
        if (unitLayers.containsKey(dense.source + "[1]") && name.equals(unitLayers.get(dense.source + "[1]"))) {
            error(dense.at, "layer '" + name + "' cannot feed itself");
            return;
        }
        Layer layer = new Layer(name, size, dense.source, sourceSize, dense.bias, pos(l.ident()));
        // Every unit gets its own copy of the expression and one term per source element.
        long weights = (long) size * (sourceSize + (dense.bias ? 1 : 0));
        if (!charge((long) size * (sourceSize + 1 + tokenCount(l.sum())) + PARAMETER_SURCHARGE * weights, l.ident())) return;
        layers.add(layer);
        layerSources.put(layer, l);
        int before = diagnostics.size();
        Tensor value = new TensorConverter(layer, name, pos(l.ident())).sum(l.sum());
        if (diagnostics.size() > before) return;
        if (!value.isScalar() && !(value.rank() == 1 && value.size() == size)) {
            error(l.sum(), "layer '" + name + "' has " + size + " units, but its expression has shape "
                    + Tensor.describe(value.shape()));
            return;
        }
        for (Unit unit : auxiliaryFor.getOrDefault(name, List.of())) units.put(unit.name(), unit);
        unitNodes.put(name, value.node());
        for (int j = 1; j <= size; j++) {
            Expr definition = value.element(value.isScalar() ? 0 : j - 1);
            units.put(layer.unit(j), new Unit(layer.unit(j), definition, pos(l.ident()), name));
        }
    }

    private record DenseCall(String source, boolean bias, ParserRuleContext at) {}

    /** The one dense(...) call of a layer expression, checked for its form. */
    private DenseCall findDense(ParserRuleContext tree) {
        List<CallContext> calls = new ArrayList<>();
        collectCalls(tree, "dense", calls);
        if (calls.isEmpty()) return null;
        if (calls.size() > 1) error(calls.get(1), "a layer may use dense(...) only once");
        CallContext c = calls.get(0);
        String source = bareName(c.sum(0));
        if (source == null) {
            error(c.sum(0), "dense(...) takes the name of a vector, e.g. dense(x)");
            return null;
        }
        boolean bias = false;
        if (c.sum().size() == 2) {
            if (!"bias".equals(bareName(c.sum(1)))) {
                error(c.sum(1), "the second argument of dense(...) can only be the word 'bias'");
                return null;
            }
            bias = true;
        } else if (c.sum().size() > 2) {
            error(c, "dense(...) takes a vector and optionally the word 'bias'");
            return null;
        }
        return new DenseCall(source, bias, c);
    }

    private static void collectCalls(org.antlr.v4.runtime.tree.ParseTree t, String name, List<CallContext> out) {
        if (t instanceof CallContext c && c.ident().getText().equals(name)) out.add(c);
        for (int i = 0; i < t.getChildCount(); i++) collectCalls(t.getChild(i), name, out);
    }

    /** The name if the expression is a lone identifier, else null. */
    private static String bareName(SumContext s) {
        if (s.product().size() != 1) return null;
        ProductContext p = s.product(0);
        if (p.unary().size() != 1 || p.unary(0).power() == null) return null;
        PowerContext pw = p.unary(0).power();
        if (pw.unary() != null || pw.atom().ref() == null || !pw.atom().ref().INT().isEmpty()) return null;
        return pw.atom().ref().ident().getText();
    }

    /** The functions that take whole tensors (the builtins and declared activations apply element by element). */
    static final List<String> TENSOR_FUNCTIONS = List.of("sum", "mean", "transpose", "softmax", "log_softmax",
            "logsumexp", "flatten", "layer_norm", "rms_norm", "batch_norm", "cross_entropy", "attention", "causal_attention",
            "conv1d", "conv2d", "avg_pool1d", "avg_pool2d", "max_pool1d", "max_pool2d", "reshape", "permute", "concat", "mixture");

    /**
     * Converts expressions to tensors: a number, a scalar name or an element such as W[2,3] is a
     * tensor of shape [], a bare vector or matrix name is the tensor of its elements, and
     * arithmetic applies element by element with broadcasting ({@code @} is the matrix product).
     * Inside a layer, dense(x) is the vector of the layer's weighted sums.
     */
    private final class TensorConverter {
        private final Layer layer;
        private final TensorBlocks blocks;

        /**
         * @param layer the layer being expanded, or null
         * @param owner the unit (or "objective") whose intermediate values the blocks name
         */
        TensorConverter(Layer layer, String owner, SourcePos at) {
            this.layer = layer;
            this.blocks = new TensorBlocks((hint, value) -> defineAuxiliary(owner, hint, value, at));
        }

        Tensor sum(SumContext s) {
            List<ProductContext> products = s.product();
            if (products.size() == 1) return product(products.get(0));
            List<Tensor> terms = new ArrayList<>(products.size());
            terms.add(product(products.get(0)));
            for (int i = 1; i < products.size(); i++) {
                Tensor term = product(products.get(i));
                terms.add(s.addOps.get(i - 1).getText().equals("-") && term != FAILED ? term.map(Tensor::negate) : term);
            }
            return elementwise(s, "+", terms, Expr.Sum::new);
        }

        /** a*b*c stays one product; a division or a matrix product closes the run before it. */
        private Tensor product(ProductContext p) {
            List<UnaryContext> factors = p.unary();
            List<Tensor> run = new ArrayList<>();
            run.add(unary(factors.get(0)));
            for (int i = 1; i < factors.size(); i++) {
                Tensor f = unary(factors.get(i));
                String op = p.mulOps.get(i - 1).getText();
                if (op.equals("*")) {
                    run.add(f);
                    continue;
                }
                Tensor left = multiply(p, run);
                run = new ArrayList<>();
                if (op.equals("/")) {
                    if (f.isScalar() && f.element(0) instanceof Expr.Num n && n.value().isZero()) {
                        error(factors.get(i), "division by zero");
                    }
                    run.add(elementwise(p, "/", List.of(left, f), args -> new Expr.Quotient(args.get(0), args.get(1))));
                } else {
                    run.add(matmul(factors.get(i), left, f));
                }
            }
            return multiply(p, run);
        }

        private Tensor multiply(ParserRuleContext at, List<Tensor> run) {
            return run.size() == 1 ? run.get(0) : elementwise(at, "*", run, Expr.Product::new);
        }

        private Tensor matmul(ParserRuleContext at, Tensor a, Tensor b) {
            if (a == FAILED || b == FAILED) return FAILED;
            // the terms of the sums it writes: one per element of a per column of b (a's batches
            // times b's bound those of the broadcast batch)
            int contracted = Math.max(a.rank() >= 1 ? a.shape()[a.rank() - 1] : 1, 1);
            long work = (long) Math.max(a.size(), 1) * Math.max(b.size(), 1) / contracted;
            if (!charge(Math.min(work, MAX_ELEMENTS + 1), at)) return zero();
            try {
                return Tensor.matmul(a, b);
            } catch (Tensor.ShapeException e) {
                return shapeError(at, e);
            }
        }

        private Tensor elementwise(ParserRuleContext at, String operation, List<Tensor> args,
                java.util.function.Function<List<Expr>, Expr> f) {
            if (failed(args)) return FAILED;
            boolean allScalar = true;
            for (Tensor t : args) allScalar &= t.isScalar();
            if (allScalar) {
                List<Expr> operands = new ArrayList<>(args.size());
                for (Tensor t : args) operands.add(t.element(0));
                return Tensor.scalar(f.apply(operands));
            }
            try {
                Tensor out = Tensor.elementwise(operation, args, f);
                return charge(out.size(), at) ? out : zero();
            } catch (Tensor.ShapeException e) {
                return shapeError(at, e);
            }
        }

        private Tensor unary(UnaryContext u) {
            int minuses = 0;
            while (u.power() == null) {
                minuses++;
                u = u.unary();
            }
            Tensor t = power(u.power());
            return minuses % 2 == 0 || t == FAILED ? t : t.map(Tensor::negate);
        }

        private Tensor power(PowerContext p) {
            Tensor base = atom(p.atom());
            if (p.unary() == null) return base;
            return elementwise(p, "^", List.of(base, unary(p.unary())), args -> new Expr.Power(args.get(0), args.get(1)));
        }

        private Tensor atom(AtomContext a) {
            if (a.number() != null) return Tensor.scalar(number(a.number().getStart()));
            if (a.call() != null) {
                Tensor value = call(a.call());
                // Only operations on whole tensors need their shape kept: the view shows them by name.
                if (TENSOR_FUNCTIONS.contains(a.call().ident().getText())) callShapes.put(a.call(), value.shape());
                return value;
            }
            if (a.ref() != null) return ref(a.ref());
            if (a.slice() != null) return namedSlice(a.slice());
            Tensor inside = sum(a.sum());
            if (a.indices() == null || inside == FAILED) return inside;
            return slice(a.indices(), inside, "(" + abbreviate(a.sum().getText()) + ")", SlicePositions.of(a.indices()));
        }

        private Tensor namedSlice(SliceContext s) {
            String base = s.ident().getText();
            int[] shape = shapeOf(base);
            if (shape == null && failedUnits.contains(base)) return FAILED;
            List<SlicePositions.Position> positions = SlicePositions.of(s);
            if (shape == null) {
                error(s, "'" + base + "' is not a vector or matrix; " + base + SlicePositions.written(positions) + " slices nothing");
                return zero();
            }
            return slice(s, Tensor.named(base, shape), base, positions);
        }

        /**
         * One position per axis, 1-based with both ends included as everywhere in the spec: a
         * number picks one element and drops its axis, a range keeps the axis with its elements.
         */
        private Tensor slice(ParserRuleContext at, Tensor x, String what, List<SlicePositions.Position> positions) {
            int[] shape = x.shape();
            String written = what + SlicePositions.written(positions);
            if (shape.length == 0) {
                error(at, written + ": " + what + " is a single number; only a vector or matrix can be sliced");
                return zero();
            }
            if (positions.size() != shape.length) {
                error(at, written + ": " + what + " has shape " + Tensor.describe(shape) + ", so a slice needs " + shape.length
                        + (shape.length == 1 ? " position" : " positions, one per axis,") + " not " + positions.size());
                return zero();
            }
            int[] from = new int[shape.length];
            int[] to = new int[shape.length];
            boolean fits = true;
            for (int d = 0; d < shape.length; d++) {
                SlicePositions.Position p = positions.get(d);
                from[d] = !p.range() ? parseIndex(p.single()) : p.from() == null ? 1 : parseIndex(p.from());
                to[d] = !p.range() ? from[d] : p.to() == null ? shape[d] : parseIndex(p.to());
                String axis = shape.length == 1 ? "" : " of axis " + (d + 1);
                if (from[d] < 1 || to[d] > shape[d] || to[d] < 1 || from[d] > shape[d]) {
                    errorAt(p.start(), written + ": " + p.text() + " is outside " + what + " of shape " + Tensor.describe(shape)
                            + " (positions" + axis + " are 1 to " + shape[d] + ")");
                    fits = false;
                } else if (from[d] > to[d]) {
                    errorAt(p.start(), written + ": the range " + p.text() + axis + " is empty (a range a:b runs from a up to b, both included)");
                    fits = false;
                }
            }
            if (!fits) return zero();
            Tensor out = x;
            // From the last axis back, so that dropping an axis leaves the earlier ones where they were.
            for (int d = shape.length - 1; d >= 0; d--) {
                if (!positions.get(d).range()) out = out.take(d, new int[0], new int[] {from[d] - 1});
                else if (from[d] != 1 || to[d] != shape[d]) out = out.slice(d, from[d] - 1, to[d], 1);
            }
            return charge(out.size(), at) ? out : zero();
        }

        /** concat(A, B, …) along the last axis, or along the axis written last as a whole number. */
        private Tensor concat(CallContext c, List<SumContext> args) {
            int count = args.size();
            SumContext axisArgument = null;
            if (count >= 2 && args.get(count - 1).getText().matches("-?[0-9]+")) {
                axisArgument = args.get(count - 1);
                count--;
            }
            if (count < 2) {
                error(c, "concat takes two tensors or more, then the axis if not the last (concat(A, B) or concat(A, B, 1)), not "
                        + count + (count == 1 ? " tensor" : " tensors"));
                return zero();
            }
            List<Tensor> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) parts.add(sum(args.get(i)));
            if (failed(parts)) return FAILED;
            boolean fits = true;
            for (int i = 0; i < count; i++) {
                if (parts.get(i).isScalar()) {
                    error(args.get(i), "concat: argument " + (i + 1) + " is a single number; concat joins vectors and matrices");
                    fits = false;
                }
            }
            if (!fits) return zero();
            Tensor first = parts.get(0);
            Integer axis = axisArgument == null ? Integer.valueOf(first.rank() - 1) : axis(axisArgument, first);
            if (axis == null) return zero();
            for (int i = 1; i < count; i++) {
                int[] a = first.shape();
                int[] b = parts.get(i).shape();
                boolean same = a.length == b.length;
                for (int d = 0; same && d < a.length; d++) same = d == axis || a[d] == b[d];
                if (!same) {
                    error(args.get(i), "concat along axis " + (axis + 1) + ": argument " + (i + 1) + " has shape " + Tensor.describe(b)
                            + ", argument 1 " + Tensor.describe(a) + (a.length == b.length
                                    ? "; every axis but " + (axis + 1) + " must agree"
                                    : "; they must have the same number of axes"));
                    fits = false;
                }
            }
            if (!fits) return zero();
            Tensor out = Tensor.concatenate(axis, parts);
            return charge(out.size(), c) ? out : zero();
        }

        /**
         * mixture(G, E1, …, En): the experts weighed by the softmax of the router's scores G along
         * its last axis, one score per expert; G's other axes lead the experts' shape.
         */
        private Tensor mixture(CallContext c, List<SumContext> args) {
            if (args.size() < 3) {
                error(c, "mixture takes the router's scores and two experts or more (mixture(G, E1, E2)), not "
                        + args.size() + (args.size() == 1 ? " argument" : " arguments"));
                return zero();
            }
            List<Tensor> values = new ArrayList<>(args.size());
            for (SumContext a : args) values.add(sum(a));
            if (failed(values)) return FAILED;
            Tensor scores = values.get(0);
            List<Tensor> experts = values.subList(1, values.size());
            boolean fits = true;
            if (scores.isScalar()) {
                error(args.get(0), "mixture: the router's scores are a single number; give one score per expert (a vector of "
                        + experts.size() + ")");
                return zero();
            }
            int[] g = scores.shape();
            if (g[g.length - 1] != experts.size()) {
                error(args.get(0), "mixture: the router's scores have shape " + Tensor.describe(g) + ", " + g[g.length - 1]
                        + " along the last axis, but " + experts.size() + " experts are given: one score per expert");
                fits = false;
            }
            int[] e = experts.get(0).shape();
            for (int k = 1; k < experts.size(); k++) {
                if (!Arrays.equals(experts.get(k).shape(), e)) {
                    error(args.get(k + 1), "mixture: expert " + (k + 1) + " has shape " + Tensor.describe(experts.get(k).shape())
                            + ", expert 1 " + Tensor.describe(e) + "; the experts must have one shape");
                    fits = false;
                }
            }
            int[] leading = Arrays.copyOf(g, g.length - 1);
            if (leading.length > e.length || !Arrays.equals(leading, Arrays.copyOf(e, leading.length))) {
                error(args.get(0), "mixture: the router's scores have shape " + Tensor.describe(g) + ", so the experts' shape must begin with "
                        + Tensor.describe(leading) + " (one set of weights per leading index), but expert 1 has shape " + Tensor.describe(e));
                fits = false;
            }
            if (!fits) return zero();
            Tensor out = blocks.mixture(scores, experts);
            return charge(out.size(), c) ? out : zero();
        }

        private Expr number(Token t) {
            Rational value = parseNumber(t);
            return new Expr.Num(value == null ? Rational.ZERO : value);
        }

        private Tensor call(CallContext c) {
            String name = c.ident().getText();
            List<SumContext> args = c.sum();
            if (name.equals("dense")) {
                if (layer == null) {
                    error(c, "dense(...) can only be used in a 'layer' statement");
                    return zero();
                }
                return denseSums();
            }
            if (name.equals("concat")) return concat(c, args);
            if (name.equals("mixture")) return mixture(c, args);
            if (TENSOR_FUNCTIONS.contains(name)) return tensorFunction(c, name, args);
            Optional<Builtin> builtin = Builtin.byName(name);
            int arity;
            if (builtin.isPresent()) {
                arity = builtin.get().arity();
            } else if (activations.containsKey(name)) {
                arity = 1;
            } else {
                error(c.ident(), "unknown function '" + name + "' (known: " + String.join(", ", Builtin.specNames())
                        + "; on tensors: " + String.join(", ", TENSOR_FUNCTIONS)
                        + "; declare your own with 'activation " + name + "')");
                return zero();
            }
            if (args.size() != arity) {
                error(c, name + " takes " + arity + (arity == 1 ? " argument" : " arguments") + ", not " + args.size());
                return zero();
            }
            List<Tensor> converted = new ArrayList<>(args.size());
            for (SumContext s : args) converted.add(sum(s));
            return elementwise(c, name, converted, operands -> new Expr.Call(name, operands));
        }

        private Tensor tensorFunction(CallContext c, String name, List<SumContext> args) {
            int[] arities = switch (name) {
                case "sum", "mean", "softmax", "log_softmax", "logsumexp" -> new int[] {1, 2};
                case "transpose", "flatten" -> new int[] {1, 1};
                case "layer_norm", "batch_norm" -> new int[] {1, 3};
                case "rms_norm" -> new int[] {1, 2};
                case "cross_entropy", "avg_pool1d", "avg_pool2d" -> new int[] {2, 2};
                case "max_pool1d", "max_pool2d" -> new int[] {2, 3};
                case "reshape", "permute" -> new int[] {2, 9};
                case "conv1d", "conv2d" -> new int[] {2, 4};
                default -> new int[] {3, 4};
            };
            if (args.size() < arities[0] || args.size() > arities[1]) {
                String count = arities[0] == arities[1] ? String.valueOf(arities[0]) : arities[0] + " to " + arities[1];
                error(c, name + " takes " + count + (count.equals("1") ? " argument" : " arguments") + ", not " + args.size()
                        + " (netsym help spec lists the functions)");
                return zero();
            }
            boolean axisArgument = arities[1] == 2 && arities[0] == 1 && !name.equals("rms_norm");
            Tensor x = sum(args.get(0));
            if (x == FAILED) return FAILED;
            if (axisArgument) {
                if (name.equals("sum") && x.isScalar() && args.size() == 1) {
                    error(args.get(0), "sum(...) needs a vector in its argument, e.g. sum(y) or sum((y - t)^2)");
                    return zero();
                }
                Integer axis = args.size() == 2 ? axis(args.get(1), x) : null;
                if (args.size() == 2 && axis == null) return zero();
                if (axis == null && x.isScalar()) axis = -1;
                int along = axis == null ? x.rank() - 1 : axis;
                try {
                    return switch (name) {
                        case "sum" -> args.size() == 1 ? x.sumAll() : x.sum(along);
                        case "mean" -> args.size() == 1 ? x.meanAll() : x.mean(along);
                        case "softmax" -> blocks.softmax(x, requireAxis(c, x, along));
                        case "log_softmax" -> blocks.logSoftmax(x, requireAxis(c, x, along));
                        default -> blocks.logSumExp(x, requireAxis(c, x, along));
                    };
                } catch (Tensor.ShapeException e) {
                    return shapeError(c, e);
                }
            }
            // Sizes (a stride, a window, a number of heads) are whole numbers written out.
            int firstSize = switch (name) {
                case "conv1d", "conv2d", "attention", "causal_attention" -> name.startsWith("conv") ? 2 : 3;
                case "avg_pool1d", "avg_pool2d", "max_pool1d", "max_pool2d", "reshape", "permute" -> 1;
                default -> args.size();
            };
            List<Tensor> rest = new ArrayList<>();
            for (int i = 1; i < Math.min(firstSize, args.size()); i++) rest.add(sum(args.get(i)));
            if (failed(rest)) return FAILED;
            List<Integer> sizes = new ArrayList<>();
            for (int i = firstSize; i < args.size(); i++) {
                boolean padding = name.startsWith("conv") && i == 3;
                Integer size = wholeNumber(args.get(i), padding ? 0 : 1);
                if (size == null) return FAILED;
                sizes.add(size);
            }
            try {
                return switch (name) {
                    case "transpose" -> x.transpose();
                    case "flatten" -> x.reshape(new int[] {x.size()});
                    case "conv1d", "conv2d" -> {
                        int spatial = name.equals("conv1d") ? 1 : 2;
                        if (rest.get(0).rank() != spatial + 2) {
                            throw new Tensor.ShapeException(name + " takes a kernel [out channels, in channels, "
                                    + (spatial == 2 ? "kh, kw" : "k") + "], not one of shape " + Tensor.describe(rest.get(0).shape()));
                        }
                        Tensor out = Tensor.convolution(x, rest.get(0), sizes.isEmpty() ? 1 : sizes.get(0), sizes.size() < 2 ? 0 : sizes.get(1));
                        if (!charge(out.size() * (long) rest.get(0).size() / Math.max(1, rest.get(0).shape()[0]), c)) yield FAILED;
                        yield out;
                    }
                    case "avg_pool1d", "avg_pool2d" -> x.averagePool(name.equals("avg_pool1d") ? 1 : 2, sizes.get(0));
                    case "max_pool1d", "max_pool2d" -> x.maxPool(name.equals("max_pool1d") ? 1 : 2, sizes.get(0),
                            sizes.size() < 2 ? sizes.get(0) : sizes.get(1));
                    case "reshape" -> {
                        int[] shape = sizes.stream().mapToInt(Integer::intValue).toArray();
                        if (Tensor.size(shape) != x.size()) {
                            throw new Tensor.ShapeException("reshape: " + Tensor.describe(x.shape()) + " has " + x.size() + " elements, "
                                    + Tensor.describe(shape) + " has " + Tensor.size(shape));
                        }
                        yield x.reshape(shape);
                    }
                    case "permute" -> {
                        int[] order = new int[sizes.size()];
                        boolean[] seen = new boolean[x.rank()];
                        for (int d = 0; d < order.length; d++) {
                            order[d] = sizes.get(d) - 1;
                            if (order.length != x.rank() || order[d] >= x.rank() || seen[order[d]]) {
                                throw new Tensor.ShapeException("permute: " + sizes + " is not an order of the " + x.rank()
                                        + " axes of " + Tensor.describe(x.shape()) + " (write each axis 1 to " + x.rank() + " once)");
                            }
                            seen[order[d]] = true;
                        }
                        yield x.permute(order);
                    }
                    case "batch_norm" -> blocks.batchNorm(x, rest.isEmpty() ? null : rest.get(0), rest.size() < 2 ? null : rest.get(1));
                    case "layer_norm" -> blocks.layerNorm(x, rest.isEmpty() ? null : rest.get(0), rest.size() < 2 ? null : rest.get(1));
                    case "rms_norm" -> blocks.rmsNorm(x, rest.isEmpty() ? null : rest.get(0));
                    case "cross_entropy" -> blocks.crossEntropy(x, rest.get(0));
                    default -> blocks.multiHeadAttention(x, rest.get(0), rest.get(1), sizes.isEmpty() ? 1 : sizes.get(0),
                            name.equals("causal_attention"));
                };
            } catch (Tensor.ShapeException e) {
                return shapeError(c, e);
            }
        }

        private int requireAxis(ParserRuleContext at, Tensor x, int axis) {
            if (x.isScalar()) throw new Tensor.ShapeException("it takes a vector or a matrix, not a single number");
            return axis;
        }

        /** A whole number written out, at least {@code least}; null after an error. */
        private Integer wholeNumber(SumContext s, int least) {
            try {
                int n = Integer.parseInt(s.getText());
                if (n >= least && n <= MAX_SIZE) return n;
            } catch (NumberFormatException e) {
                // reported below
            }
            error(s, "expected a whole number " + (least == 0 ? "(0 or more)" : "(1 or more)") + " here, not '" + s.getText() + "'");
            return null;
        }

        /** An axis as written (1 is the first, -1 the last), 0-based; null after an error. */
        private Integer axis(SumContext s, Tensor of) {
            String text = s.getText();
            int axis;
            try {
                axis = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                error(s, "an axis is a whole number: 1 for the first, -1 for the last");
                return null;
            }
            int rank = of.rank();
            if (axis == 0 || axis > rank || axis < -rank) {
                error(s, "axis " + text + " does not exist in a tensor of shape " + Tensor.describe(of.shape())
                        + (rank == 0 ? "" : " (axes are 1 to " + rank + ", or -1 to -" + rank + " from the last)"));
                return null;
            }
            return axis > 0 ? axis - 1 : rank + axis;
        }

        /** The layer's weighted sums: unit j's is Σ W[j,i]·x[i] (+ b[j]). */
        private Tensor denseSums() {
            // The layer's units share one Ref per source element: a million weights, not a million copies of x[i].
            List<Expr.Ref> sourceElements = elementRefs.computeIfAbsent(layer.source(), v -> {
                List<Expr.Ref> refs = new ArrayList<>(layer.sourceSize());
                for (int i = 1; i <= layer.sourceSize(); i++) refs.add(new Expr.Ref(v + "[" + i + "]"));
                return refs;
            });
            Expr[] sums = new Expr[layer.size()];
            for (int j = 1; j <= layer.size(); j++) {
                List<Expr> terms = new ArrayList<>(layer.sourceSize() + 1);
                for (int i = 1; i <= layer.sourceSize(); i++) {
                    String weight = layer.weight(j, i);
                    noteParameter(weight, layer.pos());
                    terms.add(new Expr.Product(List.of(new Expr.Ref(weight), sourceElements.get(i - 1))));
                }
                if (layer.bias()) {
                    noteParameter(layer.bias(j), layer.pos());
                    terms.add(new Expr.Ref(layer.bias(j)));
                }
                sums[j - 1] = new Expr.Sum(terms);
            }
            int[] shape = {layer.size()};
            TensorNode node = new TensorNode.MatMul(shape, new TensorNode.Named("W_" + layer.name(), new int[] {layer.size(), layer.sourceSize()}, 1),
                    new TensorNode.Named(layer.source(), new int[] {layer.sourceSize()}, 1), layer.size(), layer.sourceSize(), 1,
                    new int[1], new int[1]);
            if (layer.bias()) {
                Expr sum = new Expr.Sum(List.of(TensorNode.operand(0), TensorNode.operand(1)));
                node = new TensorNode.Map(shape, sum, List.of(node, new TensorNode.Named("b_" + layer.name(), shape, 1)));
            }
            return Tensor.of(shape, sums, node);
        }

        private Tensor ref(RefContext r) {
            String base = r.ident().getText();
            // INT() builds a fresh list on every call: read it once (a big spec has a million refs).
            List<org.antlr.v4.runtime.tree.TerminalNode> ints = r.INT();
            int[] shape = shapeOf(base);
            if (shape == null && failedUnits.contains(base)) return FAILED;
            if (ints.isEmpty()) {
                if (shape != null) return Tensor.named(base, shape);
                if (activations.containsKey(base)) {
                    error(r, "'" + base + "' is an activation; call it as " + base + "(...)");
                    return zero();
                }
                noteIfParameter(base, pos(r));
                return Tensor.scalar(new Expr.Ref(base));
            }
            String name = refName(base, ints);
            if (shape == null && (kinds.containsKey(base) || unitPositions.containsKey(base))) {
                // Without this, x[5] for a scalar input x silently became a new parameter.
                error(r, "'" + base + "' is not a vector; " + name + " does not exist");
                return zero();
            }
            if (shape != null) {
                if (ints.size() != shape.length && shape.length == 1) {
                    error(r, "'" + base + "' is a vector; index it with one number, as " + base + "[i]");
                    return zero();
                }
                if (ints.size() != shape.length) {
                    error(r, "'" + base + "' has shape " + Tensor.describe(shape) + "; index it with " + shape.length
                            + (shape.length == 1 ? " number, as " + base + "[i]" : " numbers, as " + base + indexPattern(shape.length)));
                    return zero();
                }
                for (int d = 0; d < shape.length; d++) {
                    int i = parseIndex(ints.get(d).getSymbol());
                    if (i < 1 || i > shape[d]) {
                        String has = shape.length == 1 ? shape[0] + " elements" : "shape " + Tensor.describe(shape);
                        error(r, "'" + base + "' has " + has + "; " + name + " does not exist");
                        return zero();
                    }
                }
            }
            noteIfParameter(name, pos(r));
            return Tensor.scalar(new Expr.Ref(name));
        }
    }

    private static String indexPattern(int rank) {
        List<String> letters = new ArrayList<>();
        for (int d = 0; d < rank; d++) letters.add(String.valueOf((char) ('i' + d)));
        return "[" + String.join(",", letters) + "]";
    }

    /**
     * What an expression with an error stands for: every operation on it gives it back without
     * a further message, so that one mistake is reported once, not again at each use.
     */
    private static final Tensor FAILED = Tensor.scalar(Expr.Num.of(0));

    private static Tensor zero() {
        return FAILED;
    }

    private static boolean failed(List<Tensor> values) {
        for (Tensor t : values) if (t == FAILED) return true;
        return false;
    }

    private Tensor shapeError(ParserRuleContext at, Tensor.ShapeException e) {
        error(at, e.getMessage());
        return FAILED;
    }

    /**
     * The shape of a named tensor (vector or matrix input, target, parameter, layer, family of
     * units, or a unit whose expression is a tensor), converting that unit first when needed;
     * null for a scalar or an unknown name.
     */
    private int[] shapeOf(String name) {
        int[] shape = shapes.get(name);
        if (shape != null) return shape;
        Integer size = vectors.get(name);
        if (size != null) return new int[] {size};
        UnitStmtContext statement = unitStatements.get(name);
        if (statement != null && statement.ref().INT().isEmpty()) {
            convertUnit(name);
            return shapes.get(name);
        }
        return null;
    }

    /**
     * Converts a unit statement once; a unit whose expression is a tensor becomes one unit per
     * element (h[1], h[2] …). A unit met again while it is being converted is part of a cycle,
     * which the unit graph reports; it is left scalar here.
     */
    private void convertUnit(String name) {
        if (convertedStatements.containsKey(name) || !converting.add(name)) return;
        UnitStmtContext u = unitStatements.get(name);
        List<Unit> produced = new ArrayList<>();
        auxiliaryFor.put(name, produced);
        SourcePos at = pos(u.ref());
        int errorsBefore = diagnostics.size();
        Tensor value = new TensorConverter(null, name, at).sum(u.sum());
        converting.remove(name);
        if (!chargeOperations(value, u)) value = zero();
        // a unit past the size budget fails too: its uses must not report a shape it never had
        if (value == FAILED || diagnostics.size() > errorsBefore) failedUnits.add(name);
        List<Unit> defined = new ArrayList<>(produced);
        unitNodes.put(name, value.node());
        if (value.isScalar()) {
            defined.add(new Unit(name, value.element(0), at, null));
        } else if (!u.ref().INT().isEmpty()) {
            error(u.sum(), "'" + name + "' is one element, but its expression has shape " + Tensor.describe(value.shape()));
        } else {
            defined.addAll(tensorUnits(name, value, at));
        }
        convertedStatements.put(name, defined);
    }

    /** Units for each element of a tensor, registered so later references see its shape. */
    private List<Unit> tensorUnits(String name, Tensor value, SourcePos at) {
        int[] shape = value.shape();
        shapes.put(name, shape);
        if (shape.length == 1) vectors.put(name, shape[0]);
        List<Unit> out = new ArrayList<>(value.size());
        for (int flat = 0; flat < value.size(); flat++) {
            String element = Tensor.elementName(name, shape, flat);
            unitPositions.put(element, at);
            out.add(new Unit(element, value.element(flat), at, null));
        }
        return out;
    }

    /** An intermediate value of a block (softmax's normaliser …), named owner.hint, then owner.hint2 …. */
    private Tensor defineAuxiliary(String owner, String hint, Tensor value, SourcePos at) {
        String name = owner + "." + hint;
        for (int n = 2; unitPositions.containsKey(name) || shapes.containsKey(name); n++) name = owner + "." + hint + n;
        List<Unit> into = auxiliaryFor.computeIfAbsent(owner, k -> new ArrayList<>());
        if (value.isScalar()) {
            if (value.element(0) instanceof Expr.Num) return value;
            unitNodes.put(name, value.node());
            unitPositions.put(name, at);
            into.add(new Unit(name, value.element(0), at, null));
            return Tensor.scalar(new Expr.Ref(name));
        }
        // Constant elements (the masked entries of causal attention) stay numbers: a unit that is
        // always 0 would only be noise.
        int[] shape = value.shape();
        registerShape(name, shape);
        Expr[] refs = new Expr[value.size()];
        for (int flat = 0; flat < value.size(); flat++) {
            Expr e = value.element(flat);
            if (e instanceof Expr.Num) {
                refs[flat] = e;
                continue;
            }
            String element = Tensor.elementName(name, shape, flat);
            unitPositions.put(element, at);
            into.add(new Unit(element, e, at, null));
            refs[flat] = new Expr.Ref(element);
        }
        unitNodes.put(name, value.node());
        return Tensor.named(name, shape, refs);
    }

    private void noteIfParameter(String name, SourcePos at) {
        if (inputs.containsKey(name) || targets.containsKey(name) || unitPositions.containsKey(name)) return;
        noteParameter(name, at);
    }

    private void noteParameter(String name, SourcePos at) {
        parameters.putIfAbsent(name, at);
    }

    private int parseIndex(Token t) {
        try {
            return Integer.parseInt(t.getText());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A number literal as an exact rational, or null (with an error) when it is absurd. */
    private Rational parseNumber(Token t) {
        String text = t.getText();
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        if (text.length() > MAX_EXPONENT_DIGITS || (e >= 0 && exponentTooLarge(text.substring(e + 1)))) {
            diagnostics.add(Diagnostic.error(SpecParser.pos(t), "the number " + abbreviate(text)
                    + " is too large or too precise (at most " + MAX_EXPONENT_DIGITS + " digits)"));
            return null;
        }
        return Rational.parse(text);
    }

    private static boolean exponentTooLarge(String exponent) {
        String digits = exponent.replace("+", "").replace("-", "");
        return digits.length() > 4 || Integer.parseInt(digits) > MAX_EXPONENT_DIGITS;
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 20) + "...";
    }

    private Rational signedNumber(SignedNumberContext s) {
        List<Token> numbers = new ArrayList<>();
        for (int i = 0; i < s.getChildCount(); i++) {
            if (s.getChild(i) instanceof org.antlr.v4.runtime.tree.TerminalNode tn) {
                int type = tn.getSymbol().getType();
                if (type == NetSpecParser.NUMBER || type == NetSpecParser.INT) numbers.add(tn.getSymbol());
            }
        }
        Rational value = parseNumber(numbers.get(0));
        if (value == null) return null;
        if (numbers.size() == 2) {
            Rational d = parseNumber(numbers.get(1));
            if (d == null) return null;
            if (d.isZero()) {
                diagnostics.add(Diagnostic.error(SpecParser.pos(numbers.get(1)), "division by zero"));
                return null;
            }
            value = value.divide(d);
        }
        return s.getStart().getText().equals("-") ? value.negate() : value;
    }

    // ---- Whole-file checks -----------------------------------------------------------------

    /**
     * How parameters start: the value of the last 'init all' line for every parameter, unless
     * a later line names it. Keeping 'all' as one value spares a map of a million entries.
     */
    private record Inits(Init all, Map<String, Init> byName, int parameterCount) {
        Init of(String parameter) {
            Init init = byName.get(parameter);
            if (init != null) return init;
            return all != null ? all : new Init.Random();
        }

        /** The inits some parameter really has. */
        Collection<Init> used() {
            List<Init> used = new ArrayList<>(byName.values());
            if (all != null && byName.size() < parameterCount) used.add(all);
            return used;
        }
    }

    private Inits resolveInits() {
        Map<String, Init> initOf = new HashMap<>();
        // Parameter → the parameter whose start it copies (init E2 = E1), resolved after every line.
        Map<String, String> copyOf = new LinkedHashMap<>();
        Init all = null;
        for (InitStmtContext line : inits) {
            String source = copySource(line.initValue());
            if (source != null) {
                copyStarts(line, source, initOf, copyOf);
                continue;
            }
            Init value = initValue(line.initValue());
            if (value == null) continue;
            List<String> selected = new ArrayList<>();
            if (line.selector().ALL() != null) {
                if (!charge(parameters.size(), line)) break;
                initOf.clear();
                copyOf.clear();
                all = value;
            } else {
                for (SelectorItemContext item : line.selector().selectorItem()) {
                    // Each pattern is tried against every parameter.
                    if (!charge(parameters.size(), item)) break;
                    selected.addAll(selectedBy(item, "init"));
                }
            }
            for (String p : selected) {
                initOf.put(p, value);
                copyOf.remove(p);
            }
        }
        Inits resolved = new Inits(all, initOf, parameters.size());
        for (var copy : copyOf.entrySet()) {
            String source = copy.getValue();
            Set<String> seen = new HashSet<>(List.of(copy.getKey()));
            while (copyOf.containsKey(source) && seen.add(source)) source = copyOf.get(source);
            if (copyOf.containsKey(source)) {
                error(inits.get(0), "the copies '" + copy.getKey() + " = " + copy.getValue() + "' … form a cycle:"
                        + " some parameter in it must start at a value");
                break;
            }
            Init start = resolved.of(source);
            if (start instanceof Init.Random) {
                // Two parameters that start at one random value start at one unknown: a symbol of its own.
                start = new Init.Symbolic(freshStartSymbol(source));
                initOf.put(source, start);
            }
            initOf.put(copy.getKey(), start);
        }
        return resolved;
    }

    /**
     * Each parameter's learning rate as a multiple of the optimiser's: the factor of the last 'lr'
     * line that selects it, else 1. As with inits, 'lr all' is kept as one value.
     */
    private record LearningRates(Rational all, Map<String, Rational> byName) {
        Rational of(String parameter) {
            return byName.getOrDefault(parameter, all);
        }
    }

    private LearningRates resolveLearningRates() {
        Map<String, Rational> rateOf = new HashMap<>();
        Rational all = Rational.ONE;
        for (LearningRateStmtContext line : learningRates) {
            // The selector is checked even when the rate is wrong, so that one run reports both.
            boolean everyParameter = line.selector().ALL() != null;
            List<String> selected = new ArrayList<>();
            if (everyParameter) {
                if (!charge(parameters.size(), line)) break;
            } else {
                for (SelectorItemContext item : line.selector().selectorItem()) {
                    // Each pattern is tried against every parameter.
                    if (!charge(parameters.size(), item)) break;
                    selected.addAll(selectedBy(item, "lr"));
                }
            }
            Rational rate = signedNumber(line.signedNumber());
            if (rate == null) continue;
            if (rate.signum() <= 0) {
                error(line.signedNumber(), "a learning rate must be positive, not " + line.signedNumber().getText()
                        + " (it multiplies the optimizer's learning rate)");
                continue;
            }
            if (everyParameter) {
                rateOf.clear();
                all = rate;
            }
            for (String p : selected) rateOf.put(p, rate);
        }
        return new LearningRates(all, rateOf);
    }

    /** The tensor or parameter named by 'init X = NAME', when NAME is a parameter (a copy), else null. */
    private String copySource(InitValueContext v) {
        ScaledSymbolContext scaled = v.scaledSymbol();
        if (scaled == null || scaled.neg != null || scaled.scale != null || scaled.divisor != null) return null;
        String name = scaled.ident().getText();
        return declaredParameters.containsKey(name) || parameters.containsKey(name) ? name : null;
    }

    /** init E2 = E1: every element of each selected tensor starts where E1's element at the same index starts. */
    private void copyStarts(InitStmtContext line, String source, Map<String, Init> initOf, Map<String, String> copyOf) {
        if (line.selector().ALL() != null) {
            error(line.selector(), "'init all = " + source + "' would copy " + source + " into every parameter; name the"
                    + " tensors that start as copies of it");
            return;
        }
        int[] sourceShape = declaredParameters.getOrDefault(source, new int[0]);
        for (SelectorItemContext item : line.selector().selectorItem()) {
            String target = item.getText();
            int[] targetShape = declaredParameters.get(target);
            if (targetShape == null && parameters.containsKey(target)) targetShape = new int[0];
            if (targetShape == null) {
                error(item, "'" + target + "' is not a parameter; a copy ('init " + target + " = " + source
                        + "') names a whole parameter or tensor of parameters");
                continue;
            }
            if (target.equals(source)) {
                error(item, "'" + target + "' cannot start as a copy of itself");
                continue;
            }
            if (!java.util.Arrays.equals(targetShape, sourceShape)) {
                error(item, "'" + target + "' has shape " + Tensor.describe(targetShape) + " but '" + source
                        + "' has shape " + Tensor.describe(sourceShape) + ": a copy needs the same shape");
                continue;
            }
            for (int flat = 0, n = Tensor.size(targetShape); flat < n; flat++) {
                String element = targetShape.length == 0 ? target : Tensor.elementName(target, targetShape, flat);
                String from = sourceShape.length == 0 ? source : Tensor.elementName(source, sourceShape, flat);
                copyOf.put(element, from);
                initOf.remove(element);
            }
        }
    }

    /** A start symbol for a random value two parameters share: E1_0[2,3] for E1[2,3], never a name in use. */
    private String freshStartSymbol(String parameter) {
        int bracket = parameter.indexOf('[');
        String base = bracket < 0 ? parameter : parameter.substring(0, bracket);
        String index = bracket < 0 ? "" : parameter.substring(bracket);
        String suffix = "_0";
        while (kinds.containsKey(base + suffix) || parameters.containsKey(base + suffix + index)
                || shapes.containsKey(base + suffix)) {
            suffix = "_" + suffix;
        }
        return base + suffix + index;
    }

    /** The parameters one item of a selector names; an error when it names none. */
    private List<String> selectedBy(SelectorItemContext item, String keyword) {
        String pattern = item.getText();
        List<String> matched = matching(pattern);
        if (matched.isEmpty()) {
            String hint = kinds.containsKey(pattern) || unitPositions.containsKey(pattern)
                    ? " ('" + pattern + "' is not a parameter)" : "";
            error(item, keyword + " selector '" + pattern + "' matches no parameter" + hint);
        }
        return matched;
    }

    private List<String> matching(String pattern) {
        int[] shape = declaredParameters.get(pattern);
        if (shape != null && shape.length > 0) {
            List<String> elements = new ArrayList<>(Tensor.size(shape));
            for (int flat = 0, n = Tensor.size(shape); flat < n; flat++) elements.add(Tensor.elementName(pattern, shape, flat));
            return elements;
        }
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return parameters.containsKey(pattern) ? List.of(pattern) : List.of();
        }
        return parameters.keySet().stream().filter(name -> dev.netsym.model.Glob.matches(pattern, name)).toList();
    }

    /**
     * Whether the glob ('*' any run, '?' one character) matches all of name. It backtracks only to
     * the latest '*', so it takes at most pattern-length times name-length steps; the regex it
     * replaces backtracked exponentially on patterns such as '*a*a*a*a*a*b'.
     */
    private Init initValue(InitValueContext v) {
        if (v.RANDOM() != null) return new Init.Random();
        if (v.signedNumber() != null) {
            Rational r = signedNumber(v.signedNumber());
            if (r == null) return null;
            String text = v.signedNumber().getText();
            boolean decimal = v.signedNumber().NUMBER().size() == 1 && !text.contains("/");
            return new Init.Numeric(r, decimal ? new java.math.BigDecimal(text).toPlainString() : null);
        }
        ScaledSymbolContext scaled = v.scaledSymbol();
        String symbol = scaled.ident().getText();
        Rational coefficient = Rational.ONE;
        if (scaled.scale != null) {
            coefficient = parseNumber(scaled.scale.getStart());
            if (coefficient == null) return null;
        }
        if (scaled.divisor != null) {
            Rational d = parseNumber(scaled.divisor.getStart());
            if (d == null) return null;
            if (d.isZero()) {
                error(scaled.divisor, "division by zero");
                return null;
            }
            coefficient = coefficient.divide(d);
        }
        if (scaled.neg != null) coefficient = coefficient.negate();
        if (coefficient.isZero()) {
            error(scaled, "a coefficient of 0 makes the start 0: write 'init ... = 0'");
            return null;
        }
        if (parameters.containsKey(symbol) || inputs.containsKey(symbol) || targets.containsKey(symbol)
                || unitPositions.containsKey(symbol) || activations.containsKey(symbol)) {
            error(v, "'" + symbol + "' already names something in the network; an initial value is a number, "
                    + "'random', or a new symbol such as 'a'");
            return null;
        }
        return new Init.Symbolic(symbol, coefficient);
    }

    private List<Sample> resolveData() {
        List<Sample> samples = new ArrayList<>();
        for (DataStmtContext line : dataStatements) {
            // Each data line is checked against every input and target.
            if (!charge(inputs.size() + targets.size(), line)) break;
            Map<String, Rational> values = new LinkedHashMap<>();
            int errorsBefore = diagnostics.size();
            for (BindingContext b : line.binding()) {
                String name = refName(b.ref());
                Integer size = b.ref().INT().isEmpty() ? dataVectorSize(name) : null;
                if (b.numberList() != null) {
                    bindVector(b, name, size, values);
                    continue;
                }
                if (size != null && shapes.get(name).length > 1) {
                    error(b.ref(), "'" + name + "' has shape " + Tensor.describe(shapes.get(name)) + "; give all its "
                            + size + " elements, row by row, as " + name + " = [v1, ..., v" + size + "]");
                    continue;
                }
                if (size != null) {
                    error(b.ref(), "'" + name + "' is a vector of " + size + "; give all its elements as "
                            + name + " = [" + (size == 1 ? "v" : size == 2 ? "v1, v2" : "v1, ..., v" + size)
                            + "] or each as " + name + "[i] = v");
                    continue;
                }
                if (!inputs.containsKey(name) && !targets.containsKey(name)) {
                    error(b.ref(), "'" + name + "' is not an input or a target");
                    continue;
                }
                bind(b.ref(), name, signedNumber(b.signedNumber()), values);
            }
            List<String> missing = new ArrayList<>();
            for (String n : inputs.keySet()) if (!values.containsKey(n)) missing.add(n);
            for (String n : targets.keySet()) if (!values.containsKey(n)) missing.add(n);
            if (diagnostics.size() > errorsBefore) {
                // A value given wrongly is reported already; listing it as missing too would only repeat that.
            } else if (!missing.isEmpty()) {
                error(line, "this data line gives no value for " + listNames(missing));
            } else {
                samples.add(new Sample(values, pos(line)));
            }
        }
        return samples;
    }

    /** The size of a vector or matrix input or target, or null when the name is not one. */
    private Integer dataVectorSize(String name) {
        int[] shape = shapes.get(name);
        if (shape == null) return null;
        String first = Tensor.elementName(name, shape, 0);
        return inputs.containsKey(first) || targets.containsKey(first) ? Tensor.size(shape) : null;
    }

    /** x = [1, 2, 3]: the elements of a vector (or matrix, row by row) input or target, in order. */
    private void bindVector(BindingContext b, String name, Integer size, Map<String, Rational> values) {
        List<SignedNumberContext> numbers = b.numberList().signedNumber();
        if (size == null) {
            error(b.ref(), "'" + name + "' is not a vector input or target; a list [...] gives the elements of one");
        } else if (numbers.size() != size) {
            int[] shape = shapes.get(name);
            String rows = shape.length > 1 ? " (shape " + Tensor.describe(shape) + ", row by row)" : "";
            error(b.numberList(), "'" + name + "' has " + size + (size == 1 ? " element" : " elements") + rows
                    + "; the list gives " + numbers.size());
        } else {
            int[] shape = shapes.get(name);
            for (int i = 0; i < size; i++) bind(b.ref(), Tensor.elementName(name, shape, i), signedNumber(numbers.get(i)), values);
        }
    }

    private void bind(RefContext at, String name, Rational value, Map<String, Rational> values) {
        if (values.containsKey(name)) {
            error(at, "'" + name + "' is given twice on this data line");
        } else if (value != null) {
            values.put(name, value);
        }
    }

    private List<Assumption> resolveAssumptions(Inits initOf) {
        Set<String> symbols = new HashSet<>();
        for (Init i : initOf.used()) if (i instanceof Init.Symbolic s) symbols.add(s.symbol());
        List<Assumption> out = new ArrayList<>();
        for (AssumeStmtContext line : assumeStatements) {
            for (ConditionContext c : line.condition()) {
                String name = c.ident().getText();
                Integer size = dataVectorSize(name);
                int[] parameterShape = declaredParameters.get(name);
                List<String> names = new ArrayList<>();
                if (size != null || (parameterShape != null && parameterShape.length > 0)) {
                    int[] shape = shapes.get(name);
                    if (!charge(Tensor.size(shape), c)) break;
                    for (int flat = 0, n = Tensor.size(shape); flat < n; flat++) names.add(Tensor.elementName(name, shape, flat));
                } else if (inputs.containsKey(name) || targets.containsKey(name) || parameters.containsKey(name)
                        || symbols.contains(name)) {
                    names.add(name);
                } else {
                    error(c.ident(), "cannot assume anything about '" + name
                            + "': it is not an input, a target, a parameter or an initial-value symbol");
                    continue;
                }
                Rational bound = signedNumber(c.signedNumber());
                if (bound == null) continue;
                Assumption.Relation rel = switch (c.op.getText()) {
                    case "<" -> Assumption.Relation.LT;
                    case "<=" -> Assumption.Relation.LE;
                    case ">" -> Assumption.Relation.GT;
                    default -> Assumption.Relation.GE;
                };
                for (String n : names) out.add(new Assumption(n, rel, bound, pos(c)));
            }
        }
        requireInteriors(out);
        return out;
    }

    /**
     * Every assumed name must keep an interval with interior: the proofs rely on it (a rational
     * function that vanishes on such an interval vanishes identically), and an empty range would
     * make every claim vacuous.
     */
    private void requireInteriors(List<Assumption> assumptions) {
        Map<String, Assumption> lowest = new LinkedHashMap<>();
        Map<String, Assumption> highest = new LinkedHashMap<>();
        for (Assumption a : assumptions) {
            boolean lower = a.relation() == Assumption.Relation.GT || a.relation() == Assumption.Relation.GE;
            (lower ? lowest : highest).merge(a.name(), a, (x, y) -> lower
                    ? (y.bound().compareTo(x.bound()) > 0 ? y : x) : (y.bound().compareTo(x.bound()) < 0 ? y : x));
        }
        for (var e : lowest.entrySet()) {
            Assumption low = e.getValue();
            Assumption high = highest.get(e.getKey());
            if (high == null || low.bound().compareTo(high.bound()) < 0) continue;
            String why = low.bound().compareTo(high.bound()) > 0 || low.relation() == Assumption.Relation.GT
                    || high.relation() == Assumption.Relation.LT ? "leave no value for '" + e.getKey() + "'"
                    : "leave only " + e.getKey() + " = " + low.bound() + " (use a data line or a numeric init for that)";
            diagnostics.add(Diagnostic.error(high.pos(), "the assumptions '" + low + "' and '" + high + "' " + why));
        }
    }

    private static String listNames(List<String> names) {
        if (names.size() <= 5) return String.join(", ", names);
        return String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }

    // ---- Helpers ---------------------------------------------------------------------------

    private static String refName(RefContext r) {
        return refName(r.ident().getText(), r.INT());
    }

    private static String refName(String base, List<org.antlr.v4.runtime.tree.TerminalNode> ints) {
        if (ints.isEmpty()) return base;
        StringBuilder b = new StringBuilder(base.length() + 8 * ints.size()).append(base).append('[');
        for (int i = 0; i < ints.size(); i++) {
            if (i > 0) b.append(',');
            b.append(canonicalInteger(ints.get(i).getText()));
        }
        return b.append(']').toString();
    }

    /**
     * Charges the operations the evaluation tape will hold for these expressions: one per
     * expression object not charged before in this spec, since the tape compiles a value that
     * several elements share (a broadcast sum, a matrix product's operand, softmax's normaliser)
     * once. What the shared graph is as written-out trees is the commands' limit, not the spec's.
     */
    private boolean chargeOperations(Tensor value, ParserRuleContext at) {
        long total = 0;
        for (int i = 0; i < value.size() && total <= MAX_ELEMENTS; i++) total = saturatingAdd(total, newOperations(value.element(i)));
        return charge(Math.min(total, MAX_ELEMENTS + 1), at);
    }

    /**
     * The operations of an expression that no earlier charge counted (names and numbers are
     * free); a flat one (w·x) is charged at each use rather than remembered.
     */
    private long newOperations(Expr e) {
        List<Expr> children = e.children();
        if (children.isEmpty()) return 0;
        if (e.isFlat()) return 1;
        if (!charged.add(e)) return 0;
        long size = 1;
        for (Expr c : children) size = saturatingAdd(size, newOperations(c));
        return size;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Charges n elements to the budget; false, with one error for the whole spec, once it is spent. */
    private boolean charge(long n, ParserRuleContext at) {
        if (overBudget) return false;
        elements += n;
        if (elements <= MAX_ELEMENTS) return true;
        overBudget = true;
        error(at, "the spec is too large: it expands to more than " + MAX_ELEMENTS
                + " elements (vector elements, units, terms of sums and products, initialised parameters, and "
                + PARAMETER_SURCHARGE + " more for each parameter, for the memory a proof spends on it)");
        return false;
    }

    /** How many tokens an expression spans: the cost of converting one copy of it. */
    private static long tokenCount(ParserRuleContext ctx) {
        if (ctx.getStop() == null) return 1;
        return Math.max(1, ctx.getStop().getTokenIndex() - ctx.getStart().getTokenIndex() + 1);
    }

    /** The digits without leading zeros (x[01] is x[1]), of any length. */
    private static String canonicalInteger(String digits) {
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0') start++;
        return start == 0 ? digits : digits.substring(start);
    }

    private static SourcePos pos(ParserRuleContext ctx) {
        return SpecParser.pos(ctx.getStart());
    }

    private void error(ParserRuleContext at, String message) {
        diagnostics.add(Diagnostic.error(pos(at), message));
    }

    private void errorAt(Token at, String message) {
        diagnostics.add(Diagnostic.error(SpecParser.pos(at), message));
    }

    private boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    private SpecResult failed() {
        return new SpecResult(Optional.empty(), diagnostics);
    }
}
