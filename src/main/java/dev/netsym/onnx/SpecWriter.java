package dev.netsym.onnx;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Tensor;
import dev.netsym.model.Unit;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An imported model written out as a netsym spec, node by node as the importer lowers it. A
 * node whose operator has a spelling in the spec language ({@code relu(X @ W + b)},
 * {@code softmax(S, 2)}, {@code layer_norm(X, g, b)}) becomes one tensor line; any other node
 * (a masked softmax, a convolution over a batch, a Concat or Gather) is written element by
 * element from the very expressions the importer built, as a numbered family of units that
 * {@code reshape} turns back into a tensor. Either way the spec reads back as the same function
 * of the same parameters.
 *
 * <p>Spec names have no dots and count indices from 1: {@code lora_B.weight[0,1]} is written
 * {@code lora_B_weight[1,2]}; {@link #renamed} records every parameter, input and target element.
 */
final class SpecWriter {

    /** A spec expression, and whether it may stand as an operand without parentheses. */
    record Spelling(String text, boolean atomic) {
        static Spelling atom(String text) {
            return new Spelling(text, true);
        }

        static Spelling compound(String text) {
            return new Spelling(text, false);
        }

        String operand() {
            return atomic ? text : "(" + text + ")";
        }
    }

    /** The node's inputs as spec expressions ({@link Unspellable} when one has none in tensor syntax), and its outputs' shapes. */
    interface Inputs {
        Spelling get(int input);

        int[] outputShape(int output);

        /** A tensor the importer declared itself (a one-hot input) by its spec name. */
        Spelling declared(Tensor tensor);
    }

    /** Thrown by a spelling that cannot say what the node computes; the node is then written element by element. */
    static final class Unspellable extends RuntimeException {
        Unspellable() {
            super(null, null, false, false);
        }
    }

    /** Names that read as something else in a spec: keywords and functions. */
    private static final Set<String> RESERVED = reserved();

    private static Set<String> reserved() {
        Set<String> names = new HashSet<>(List.of("network", "input", "target", "param", "activation", "layer", "objective",
                "init", "data", "assume", "optimizer", "lr", "all", "random", "dense", "sum", "mean", "transpose", "softmax",
                "log_softmax", "logsumexp", "layer_norm", "rms_norm", "batch_norm", "cross_entropy", "attention",
                "causal_attention", "conv1d", "conv2d", "avg_pool1d", "avg_pool2d", "max_pool1d", "max_pool2d", "reshape",
                "permute", "flatten", "concat", "e"));
        names.addAll(Builtin.specNames());
        return names;
    }

    /** The largest rank a spec's reshape writes (its arguments are the tensor and at most 8 sizes). */
    private static final int MAX_SPELLED_RANK = 8;

    private final Map<String, String> tensorNames = new HashMap<>();
    private final Map<String, String> familyElements = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<Value, Spelling> spellings = new IdentityHashMap<>();
    private final Map<String, int[]> parameterShapes = new LinkedHashMap<>();
    private final Map<String, String> renamed = new LinkedHashMap<>();
    private final Map<String, String> symbols = new HashMap<>();
    private final List<String> inputLines = new ArrayList<>();
    private final List<String> targetLines = new ArrayList<>();
    private final List<Line> unitLines = new ArrayList<>();

    /**
     * A unit line and the importer's units it stands for: one element of a family, every unit of
     * a node written as a tensor, or none (a spec-only name for a constant or a rearrangement).
     */
    private record Line(String text, List<Unit> units, boolean tensor) {}

    // ---- declarations --------------------------------------------------------------------

    void parameter(String tensor, int[] shape, Value value) {
        String name = declare(tensor, shape);
        parameterShapes.put(tensor, shape);
        spellings.put(value, Spelling.atom(name));
    }

    void input(String tensor, int[] shape, Value value) {
        inputLines.add("input " + declaration(declare(tensor, shape), shape));
        if (value != null) spellings.put(value, Spelling.atom(tensorNames.get(tensor)));
    }

    void target(String tensor, int[] shape) {
        targetLines.add("target " + declaration(declare(tensor, shape), shape));
    }

    private String declare(String tensor, int[] shape) {
        String name = fresh(tensor);
        tensorNames.put(tensor, name);
        for (int i = 0, n = Tensor.size(shape); i < n; i++) {
            renamed.put(OnnxImporter.elementName(tensor, shape, i), shape.length == 0 ? name : Tensor.elementName(name, shape, i));
        }
        return name;
    }

    private static String declaration(String name, int[] shape) {
        return shape.length == 0 ? name : name + dims("[", shape, ",") + "]";
    }

    private static String dims(String before, int[] shape, String separator) {
        StringBuilder b = new StringBuilder(before);
        for (int d = 0; d < shape.length; d++) b.append(d == 0 ? "" : separator).append(shape[d]);
        return b.toString();
    }

    /** Every whole tensor the spec names (parameters, inputs, targets, units written as tensors): its name in the import → in the spec. */
    Map<String, String> tensorNames() {
        return tensorNames;
    }

    /** Every parameter, input and target element: its name in the import → its name in the spec. */
    Map<String, String> renamed() {
        return renamed;
    }

    // ---- nodes ---------------------------------------------------------------------------

    /**
     * Writes one lowered node: {@code outputs} are its values as the importer keeps them (null for
     * an omitted output), {@code created} the units the importer made for it.
     */
    void node(NodeProto proto, List<Value> inputs, List<Value> outputs, List<Unit> created, Operators operators) {
        boolean anyComputed = false;
        for (Value v : outputs) anyComputed |= v != null && !v.isConstant();
        if (!anyComputed) return; // constants are spelled where they are used
        List<Spelling> spelled = null;
        if (!masked(inputs) && !masked(outputs)) {
            try {
                spelled = operators.spell(proto, inputs, inputsOf(proto, inputs, outputs));
            } catch (Unspellable e) {
                spelled = null;
            }
        }
        Set<String> createdBases = new HashSet<>();
        for (Unit u : created) createdBases.add(base(u.name()));
        if (spelled == null) {
            try {
                writeElementByElement(outputs, created, createdBases);
            } catch (Unspellable e) {
                throw new OnnxImporter.ImportError("node " + OnnxImporter.describe(proto) + " computes something the spec language"
                        + " cannot write, so 'netsym spec' cannot write this model");
            }
            return;
        }
        Set<String> outputBases = new HashSet<>();
        for (Value v : outputs) if (v != null && !v.isConstant() && computedBase(v, createdBases) != null) outputBases.add(computedBase(v, createdBases));
        boolean first = true;
        for (int o = 0; o < outputs.size(); o++) {
            Value v = outputs.get(o);
            if (v == null || v.isConstant()) continue;
            Spelling s = spelled.get(o);
            String computedBase = computedBase(v, createdBases);
            if (computedBase == null) {
                spellings.put(v, s); // a rearrangement: written where it is used
                continue;
            }
            // The line stands for its output's units, and the first also for the node's values on the way (a softmax's sums).
            List<Unit> units = new ArrayList<>();
            for (Unit u : created) {
                String base = base(u.name());
                if (base.equals(computedBase) || first && !outputBases.contains(base)) units.add(u);
            }
            first = false;
            String name = fresh(computedBase);
            unitLines.add(new Line(name + " = " + s.text(), units, true));
            tensorNames.put(computedBase, name);
            spellings.put(v, Spelling.atom(name));
        }
    }

    private Inputs inputsOf(NodeProto proto, List<Value> inputs, List<Value> outputs) {
        return new Inputs() {
            @Override
            public int[] outputShape(int output) {
                return outputs.get(output).shape;
            }

            @Override
            public Spelling get(int input) {
                Value v = input < inputs.size() ? inputs.get(input) : null;
                if (v == null) throw new Unspellable();
                return spell(v, proto.getInput(input));
            }

            @Override
            public Spelling declared(Tensor tensor) {
                String name = tensorNames.get(base(((Expr.Ref) tensor.element(0)).name()));
                if (name == null) throw new Unspellable();
                return Spelling.atom(name);
            }
        };
    }

    private static boolean masked(List<Value> values) {
        for (Value v : values) if (v != null && v.maskedElements() != null) return true;
        return false;
    }

    /** The units' tensor a node's output is, when the node computed it (not a rearrangement of older names). */
    private static String computedBase(Value v, Set<String> createdBases) {
        for (int i = 0; i < v.size(); i++) {
            if (v.tensor.element(i) instanceof Expr.Ref r && createdBases.contains(base(r.name()))) return base(r.name());
        }
        return null;
    }

    /**
     * The node's units as the importer made them: its outputs as families NAME[1] … NAME[n] in
     * row order (numbers included, so that reshape(NAME, …) is the whole tensor), and the
     * values it computed on the way (a softmax's sums) as families of their own.
     */
    private void writeElementByElement(List<Value> outputs, List<Unit> created, Set<String> createdBases) {
        Map<String, Unit> byName = new HashMap<>();
        for (Unit u : created) byName.put(u.name(), u);
        Map<Value, String> outputFamilies = new IdentityHashMap<>();
        Set<String> outputBases = new HashSet<>();
        for (Value v : outputs) {
            if (v == null || v.isConstant()) continue;
            String base = computedBase(v, createdBases);
            if (base == null || outputFamilies.containsKey(v)) continue;
            outputBases.add(base);
            String name = fresh(base);
            outputFamilies.put(v, name);
            for (int i = 0; i < v.size(); i++) {
                if (v.tensor.element(i) instanceof Expr.Ref r && byName.containsKey(r.name())) familyElements.put(r.name(), member(name, v.rank(), i));
            }
        }
        Map<String, String> familyOf = new HashMap<>();
        Map<String, Integer> members = new HashMap<>();
        for (Unit u : created) {
            String base = base(u.name());
            if (outputBases.contains(base)) continue;
            String name = familyOf.computeIfAbsent(base, this::fresh);
            int index = members.merge(base, 1, Integer::sum);
            familyElements.put(u.name(), name + "[" + index + "]");
        }
        for (Unit u : created) {
            if (!outputBases.contains(base(u.name()))) unitLines.add(new Line(familyElements.get(u.name()) + " = " + scalar(u.definition()), List.of(u), false));
        }
        for (var entry : outputFamilies.entrySet()) {
            Value v = entry.getKey();
            for (int i = 0; i < v.size(); i++) {
                Expr e = v.tensor.element(i);
                Unit own = e instanceof Expr.Ref r ? byName.get(r.name()) : null;
                String text = member(entry.getValue(), v.rank(), i) + " = " + scalar(own != null ? own.definition() : e);
                unitLines.add(new Line(text, own != null ? List.of(own) : List.of(), false));
            }
            if (v.maskedElements() == null && v.rank() <= MAX_SPELLED_RANK) spellings.put(v, tensorOfFamily(entry.getValue(), v.shape));
        }
    }

    /** Element i of a family written in row order: NAME[i+1], or NAME itself for a single number. */
    private static String member(String family, int rank, int flat) {
        return rank == 0 ? family : family + "[" + (flat + 1) + "]";
    }

    private static Spelling tensorOfFamily(String family, int[] shape) {
        if (shape.length <= 1) return Spelling.atom(family);
        if (shape.length > MAX_SPELLED_RANK) throw new Unspellable();
        return Spelling.atom("reshape(" + family + dims(", ", shape, ", ") + ")");
    }

    /**
     * A value in tensor syntax: as its node left it, or, for a constant or a rearrangement that
     * has no spelling (Concat, Slice, Gather), a family of units naming its elements one by one.
     */
    Spelling spell(Value v, String valueName) {
        Spelling known = spellings.get(v);
        if (known != null) return known;
        if (v.maskedElements() != null) throw new Unspellable();
        Tensor t = v.tensor();
        if (v.rank() == 0) return scalarSpelling(t.element(0));
        if (v.size() == 1 && t.element(0) instanceof Expr.Num) {
            // reshape keeps the constant's axes of size 1, which broadcasting may need.
            return rememberedSpelling(v, tensorOfFamily(scalar(t.element(0)), v.shape));
        }
        if (v.rank() > MAX_SPELLED_RANK) throw new Unspellable();
        String name = fresh(valueName.replaceFirst("_output_0$", "").replaceAll("^/+", "").replaceFirst("^onnx::", ""));
        for (int i = 0; i < v.size(); i++) unitLines.add(new Line(member(name, 1, i) + " = " + scalar(t.element(i)), List.of(), false));
        return rememberedSpelling(v, tensorOfFamily(name, v.shape));
    }

    private Spelling rememberedSpelling(Value v, Spelling s) {
        spellings.put(v, s);
        return s;
    }

    private Spelling scalarSpelling(Expr e) {
        String text = scalar(e);
        return new Spelling(text, isAtomic(e, text));
    }

    // ---- scalars -------------------------------------------------------------------------

    /** A scalar expression in spec syntax, every compound operand in parentheses. */
    String scalar(Expr e) {
        if (e instanceof Expr.Num n) return number(n.value());
        if (e instanceof Expr.Ref r) return element(r.name());
        if (e instanceof Expr.Neg n) return "-" + operand(n.operand());
        if (e instanceof Expr.Sum s) return join(s.terms(), " + ");
        if (e instanceof Expr.Product p) return join(p.factors(), " * ");
        if (e instanceof Expr.Quotient q) return operand(q.numerator()) + " / " + operand(q.denominator());
        if (e instanceof Expr.Power p) return operand(p.base()) + "^" + operand(p.exponent());
        if (e instanceof Expr.Call c) {
            StringBuilder b = new StringBuilder(c.function()).append('(');
            for (int i = 0; i < c.args().size(); i++) b.append(i == 0 ? "" : ", ").append(scalar(c.args().get(i)));
            return b.append(')').toString();
        }
        throw new Unspellable();
    }

    private String join(List<Expr> parts, String separator) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) b.append(i == 0 ? "" : separator).append(operand(parts.get(i)));
        return b.toString();
    }

    private String operand(Expr e) {
        String text = scalar(e);
        return isAtomic(e, text) ? text : "(" + text + ")";
    }

    /** Names, calls and unsigned decimals stand alone; sums, products, fractions and negatives need parentheses. */
    private static boolean isAtomic(Expr e, String text) {
        return e instanceof Expr.Ref || e instanceof Expr.Call || (e instanceof Expr.Num && text.matches("[0-9.]+"));
    }

    /** An importer element's spec name: in a family, or its tensor's name with indices counted from 1. */
    private String element(String importerName) {
        String family = familyElements.get(importerName);
        if (family != null) return family;
        String base = base(importerName);
        String name = tensorNames.get(base);
        if (name == null) throw new IllegalStateException("no spec name for " + importerName);
        if (base.length() == importerName.length()) return name;
        String[] indices = importerName.substring(base.length() + 1, importerName.length() - 1).split(",");
        StringBuilder b = new StringBuilder(name).append('[');
        for (int d = 0; d < indices.length; d++) b.append(d == 0 ? "" : ",").append(Integer.parseInt(indices[d]) + 1);
        return b.append(']').toString();
    }

    private static String base(String element) {
        int bracket = element.indexOf('[');
        return bracket < 0 ? element : element.substring(0, bracket);
    }

    /** A number as a spec writes it: a terminating decimal as a decimal (0.044715), any other as a fraction. */
    static String number(Rational value) {
        String sign = value.signum() < 0 ? "-" : "";
        BigInteger num = value.numerator().abs();
        BigInteger den = value.denominator();
        if (den.equals(BigInteger.ONE)) return sign + num;
        BigInteger rest = den;
        for (BigInteger p : new BigInteger[] {BigInteger.TWO, BigInteger.valueOf(5)}) {
            while (rest.mod(p).signum() == 0) rest = rest.divide(p);
        }
        if (rest.equals(BigInteger.ONE)) return sign + new BigDecimal(num).divide(new BigDecimal(den)).toPlainString();
        return sign + num + "/" + den;
    }

    /** A number as an operand: in parentheses when negative or a fraction. */
    static String numberOperand(Rational value) {
        String text = number(value);
        return text.matches("[0-9.]+") ? text : "(" + text + ")";
    }

    /** {@code wanted} as a spec name: letters, digits and '_', not a keyword or function, unused so far. */
    private String fresh(String wanted) {
        String base = wanted.replaceAll("[^A-Za-z0-9_]", "_");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0)) && base.charAt(0) != '_') base = "v" + base;
        if (base.length() > 80) base = base.substring(0, 80);
        String name = RESERVED.contains(base) ? base + "_" : base;
        for (int n = 2; !taken.add(name); n++) name = base + "_" + n;
        return name;
    }

    // ---- the whole spec ------------------------------------------------------------------

    /** The objective term of one output under a loss, as the importer computes it. */
    String objectiveTerm(OnnxImporter.Loss loss, Value output, String target) {
        Spelling y = spell(output, "output");
        String t = target == null ? null : tensorNames.get(target);
        boolean scalar = output.rank() == 0;
        return switch (loss) {
            case SUM -> scalar ? y.text() : "sum(" + y.text() + ")";
            case GENERIC -> scalar ? t + " * " + y.operand() : "sum(" + t + " * " + y.operand() + ")";
            case MSE -> scalar ? "(" + y.operand() + " - " + t + ")^2" : "mean((" + y.operand() + " - " + t + ")^2)";
            case CROSS_ENTROPY -> "cross_entropy(" + y.text() + ", " + t + ")";
        };
    }

    /**
     * The spec: its declarations, units and objective, and init lines that start each
     * parameter as {@code parameters} do.
     */
    String text(String networkName, String header, List<Parameter> parameters, List<String> objectiveTerms, Set<String> liveUnits) {
        Map<String, List<Parameter>> byTensor = new LinkedHashMap<>();
        Map<String, Integer> used = new HashMap<>();
        for (Parameter p : parameters) used.merge(base(p.name()), 1, Integer::sum);
        for (String tensor : parameterShapes.keySet()) byTensor.put(tensor, new ArrayList<>());
        for (Parameter p : parameters) byTensor.get(base(p.name())).add(p);
        StringBuilder b = new StringBuilder();
        for (String line : header.split("\n")) b.append("# ").append(line).append('\n');
        b.append("network ").append(fresh(networkName)).append('\n');
        for (String line : inputLines) b.append(line).append('\n');
        for (String line : targetLines) b.append(line).append('\n');
        byTensor.values().removeIf(List::isEmpty);
        Map<String, List<Parameter>> whole = new LinkedHashMap<>(byTensor);
        whole.entrySet().removeIf(e -> e.getValue().size() != Tensor.size(parameterShapes.get(e.getKey())));
        Map<String, String> copies = copies(whole);
        List<String> inits = new ArrayList<>();
        for (var entry : byTensor.entrySet()) {
            List<Parameter> elements = entry.getValue();
            int[] shape = parameterShapes.get(entry.getKey());
            String name = tensorNames.get(entry.getKey());
            if (!whole.containsKey(entry.getKey())) {
                // Only some elements reach the objective (a Gather or Slice of a weight): 'param' would make
                // every element a parameter, so the elements used are left undeclared, parameters by use.
                for (Parameter p : elements) if (!(p.init() instanceof Init.Random)) inits.add("init " + renamed.get(p.name()) + " = " + start(p.init()));
                continue;
            }
            b.append("param ").append(declaration(name, shape)).append('\n');
            String source = copies.get(entry.getKey());
            if (source == null) inits.addAll(initLines(name, elements));
            else if (!source.isEmpty()) inits.add("init " + name + " = " + tensorNames.get(source));
        }
        for (Line line : unitLines) b.append(live(line, liveUnits));
        b.append("objective ").append(String.join(" + ", objectiveTerms)).append('\n');
        for (String line : inits) b.append(line).append('\n');
        return b.toString();
    }

    /**
     * A line without the units that do not reach the objective (scores a causal mask hides), so
     * that the spec has none either: a node written as a tensor is then written unit by unit,
     * TENSOR[i,j] = …, for the units that do.
     */
    private String live(Line line, Set<String> liveUnits) {
        int alive = 0;
        for (Unit u : line.units()) if (liveUnits.contains(u.name())) alive++;
        if (alive == line.units().size()) return line.text() + "\n";
        if (!line.tensor()) return "";
        for (Unit u : line.units()) tensorNames.computeIfAbsent(base(u.name()), this::fresh);
        StringBuilder b = new StringBuilder();
        for (Unit u : line.units()) {
            if (liveUnits.contains(u.name())) b.append(element(u.name())).append(" = ").append(scalar(u.definition())).append('\n');
        }
        return b.toString();
    }

    /**
     * Tensors that start as element-by-element copies of an earlier one (identical experts),
     * written 'init E2 = E1': tensor → the tensor it copies, or "" for a source whose starts
     * need no line of their own (each element's symbol is held by it and its copies alone, so
     * it may start at random and be copied).
     */
    private static Map<String, String> copies(Map<String, List<Parameter>> byTensor) {
        Map<String, Integer> symbolUses = new HashMap<>();
        for (List<Parameter> elements : byTensor.values()) {
            for (Parameter p : elements) if (p.init() instanceof Init.Symbolic sym) symbolUses.merge(sym.symbol(), 1, Integer::sum);
        }
        Map<String, String> copyOf = new LinkedHashMap<>();
        List<String> earlier = new ArrayList<>();
        for (var entry : byTensor.entrySet()) {
            List<Parameter> elements = entry.getValue();
            for (String source : earlier) {
                if (!copyOf.containsKey(source) && startsEqual(byTensor.get(source), elements)) {
                    copyOf.put(entry.getKey(), source);
                    break;
                }
            }
            earlier.add(entry.getKey());
        }
        Map<String, String> out = new HashMap<>(copyOf);
        for (String source : new HashSet<>(copyOf.values())) {
            long copiesOfSource = copyOf.values().stream().filter(source::equals).count();
            Set<String> symbols = new HashSet<>();
            boolean ownSymbols = true;
            for (Parameter p : byTensor.get(source)) {
                ownSymbols &= p.init() instanceof Init.Symbolic sym && sym.coefficient().isOne() && symbols.add(sym.symbol())
                        && symbolUses.get(sym.symbol()) == 1 + copiesOfSource;
            }
            if (ownSymbols) out.put(source, "");
        }
        return out;
    }

    /** The same shared starts, element by element. */
    private static boolean startsEqual(List<Parameter> a, List<Parameter> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i).init() instanceof Init.Symbolic) || !a.get(i).init().equals(b.get(i).init())) return false;
        }
        return true;
    }

    /** One line for a tensor started all at one value; one per element otherwise (random is the default). */
    private List<String> initLines(String tensor, List<Parameter> elements) {
        Init first = elements.get(0).init();
        boolean uniform = !(first instanceof Init.Random);
        for (Parameter p : elements) uniform &= p.init().equals(first);
        if (uniform) return List.of("init " + tensor + " = " + start(first));
        List<String> lines = new ArrayList<>();
        for (Parameter p : elements) {
            if (p.init() instanceof Init.Random) continue;
            lines.add("init " + renamed.get(p.name()) + " = " + start(p.init()));
        }
        return lines;
    }

    private String start(Init init) {
        if (init instanceof Init.Numeric n) return number(n.value());
        Init.Symbolic s = (Init.Symbolic) init;
        String symbol = symbols.computeIfAbsent(s.symbol(), this::fresh);
        Rational c = s.coefficient();
        String scale = c.numerator().abs().equals(BigInteger.ONE) ? "" : c.numerator().abs() + "*";
        String divisor = c.denominator().equals(BigInteger.ONE) ? "" : "/" + c.denominator();
        return (c.signum() < 0 ? "-" : "") + scale + symbol + divisor;
    }
}
