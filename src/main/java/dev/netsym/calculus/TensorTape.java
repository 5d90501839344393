package dev.netsym.calculus;

import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Tensor;
import dev.netsym.model.TensorGraph;
import dev.netsym.model.TensorNode;
import dev.netsym.model.Unit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network compiled from its operations on whole tensors ({@link TensorGraph}): one step per
 * operation, each a loop over its elements, forward then reverse. A matrix product is one step
 * and not one expression per element; index maps (transposes, slices, lookups, broadcasting,
 * convolution windows) move values without arithmetic. The scalar formula of an element-wise
 * step, and whatever was written element by element, run on the scalar {@link Tape}, compiled
 * once per step: the tape is this engine's element kernel, not a second engine.
 *
 * <p>Parameters and data come in the order {@link Tape} takes them, and the gradient is the same
 * up to the order of floating-point additions (exactly the same in exact arithmetic).
 */
public final class TensorTape implements GradientEngine {

    private enum Kind { PARAMETERS, DATA, GATHER, FORMULA_MAP, FORMULA_ROWS, ELEMENTS, MATMUL }

    /** One operation; its inputs are earlier steps. */
    private record Step(Kind kind, int size, int[] inputs, int[] source, int[] index, Tape kernel, int width,
                        Location[] extras, TensorNode.MatMul product) {

        /** For a gather: the element of its input that element i is, −1 for a 0. */
        int gatheredElement(int i) {
            return index == null ? i : index[i];
        }

        /** For a gather: the step element i comes from. */
        int gatheredStep(int i) {
            return inputs[source == null ? 0 : source[i]];
        }

        /** For elements written one by one: their values, given the names they use. */
        <T> T[] elementValues(Arithmetic<T> a, T[] names) {
            T[] adjoints = a.newArray(size);
            Arrays.fill(adjoints, a.zero());
            Evaluation<T> e = kernel.evaluate(a, names, adjoints);
            T[] out = a.newArray(size);
            for (int i = 0; i < size; i++) out[i] = e.unitValue(elementUnit(i));
            return out;
        }
    }

    /** Where a scalar lives: element {@code flat} of a node (or of the parameter or data vector). */
    private record Location(Object key, int flat) {}

    private static final Object PARAMETER_VECTOR = new Object();
    private static final Object DATA_VECTOR = new Object();
    /** A single 0, for what the network leaves out. */
    private static final Object UNUSED = new Object();

    private final List<Step> steps;
    private final int objectiveStep;
    private final int parameterCount;
    private final int dataCount;

    private TensorTape(List<Step> steps, int objectiveStep, int parameterCount, int dataCount) {
        this.steps = steps;
        this.objectiveStep = objectiveStep;
        this.parameterCount = parameterCount;
        this.dataCount = dataCount;
    }

    /** Whether the network carries its operations on whole tensors. */
    public static boolean applies(Network network) {
        return network.graph().present();
    }

    /** Compiles the network's tensor graph; {@link IllegalArgumentException} when it has none. */
    public static TensorTape compile(Network network) {
        if (!applies(network)) throw new IllegalArgumentException("the network has no operations on whole tensors");
        return new Compiler(network).compile();
    }

    /**
     * The engine for numeric passes over the network: this one when the network has products of
     * whole tensors, which it runs as loops over primitive arrays; otherwise the scalar tape,
     * which a network of single numbers runs faster.
     */
    public static GradientEngine engineFor(Network network, Tape tape) {
        if (!applies(network)) return tape;
        TensorTape tensors;
        try {
            tensors = compile(network);
        } catch (IllegalArgumentException e) {
            // A graph this engine cannot run yet: the scalar tape computes the same numbers.
            return tape;
        }
        return tensors.steps.stream().anyMatch(s -> s.kind == Kind.MATMUL) ? tensors : tape;
    }

    public int stepCount() { return steps.size(); }

    @Override
    public int parameterCount() { return parameterCount; }

    @Override
    public <T> T[] gradient(Arithmetic<T> a, T[] parameterValues, T[] dataValues) {
        return run(a, parameterValues, dataValues).gradient();
    }

    @Override
    public <T> ObjectiveAndGradient<T> objectiveAndGradient(Arithmetic<T> a, T[] parameterValues, T[] dataValues) {
        return run(a, parameterValues, dataValues);
    }

    @SuppressWarnings("unchecked")
    private <T> ObjectiveAndGradient<T> run(Arithmetic<T> a, T[] parameterValues, T[] dataValues) {
        if (parameterValues.length != parameterCount || dataValues.length != dataCount) {
            throw new IllegalArgumentException("expected " + parameterCount + " parameter and " + dataCount + " data values, got "
                    + parameterValues.length + " and " + dataValues.length);
        }
        if (a instanceof DoubleArithmetic doubles) {
            return (ObjectiveAndGradient<T>) new DoublePass(doubles).run((Double[]) parameterValues, (Double[]) dataValues);
        }
        Object[][] values = new Object[steps.size()][];
        for (int s = 0; s < steps.size(); s++) values[s] = forward(a, steps.get(s), values, parameterValues, dataValues);
        Object[][] adjoints = new Object[steps.size()][];
        adjoints[objectiveStep] = new Object[] {a.one()};
        for (int s = objectiveStep; s >= 0; s--) {
            if (adjoints[s] != null) reverse(a, steps.get(s), values, adjoints, s);
        }
        T[] gradient = a.newArray(parameterCount);
        Arrays.fill(gradient, a.zero());
        if (adjoints[0] != null) for (int i = 0; i < parameterCount; i++) gradient[i] = cast(adjoints[0][i]);
        return new ObjectiveAndGradient<>(cast(values[objectiveStep][0]), gradient);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private <T> Object[] forward(Arithmetic<T> a, Step step, Object[][] values, T[] parameters, T[] data) {
        Object[] out = new Object[step.size];
        switch (step.kind) {
            case PARAMETERS -> System.arraycopy(parameters, 0, out, 0, out.length);
            case DATA -> System.arraycopy(data, 0, out, 0, out.length);
            case GATHER -> {
                for (int i = 0; i < out.length; i++) {
                    int from = step.gatheredElement(i);
                    out[i] = from < 0 ? a.zero() : values[step.gatheredStep(i)][from];
                }
            }
            case FORMULA_MAP, FORMULA_ROWS -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = step.kernel.evaluate(a, operands(a, step, values, i), a.newArray(0)).objective();
                }
            }
            case ELEMENTS -> System.arraycopy(step.elementValues(a, operands(a, step, values, 0)), 0, out, 0, out.length);
            case MATMUL -> {
                Object[] left = values[step.inputs[0]];
                Object[] right = values[step.inputs[1]];
                int k = step.product.k(), n = step.product.n();
                forEachProductEntry(step.product, (row, column, entry) -> {
                    T sum = a.multiply(cast(left[row]), cast(right[column]));
                    for (int l = 1; l < k; l++) sum = a.add(sum, a.multiply(cast(left[row + l]), cast(right[column + l * n])));
                    out[entry] = sum;
                });
            }
        }
        return out;
    }

    private <T> void reverse(Arithmetic<T> a, Step step, Object[][] values, Object[][] adjoints, int self) {
        Object[] adjoint = adjoints[self];
        switch (step.kind) {
            case PARAMETERS, DATA -> { }
            case GATHER -> {
                for (int i = 0; i < adjoint.length; i++) {
                    int from = step.gatheredElement(i);
                    if (from < 0 || a.isZero(cast(adjoint[i]))) continue;
                    accumulate(a, adjoints, values, step.gatheredStep(i), from, cast(adjoint[i]));
                }
            }
            case FORMULA_MAP, FORMULA_ROWS -> {
                for (int i = 0; i < adjoint.length; i++) {
                    T out = cast(adjoint[i]);
                    if (a.isZero(out)) continue;
                    T[] partials = step.kernel.gradient(a, operands(a, step, values, i), a.newArray(0));
                    for (int j = 0; j < partials.length; j++) {
                        Location at = operandLocation(step, i, j);
                        accumulate(a, adjoints, values, (Integer) at.key, at.flat, a.multiply(out, partials[j]));
                    }
                }
            }
            case ELEMENTS -> {
                T[] outs = a.newArray(adjoint.length);
                for (int i = 0; i < outs.length; i++) outs[i] = cast(adjoint[i]);
                T[] partials = step.kernel.gradient(a, operands(a, step, values, 0), outs);
                for (int j = 0; j < partials.length; j++) {
                    Location at = step.extras[j];
                    accumulate(a, adjoints, values, (Integer) at.key, at.flat, partials[j]);
                }
            }
            case MATMUL -> {
                Object[] left = values[step.inputs[0]];
                Object[] right = values[step.inputs[1]];
                int k = step.product.k(), n = step.product.n();
                forEachProductEntry(step.product, (row, column, entry) -> {
                    T out = cast(adjoint[entry]);
                    if (a.isZero(out)) return;
                    for (int l = 0; l < k; l++) {
                        accumulate(a, adjoints, values, step.inputs[0], row + l, a.multiply(out, cast(right[column + l * n])));
                        accumulate(a, adjoints, values, step.inputs[1], column + l * n, a.multiply(cast(left[row + l]), out));
                    }
                });
            }
        }
    }

    private static <T> void accumulate(Arithmetic<T> a, Object[][] adjoints, Object[][] values, int step, int flat, T amount) {
        Object[] into = adjoints[step];
        if (into == null) {
            into = new Object[values[step].length];
            Arrays.fill(into, a.zero());
            adjoints[step] = into;
        }
        into[flat] = a.add(cast(into[flat]), amount);
    }

    /** The kernel's parameters for element i: its operands, then the names its formula uses besides them. */
    private <T> T[] operands(Arithmetic<T> a, Step step, Object[][] values, int i) {
        int own = step.kind == Kind.ELEMENTS ? 0 : step.kind == Kind.FORMULA_ROWS ? step.width : step.inputs.length;
        T[] out = a.newArray(own + step.extras.length);
        for (int j = 0; j < own; j++) {
            Location at = operandLocation(step, i, j);
            out[j] = cast(values[(Integer) at.key][at.flat]);
        }
        for (int j = 0; j < step.extras.length; j++) out[own + j] = cast(values[(Integer) step.extras[j].key][step.extras[j].flat]);
        return out;
    }

    /** Where operand j of element i of a formula step comes from. */
    private static Location operandLocation(Step step, int i, int j) {
        if (step.kind == Kind.FORMULA_ROWS) {
            return j < step.width ? new Location(step.inputs[0], i * step.width + j) : step.extras[j - step.width];
        }
        if (j < step.inputs.length) return new Location(step.inputs[j], i);
        return step.extras[j - step.inputs.length];
    }

    private static String elementUnit(int i) {
        return "#e" + i;
    }

    /**
     * The same passes on primitive doubles, one array per step: no object per element. The
     * additions and products go in the order of the boxed passes, so both give the same bits.
     * The matrix product shares its walk over entries with the boxed pass; only the sum over one
     * entry's terms is written here, on primitives, since a shared one would box every term.
     */
    private final class DoublePass {
        private final DoubleArithmetic a;
        private final double[][] values = new double[steps.size()][];
        private final double[][] adjoints = new double[steps.size()][];

        DoublePass(DoubleArithmetic a) {
            this.a = a;
        }

        ObjectiveAndGradient<Double> run(Double[] parameters, Double[] data) {
            for (int s = 0; s < steps.size(); s++) values[s] = forward(steps.get(s), parameters, data);
            adjoints[objectiveStep] = new double[] {1};
            for (int s = objectiveStep; s >= 0; s--) if (adjoints[s] != null) reverse(steps.get(s), s);
            Double[] gradient = new Double[parameterCount];
            for (int i = 0; i < parameterCount; i++) gradient[i] = adjoints[0] == null ? 0.0 : adjoints[0][i];
            return new ObjectiveAndGradient<>(values[objectiveStep][0], gradient);
        }

        private double[] forward(Step step, Double[] parameters, Double[] data) {
            double[] out = new double[step.size];
            switch (step.kind) {
                case PARAMETERS -> { for (int i = 0; i < out.length; i++) out[i] = parameters[i]; }
                case DATA -> { for (int i = 0; i < out.length; i++) out[i] = data[i]; }
                case GATHER -> {
                    for (int i = 0; i < out.length; i++) {
                        int from = step.gatheredElement(i);
                        out[i] = from < 0 ? 0.0 : values[step.gatheredStep(i)][from];
                    }
                }
                case FORMULA_MAP, FORMULA_ROWS -> {
                    DoubleFormula formula = new DoubleFormula(step.kernel, a);
                    double[] operands = new double[step.kernel.parameterCount()];
                    int[] from = new int[operands.length];
                    int[] at = new int[operands.length];
                    for (int i = 0; i < out.length; i++) {
                        locateOperands(step, i, from, at);
                        for (int j = 0; j < operands.length; j++) operands[j] = values[from[j]][at[j]];
                        out[i] = formula.value(operands);
                    }
                }
                case ELEMENTS -> {
                    Double[] elements = step.elementValues(a, boxedExtras(step));
                    for (int i = 0; i < out.length; i++) out[i] = elements[i];
                }
                case MATMUL -> {
                    double[] left = values[step.inputs[0]];
                    double[] right = values[step.inputs[1]];
                    int k = step.product.k(), n = step.product.n();
                    forEachProductEntry(step.product, (row, column, entry) -> {
                        double sum = left[row] * right[column];
                        for (int l = 1; l < k; l++) sum += left[row + l] * right[column + l * n];
                        out[entry] = sum;
                    });
                }
            }
            return out;
        }

        private void reverse(Step step, int self) {
            double[] adjoint = adjoints[self];
            switch (step.kind) {
                case PARAMETERS, DATA -> { }
                case GATHER -> {
                    for (int i = 0; i < adjoint.length; i++) {
                        int from = step.gatheredElement(i);
                        if (from < 0 || adjoint[i] == 0) continue;
                        into(step.gatheredStep(i))[from] += adjoint[i];
                    }
                }
                case FORMULA_MAP, FORMULA_ROWS -> {
                    DoubleFormula formula = new DoubleFormula(step.kernel, a);
                    double[] operands = new double[step.kernel.parameterCount()];
                    int[] from = new int[operands.length];
                    int[] at = new int[operands.length];
                    for (int i = 0; i < adjoint.length; i++) {
                        if (adjoint[i] == 0) continue;
                        locateOperands(step, i, from, at);
                        for (int j = 0; j < operands.length; j++) {
                            operands[j] = values[from[j]][at[j]];
                            into(from[j]);
                        }
                        formula.value(operands);
                        formula.addPartials(adjoint[i], adjoints, from, at);
                    }
                }
                case ELEMENTS -> {
                    Double[] outs = new Double[adjoint.length];
                    for (int i = 0; i < outs.length; i++) outs[i] = adjoint[i];
                    Double[] partials = step.kernel.gradient(a, boxedExtras(step), outs);
                    for (int j = 0; j < partials.length; j++) into((Integer) step.extras[j].key)[step.extras[j].flat] += partials[j];
                }
                case MATMUL -> {
                    double[] left = values[step.inputs[0]];
                    double[] right = values[step.inputs[1]];
                    double[] dLeft = into(step.inputs[0]);
                    double[] dRight = into(step.inputs[1]);
                    int k = step.product.k(), n = step.product.n();
                    forEachProductEntry(step.product, (row, column, entry) -> {
                        double out = adjoint[entry];
                        if (out == 0) return;
                        for (int l = 0; l < k; l++) {
                            dLeft[row + l] += out * right[column + l * n];
                            dRight[column + l * n] += left[row + l] * out;
                        }
                    });
                }
            }
        }

        /** A step's adjoints, zero until something reaches them. */
        private double[] into(int step) {
            if (adjoints[step] == null) adjoints[step] = new double[values[step].length];
            return adjoints[step];
        }

        private Double[] boxedExtras(Step step) {
            Double[] out = new Double[step.extras.length];
            for (int j = 0; j < out.length; j++) out[j] = values[(Integer) step.extras[j].key][step.extras[j].flat];
            return out;
        }
    }

    /**
     * One entry of a batched matrix product: entry {@code entry} of the result is
     * Σ_l left[row + l]·right[column + l·n]. Each pass writes only the loop over l, in its arithmetic.
     */
    @FunctionalInterface
    private interface ProductEntry {
        void at(int row, int column, int entry);
    }

    /** Every entry of the product, batch by batch, row by row. */
    private static void forEachProductEntry(TensorNode.MatMul p, ProductEntry visit) {
        int m = p.m(), k = p.k(), n = p.n();
        for (int b = 0; b < p.leftOffset().length; b++) {
            int lo = p.leftOffset()[b], ro = p.rightOffset()[b], oo = b * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) visit.at(lo + i * k, ro + j, oo + i * n + j);
            }
        }
    }

    /** For element i of a formula step: the step and element of each operand of its formula. */
    private static void locateOperands(Step step, int i, int[] from, int[] at) {
        for (int j = 0; j < from.length; j++) {
            Location l = operandLocation(step, i, j);
            from[j] = (Integer) l.key;
            at[j] = l.flat;
        }
    }

    /** Resolves the graph's nodes to steps, in an order where every step follows its inputs. */
    private static final class Compiler {
        private final Network network;
        private final TensorGraph graph;
        private final Map<String, Integer> parameterIndex = new HashMap<>();
        private final Map<String, Integer> dataIndex = new HashMap<>();
        private final Map<String, Unit> units;
        /** Element names of the graph's unit tensors, built on the first name that needs it. */
        private Map<String, Location> unitElements;
        /** A unit the graph does not cover, as a node of its own. */
        private final Map<String, TensorNode> unitFallbacks = new HashMap<>();
        private final Map<Object, Integer> stepOf = new IdentityHashMap<>();
        private final List<Step> steps = new ArrayList<>();

        Compiler(Network network) {
            this.network = network;
            this.graph = network.graph();
            for (int i = 0; i < network.parameters().size(); i++) parameterIndex.put(network.parameters().get(i).name(), i);
            List<String> data = new ArrayList<>(network.inputs());
            data.addAll(network.targets());
            for (int i = 0; i < data.size(); i++) dataIndex.put(data.get(i), i);
            this.units = network.unitsByName();
            stepOf.put(PARAMETER_VECTOR, 0);
            steps.add(new Step(Kind.PARAMETERS, parameterIndex.size(), new int[0], null, null, null, 0, new Location[0], null));
            stepOf.put(DATA_VECTOR, 1);
            steps.add(new Step(Kind.DATA, dataIndex.size(), new int[0], null, null, null, 0, new Location[0], null));
            stepOf.put(UNUSED, 2);
            steps.add(new Step(Kind.GATHER, 1, new int[0], null, new int[] {-1}, null, 0, new Location[0], null));
        }

        TensorTape compile() {
            int objective = stepFor(graph.objective());
            return new TensorTape(List.copyOf(steps), objective, parameterIndex.size(), dataIndex.size());
        }

        /** The step of a node, compiling what it needs first; iterative, as graphs run deep. */
        private int stepFor(TensorNode root) {
            ArrayDeque<TensorNode> stack = new ArrayDeque<>();
            stack.push(root);
            while (!stack.isEmpty()) {
                TensorNode node = stack.peek();
                if (stepOf.containsKey(node)) {
                    stack.pop();
                    continue;
                }
                boolean ready = true;
                for (Object needed : needs(node)) {
                    if (needed instanceof TensorNode n && !stepOf.containsKey(n)) {
                        stack.push(n);
                        ready = false;
                    }
                }
                if (!ready) continue;
                stack.pop();
                stepOf.put(node, steps.size());
                steps.add(step(node));
            }
            return stepOf.get(root);
        }

        /** The nodes (or vectors) a node's step reads. */
        private List<Object> needs(TensorNode node) {
            if (node instanceof TensorNode.Named n) {
                TensorNode unit = graph.units().get(n.name());
                if (unit != null) return List.of(unit);
                List<Object> out = new ArrayList<>();
                for (int flat = 0, size = Tensor.size(n.shape()); flat < size; flat++) out.add(locate(elementName(n, flat)).key);
                return out;
            }
            if (node instanceof TensorNode.Elements e) return keys(namesIn(List.of(e.elements())));
            if (node instanceof TensorNode.Gather g) return List.copyOf(g.sources());
            if (node instanceof TensorNode.Map m) {
                List<Object> out = new ArrayList<>(m.operands());
                out.addAll(keys(extraNames(m.formula())));
                return out;
            }
            if (node instanceof TensorNode.Rows r) {
                List<Object> out = new ArrayList<>(List.of(r.source()));
                out.addAll(keys(extraNames(r.formula())));
                return out;
            }
            TensorNode.MatMul p = (TensorNode.MatMul) node;
            return List.of(p.left(), p.right());
        }

        private List<Object> keys(List<String> names) {
            List<Object> out = new ArrayList<>(names.size());
            for (String name : names) out.add(locate(name).key);
            return out;
        }

        private Step step(TensorNode node) {
            int size = Tensor.size(node.shape());
            if (node instanceof TensorNode.Named n) {
                TensorNode unit = graph.units().get(n.name());
                if (unit != null) {
                    return new Step(Kind.GATHER, size, new int[] {stepOf.get(unit)}, null, null, null, 0, new Location[0], null);
                }
                List<Integer> inputs = new ArrayList<>();
                int[] source = new int[size];
                int[] index = new int[size];
                for (int flat = 0; flat < size; flat++) {
                    Location at = locate(elementName(n, flat));
                    int step = stepOf.get(at.key);
                    int slot = inputs.indexOf(step);
                    if (slot < 0) {
                        slot = inputs.size();
                        inputs.add(step);
                    }
                    source[flat] = slot;
                    index[flat] = at.flat;
                }
                return new Step(Kind.GATHER, size, ints(inputs), source, index, null, 0, new Location[0], null);
            }
            if (node instanceof TensorNode.Gather g) {
                int[] inputs = new int[g.sources().size()];
                for (int i = 0; i < inputs.length; i++) inputs[i] = stepOf.get(g.sources().get(i));
                return new Step(Kind.GATHER, size, inputs, g.source(), g.index(), null, 0, new Location[0], null);
            }
            if (node instanceof TensorNode.Map m) {
                int[] inputs = new int[m.operands().size()];
                for (int i = 0; i < inputs.length; i++) inputs[i] = stepOf.get(m.operands().get(i));
                List<String> extras = extraNames(m.formula());
                return new Step(Kind.FORMULA_MAP, size, inputs, null, null, formulaKernel(m.formula(), inputs.length, extras), 0,
                        located(extras), null);
            }
            if (node instanceof TensorNode.Rows r) {
                List<String> extras = extraNames(r.formula());
                return new Step(Kind.FORMULA_ROWS, size, new int[] {stepOf.get(r.source())}, null, null,
                        formulaKernel(r.formula(), r.width(), extras), r.width(), located(extras), null);
            }
            if (node instanceof TensorNode.Elements e) {
                List<String> names = namesIn(List.of(e.elements()));
                return new Step(Kind.ELEMENTS, size, new int[0], null, null, elementsKernel(e.elements(), names), 0,
                        located(names), null);
            }
            TensorNode.MatMul p = (TensorNode.MatMul) node;
            return new Step(Kind.MATMUL, size, new int[] {stepOf.get(p.left()), stepOf.get(p.right())}, null, null, null, 0,
                    new Location[0], p);
        }

        private Location[] located(List<String> names) {
            Location[] out = new Location[names.size()];
            for (int i = 0; i < out.length; i++) {
                Location at = locate(names.get(i));
                out[i] = new Location(stepOf.get(at.key), at.flat);
            }
            return out;
        }

        /** Where a scalar name's value is: a parameter, a datum, a unit of the graph, or a unit compiled alone. */
        private Location locate(String name) {
            Integer p = parameterIndex.get(name);
            if (p != null) return new Location(PARAMETER_VECTOR, p);
            Integer d = dataIndex.get(name);
            if (d != null) return new Location(DATA_VECTOR, d);
            TensorNode unit = graph.units().get(name);
            if (unit != null && unit.shape().length == 0) return new Location(unit, 0);
            if (unitElements == null) {
                unitElements = new HashMap<>();
                for (var u : graph.units().entrySet()) {
                    int[] shape = u.getValue().shape();
                    if (shape.length == 0) continue;
                    for (int flat = 0, n = Tensor.size(shape); flat < n; flat++) {
                        unitElements.put(Tensor.elementName(u.getKey(), shape, flat, graph.first()), new Location(u.getValue(), flat));
                    }
                }
            }
            Location element = unitElements.get(name);
            if (element != null) return element;
            Unit u = units.get(name);
            // An element the objective never uses may be left out of the network (an importer keeps
            // only the parameters that reach it): its value changes nothing, so 0 stands for it.
            if (u == null) return new Location(UNUSED, 0);
            return new Location(unitFallbacks.computeIfAbsent(name, k -> new TensorNode.Elements(new int[0], new Expr[] {u.definition()})), 0);
        }

        private static String elementName(TensorNode.Named n, int flat) {
            return n.shape().length == 0 ? n.name() : Tensor.elementName(n.name(), n.shape(), flat, n.first());
        }

        /** The names a formula uses besides its placeholders, in order of first use. */
        private static List<String> extraNames(Expr formula) {
            List<String> out = new ArrayList<>();
            for (String name : namesIn(List.of(formula))) if (!name.startsWith("#")) out.add(name);
            return out;
        }

        /** Every name the expressions refer to, once each, in order of first use (shared objects walked once). */
        private static List<String> namesIn(List<Expr> roots) {
            Set<String> names = new java.util.LinkedHashSet<>();
            Set<Expr> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            ArrayDeque<Expr> stack = new ArrayDeque<>();
            for (int i = roots.size() - 1; i >= 0; i--) stack.push(roots.get(i));
            while (!stack.isEmpty()) {
                Expr e = stack.pop();
                if (!seen.add(e)) continue;
                if (e instanceof Expr.Ref r) {
                    names.add(r.name());
                    continue;
                }
                List<Expr> children = e.children();
                for (int i = children.size() - 1; i >= 0; i--) stack.push(children.get(i));
            }
            return new ArrayList<>(names);
        }

        /** The formula as a tape whose parameters are its operands, then the other names it uses. */
        private Tape formulaKernel(Expr formula, int operands, List<String> extras) {
            List<String> parameters = new ArrayList<>();
            for (int i = 0; i < operands; i++) parameters.add(TensorNode.placeholder(i));
            parameters.addAll(extras);
            return Tape.compile(kernelNetwork(parameters, List.of(), List.of(), formula));
        }

        /**
         * The elements as units of a tape whose parameters are the names they use and whose data are
         * adjoints, one per element: its objective Σ adjoint·element makes its gradient the
         * reverse pass of all the elements at once.
         */
        private Tape elementsKernel(Expr[] elements, List<String> names) {
            List<Unit> kernelUnits = new ArrayList<>(elements.length);
            List<String> adjointNames = new ArrayList<>(elements.length);
            List<Expr> terms = new ArrayList<>(elements.length);
            for (int i = 0; i < elements.length; i++) {
                kernelUnits.add(new Unit(elementUnit(i), elements[i], new SourcePos(1, 1), null));
                adjointNames.add("#adjoint" + i);
                terms.add(new Expr.Product(List.of(new Expr.Ref("#adjoint" + i), new Expr.Ref(elementUnit(i)))));
            }
            return Tape.compile(kernelNetwork(names, adjointNames, kernelUnits, new Expr.Sum(terms)));
        }

        private Network kernelNetwork(List<String> parameters, List<String> data, List<Unit> kernelUnits, Expr objective) {
            List<Parameter> params = new ArrayList<>(parameters.size());
            for (String name : parameters) params.add(new Parameter(name, new Init.Random(), new SourcePos(1, 1)));
            return new Network(network.name(), data, List.of(), kernelUnits, objective, params, network.activations(), List.of(),
                    List.of(), List.of(), network.optimizer());
        }

        private static int[] ints(List<Integer> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = list.get(i);
            return out;
        }
    }
}
