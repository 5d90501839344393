package dev.netsym.calculus;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.Sample;
import dev.netsym.model.Unit;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network compiled once into flat arrays, so that every later evaluation is one forward
 * and one reverse loop over nodes: O(nodes + edges), with no expression trees, no recursion
 * along the unit graph, and every unit computed once however many units use it.
 *
 * <p>Node order is topological: the data leaves (inputs then targets), the parameter leaves,
 * then each unit's nodes in the network's unit order, then the objective's. Children of a
 * node always have smaller indices.
 */
public final class Tape implements GradientEngine {

    /** What a node computes from its children. */
    public enum Operation {
        DATA, PARAMETER, CONSTANT, SUM, PRODUCT, NEGATE, QUOTIENT, INTEGER_POWER, REAL_POWER, BUILTIN, GENERIC
    }

    private static final Operation[] OPERATIONS = Operation.values();
    private static final Builtin[] BUILTINS = Builtin.values();

    private final byte[] operations;
    /** Per node: leaf index, constant index, integer exponent, builtin ordinal or activation index. */
    private final int[] operands;
    /** Per GENERIC node: the derivative order (0 for f itself). */
    private final int[] derivativeOrders;
    private final int[] childStart;
    private final int[] children;
    private final Rational[] constants;
    private final String[] activationNames;
    private final List<String> dataNames;
    private final List<String> parameterNames;
    /** Built on the first lookup by name: the numeric passes index parameters by position. */
    private Map<String, Integer> parameterIndexByName;
    private final Map<String, Integer> unitNodes;
    private final int objectiveNode;
    private final Set<Builtin> builtinsUsed;
    private final boolean usesNonIntegerPowers;

    private Tape(Compiler compiler, int objectiveNode) {
        int n = compiler.operations.size();
        this.operations = new byte[n];
        for (int i = 0; i < n; i++) operations[i] = (byte) compiler.operations.get(i);
        this.operands = compiler.operands.toArray();
        this.derivativeOrders = compiler.derivativeOrders.toArray();
        this.childStart = compiler.childStart.toArray();
        this.children = compiler.children.toArray();
        this.constants = compiler.constants.toArray(new Rational[0]);
        this.activationNames = compiler.activationNames.toArray(new String[0]);
        this.dataNames = List.copyOf(compiler.dataNames);
        this.parameterNames = List.copyOf(compiler.parameterNames);
        this.unitNodes = Collections.unmodifiableMap(compiler.unitNodes);
        this.objectiveNode = objectiveNode;
        this.builtinsUsed = Collections.unmodifiableSet(compiler.builtinsUsed);
        this.usesNonIntegerPowers = compiler.usesNonIntegerPowers;
    }

    /**
     * Compiles the network. Throws {@link IllegalArgumentException} for a name that is not an
     * input, target, parameter or earlier unit, a builtin called with the wrong arity, or a
     * call of an undeclared function.
     */
    public static Tape compile(Network network) {
        synchronized (Tape.class) {
            if (lastCompiled != null && lastCompiled.network.get() == network) {
                Tape tape = lastCompiled.tape.get();
                if (tape != null) return tape;
            }
        }
        Tape tape = compileAnew(network);
        synchronized (Tape.class) {
            lastCompiled = new Compiled(new WeakReference<>(network), new SoftReference<>(tape));
        }
        return tape;
    }

    /**
     * The last network compiled and its tape: a command compiles its network in several places
     * (the preflight, the proof, the proof under each optimiser). The tape is immutable, hence
     * shared; held softly, so that it never costs memory a run needs.
     */
    private record Compiled(WeakReference<Network> network, SoftReference<Tape> tape) {}

    private static Compiled lastCompiled;

    private static Tape compileAnew(Network network) {
        Compiler compiler = new Compiler(network);
        for (Unit unit : network.units()) compiler.compileUnit(unit);
        int objective = compiler.compile(network.objective(), "the objective");
        return new Tape(compiler, objective);
    }

    // --- structure ---

    public int nodeCount() { return operations.length; }

    public int edgeCount() { return children.length; }

    public int objectiveNode() { return objectiveNode; }

    /** Inputs then targets, in network order: the order {@code dataValues} must follow. */
    public List<String> dataNames() { return dataNames; }

    /** In the network's order: parameter i of the tape is {@code network.parameters().get(i)}. */
    public List<String> parameterNames() { return parameterNames; }

    @Override
    public int parameterCount() { return parameterNames.size(); }

    /** The parameter's index in {@code parameterValues} and in the gradient. */
    public synchronized int parameterIndex(String name) {
        if (parameterIndexByName == null) {
            parameterIndexByName = new HashMap<>(4 * parameterNames.size() / 3 + 16);
            for (int i = 0; i < parameterNames.size(); i++) parameterIndexByName.put(parameterNames.get(i), i);
        }
        Integer index = parameterIndexByName.get(name);
        if (index == null) throw new IllegalArgumentException("no parameter named '" + name + "'");
        return index;
    }

    /** Unit name → its node, in unit order; each unit has a node of its own. */
    public Map<String, Integer> unitNodes() { return unitNodes; }

    public int unitNode(String unit) {
        Integer node = unitNodes.get(unit);
        if (node == null) throw new IllegalArgumentException("no unit named '" + unit + "'");
        return node;
    }

    public Set<Builtin> builtinsUsed() { return builtinsUsed; }

    /** The most terms any sum adds: values of size 1/√ of it keep every sum of O(1) values O(1). */
    public int widestSum() {
        int widest = 1;
        for (int node = 0; node < nodeCount(); node++) {
            if (operation(node) == Operation.SUM) widest = Math.max(widest, childCount(node));
        }
        return widest;
    }

    /** Whether some power has an exponent that is not an integer constant (needs exp and log). */
    public boolean usesNonIntegerPowers() { return usesNonIntegerPowers; }

    /** A sample's values as a data vector in {@link #dataNames()} order. */
    public <T> T[] dataValues(Arithmetic<T> arithmetic, Sample sample) {
        T[] values = arithmetic.newArray(dataNames.size());
        for (int i = 0; i < values.length; i++) {
            Rational value = sample.values().get(dataNames.get(i));
            if (value == null) throw new IllegalArgumentException("sample has no value for '" + dataNames.get(i) + "'");
            values[i] = arithmetic.fromRational(value);
        }
        return values;
    }

    // --- evaluation ---

    /**
     * The objective, every node's value, every node's adjoint ∂objective/∂node and the
     * gradient, in one forward and one reverse pass.
     *
     * @param dataValues inputs then targets, as in {@link #dataNames()}
     */
    public <T> Evaluation<T> evaluate(Arithmetic<T> arithmetic, T[] parameterValues, T[] dataValues) {
        requireLengths(parameterValues, dataValues);
        T[] values = forward(arithmetic, parameterValues, dataValues);
        T[] adjoints = reverse(arithmetic, values);
        return new Evaluation<>(this, values, adjoints, parameterAdjoints(arithmetic, adjoints));
    }

    @Override
    public <T> ObjectiveAndGradient<T> objectiveAndGradient(Arithmetic<T> arithmetic, T[] parameterValues, T[] dataValues) {
        Evaluation<T> evaluation = evaluate(arithmetic, parameterValues, dataValues);
        T[] gradient = arithmetic.newArray(parameterNames.size());
        for (int i = 0; i < gradient.length; i++) gradient[i] = evaluation.gradient(i);
        return new ObjectiveAndGradient<>(evaluation.objective(), gradient);
    }

    /**
     * The gradient alone, in parameter order. In doubles and double-doubles it is computed on
     * primitive arrays, without an object per node (the same bits as {@link #evaluate}).
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] gradient(Arithmetic<T> arithmetic, T[] parameterValues, T[] dataValues) {
        requireLengths(parameterValues, dataValues);
        if (arithmetic instanceof DoubleDoubleArithmetic dd) {
            return (T[]) DoubleDoubleGradient.of(this, dd, (DoubleDouble[]) parameterValues, (DoubleDouble[]) dataValues);
        }
        if (arithmetic instanceof DoubleArithmetic doubles) {
            return (T[]) DoubleFormula.gradient(this, doubles, (Double[]) parameterValues, (Double[]) dataValues);
        }
        return parameterAdjoints(arithmetic, reverse(arithmetic, forward(arithmetic, parameterValues, dataValues)));
    }

    private void requireLengths(Object[] parameterValues, Object[] dataValues) {
        if (parameterValues.length != parameterNames.size()) {
            throw new IllegalArgumentException("expected " + parameterNames.size()
                    + " parameter values, got " + parameterValues.length);
        }
        if (dataValues.length != dataNames.size()) {
            throw new IllegalArgumentException("expected " + dataNames.size() + " data values (inputs then targets), got "
                    + dataValues.length);
        }
    }

    private <T> T[] parameterAdjoints(Arithmetic<T> arithmetic, T[] adjoints) {
        T[] gradient = arithmetic.newArray(parameterNames.size());
        System.arraycopy(adjoints, parameterNode(0), gradient, 0, gradient.length);
        return gradient;
    }

    private <T> T[] forward(Arithmetic<T> a, T[] parameterValues, T[] dataValues) {
        T[] constantValues = a.newArray(constants.length);
        for (int i = 0; i < constants.length; i++) constantValues[i] = a.fromRational(constants[i]);
        int n = operations.length;
        T[] values = a.newArray(n);
        for (int node = 0; node < n; node++) {
            int from = childStart[node];
            int to = childStart[node + 1];
            T value;
            switch (OPERATIONS[operations[node]]) {
                case DATA: value = dataValues[operands[node]]; break;
                case PARAMETER: value = parameterValues[operands[node]]; break;
                case CONSTANT: value = constantValues[operands[node]]; break;
                case SUM: {
                    value = values[children[from]];
                    for (int c = from + 1; c < to; c++) value = a.add(value, values[children[c]]);
                    break;
                }
                case PRODUCT: {
                    value = values[children[from]];
                    for (int c = from + 1; c < to; c++) value = a.multiply(value, values[children[c]]);
                    break;
                }
                case NEGATE: value = a.negate(values[children[from]]); break;
                default: value = nodeValue(a, node, childValues(a, values, from, to));
            }
            values[node] = value;
        }
        return values;
    }

    private <T> T[] reverse(Arithmetic<T> a, T[] values) {
        int n = operations.length;
        T[] adjoints = a.newArray(n);
        T zero = a.zero();
        Arrays.fill(adjoints, zero);
        adjoints[objectiveNode] = a.one();
        for (int node = objectiveNode; node >= 0; node--) {
            T adjoint = adjoints[node];
            if (a.isZero(adjoint)) continue;
            int from = childStart[node];
            int to = childStart[node + 1];
            switch (OPERATIONS[operations[node]]) {
                case DATA:
                case PARAMETER:
                case CONSTANT:
                    break;
                case SUM:
                    for (int c = from; c < to; c++) accumulate(a, adjoints, children[c], adjoint);
                    break;
                case PRODUCT:
                    reverseProduct(a, values, adjoints, from, to, adjoint);
                    break;
                case NEGATE:
                    accumulate(a, adjoints, children[from], a.negate(adjoint));
                    break;
                default: {
                    T[] partials = localPartials(a, node, childValues(a, values, from, to), values[node]);
                    for (int c = from; c < to; c++) {
                        accumulate(a, adjoints, children[c], a.multiply(adjoint, partials[c - from]));
                    }
                }
            }
        }
        return adjoints;
    }

    /**
     * The value of a QUOTIENT, power, BUILTIN or GENERIC node from its children's values: the
     * operations that are not plain sums and products, shared by every evaluation.
     */
    <T> T nodeValue(Arithmetic<T> a, int node, T[] args) {
        try {
            return functionValue(a, node, args);
        } catch (ArithmeticException e) {
            throw located(e, node);
        }
    }

    private <T> T functionValue(Arithmetic<T> a, int node, T[] args) {
        switch (OPERATIONS[operations[node]]) {
            case QUOTIENT: return a.divide(args[0], args[1]);
            case INTEGER_POWER: return a.power(args[0], operands[node]);
            case REAL_POWER: {
                requireRealPowers(a);
                return a.apply(Builtin.EXP, a.multiply(args[1], a.apply(Builtin.LOG, args[0])));
            }
            case BUILTIN: return a.apply(BUILTINS[operands[node]], args);
            case GENERIC: return a.genericDerivative(activationNames[operands[node]], derivativeOrders[node], args[0]);
            default: throw new IllegalStateException("not a function node: " + node);
        }
    }

    /** ∂node/∂child for each child of a node that {@link #nodeValue} computes, given its value. */
    <T> T[] localPartials(Arithmetic<T> a, int node, T[] args, T value) {
        try {
            return functionPartials(a, node, args, value);
        } catch (ArithmeticException e) {
            throw located(e, node);
        }
    }

    private <T> T[] functionPartials(Arithmetic<T> a, int node, T[] args, T value) {
        T[] partials = a.newArray(args.length);
        switch (OPERATIONS[operations[node]]) {
            case QUOTIENT:
                // d(u/v) = du/v − (u/v)·dv/v
                partials[0] = a.divide(a.one(), args[1]);
                partials[1] = a.negate(a.divide(value, args[1]));
                break;
            case INTEGER_POWER: {
                int exponent = operands[node];
                partials[0] = exponent == 0 ? a.zero()
                        : a.multiply(a.fromRational(Rational.of(exponent)), a.power(args[0], exponent - 1));
                break;
            }
            case REAL_POWER:
                // d(b^e) = b^e·(e/b)·db + b^e·ln b·de. A constant exponent (a norm's −1/2) needs no
                // ln b: a constant's adjoint reaches no parameter, and ln b is the dearest step in decimals.
                partials[0] = a.divide(a.multiply(value, args[1]), args[0]);
                partials[1] = OPERATIONS[operations[children[childStart[node] + 1]]] == Operation.CONSTANT ? a.zero()
                        : a.multiply(value, a.apply(Builtin.LOG, args[0]));
                break;
            case BUILTIN:
                for (int c = 0; c < args.length; c++) partials[c] = a.derivative(BUILTINS[operands[node]], c, args);
                break;
            case GENERIC:
                partials[0] = a.genericDerivative(activationNames[operands[node]], derivativeOrders[node] + 1, args[0]);
                break;
            default: throw new IllegalStateException("not a function node: " + node);
        }
        return partials;
    }

    /**
     * The same failure, saying where: "in unit h: division by zero". A unit's nodes are
     * compiled just before its own node, so the unit of a node is the first whose node is not
     * before it; after the last unit comes the objective.
     */
    private ArithmeticException located(ArithmeticException e, int node) {
        String where = "the objective";
        for (var unit : unitNodes.entrySet()) {
            if (unit.getValue() >= node) {
                where = "unit " + unit.getKey();
                break;
            }
        }
        String message = "in " + where + ": " + e.getMessage();
        ArithmeticException located = e instanceof DivisionByZeroException
                ? new DivisionByZeroException(message) : new ArithmeticException(message);
        located.initCause(e);
        return located;
    }

    /** ∂(x1···xk)/∂xj = (x1···x(j-1))·(x(j+1)···xk): prefix and suffix products, no division by a factor that may be 0. */
    private <T> void reverseProduct(Arithmetic<T> a, T[] values, T[] adjoints, int from, int to, T adjoint) {
        int k = to - from;
        if (k == 1) {
            accumulate(a, adjoints, children[from], adjoint);
            return;
        }
        if (k == 2) {
            accumulate(a, adjoints, children[from], a.multiply(adjoint, values[children[from + 1]]));
            accumulate(a, adjoints, children[from + 1], a.multiply(adjoint, values[children[from]]));
            return;
        }
        T[] suffix = a.newArray(k + 1);
        suffix[k] = a.one();
        for (int j = k - 1; j >= 0; j--) suffix[j] = a.multiply(values[children[from + j]], suffix[j + 1]);
        T prefix = adjoint;
        for (int j = 0; j < k; j++) {
            accumulate(a, adjoints, children[from + j], a.multiply(prefix, suffix[j + 1]));
            prefix = a.multiply(prefix, values[children[from + j]]);
        }
    }

    private static <T> void accumulate(Arithmetic<T> a, T[] adjoints, int node, T contribution) {
        adjoints[node] = a.add(adjoints[node], contribution);
    }

    private <T> T[] childValues(Arithmetic<T> a, T[] values, int from, int to) {
        T[] args = a.newArray(to - from);
        for (int c = from; c < to; c++) args[c - from] = values[children[c]];
        return args;
    }

    private static void requireRealPowers(Arithmetic<?> a) {
        if (!a.supports(Builtin.EXP) || !a.supports(Builtin.LOG)) {
            throw new UnsupportedArithmeticException(
                    "a power with a non-integer exponent needs exp and log, which " + a + " lacks; use decimal arithmetic");
        }
    }

    // --- structure, for analyses that read the graph rather than evaluate it ---

    public Operation operation(int node) { return OPERATIONS[operations[node]]; }

    public int childCount(int node) { return childStart[node + 1] - childStart[node]; }

    public int child(int node, int k) { return children[childStart[node] + k]; }

    /** For a DATA or PARAMETER node: its index among the data values or the parameters. */
    public int leafIndex(int node) { return operands[node]; }

    /** For a CONSTANT node: its value. */
    public Rational constant(int node) { return constants[operands[node]]; }

    /** For an INTEGER_POWER node: the exponent. */
    public int exponent(int node) { return operands[node]; }

    /** For a BUILTIN node: the function. */
    public Builtin builtin(int node) { return BUILTINS[operands[node]]; }

    /** For a GENERIC node: the activation's name and which derivative (0 = the function). */
    public String activationName(int node) { return activationNames[operands[node]]; }

    public int derivativeOrder(int node) { return derivativeOrders[node]; }

    /** The node of parameter {@code parameterIndex}. */
    public int parameterNode(int parameterIndex) { return dataNames.size() + parameterIndex; }

    // --- compilation ---

    /** Builds the arrays; recursion only follows one unit's expression, never the unit graph. */
    private static final class Compiler {
        final Network network;
        final IntList operations = new IntList();
        final IntList operands = new IntList();
        final IntList derivativeOrders = new IntList();
        final IntList childStart = new IntList();
        final IntList children = new IntList();
        final List<Rational> constants = new ArrayList<>();
        final Map<Rational, Integer> constantNodes = new HashMap<>();
        final List<String> activationNames = new ArrayList<>();
        final Map<String, Integer> activationIndex = new HashMap<>();
        final List<String> dataNames = new ArrayList<>();
        final List<String> parameterNames = new ArrayList<>();
        final Map<String, Integer> unitNodes = new LinkedHashMap<>();
        final Map<String, Integer> nodeByName;
        final Set<Builtin> builtinsUsed = EnumSet.noneOf(Builtin.class);
        /**
         * Every compound expression compiled so far, by identity: a front end that uses one value
         * in many units (a matrix product's operand, once per column of the other side) hands the
         * same object to each, and it becomes one node instead of a copy per use.
         */
        final Map<Expr, Integer> compiled = new IdentityHashMap<>();
        /**
         * The nodes of names met lately, by the identity of their Ref: a front end hands one Ref
         * object to every term that reads an element (a matrix product reads each one a row or a
         * column long), and looking its name up in a map of millions was half of compiling. A
         * name's node never changes once declared, so a remembered one stays right. Sized by the
         * names (at most 2^16 slots): a formula's tape of a few nodes gets a table of a few slots.
         */
        final Expr.Ref[] recentRefs;
        final int[] recentRefNodes;
        boolean usesNonIntegerPowers;

        Compiler(Network network) {
            this.network = network;
            int names = network.inputs().size() + network.targets().size() + network.parameters().size()
                    + network.units().size();
            nodeByName = new HashMap<>(4 * names / 3 + 16);
            int slots = Integer.highestOneBit(Math.min(Math.max(names, 8), 1 << 15) * 2);
            recentRefs = new Expr.Ref[slots];
            recentRefNodes = new int[slots];
            childStart.add(0);
            dataNames.addAll(network.inputs());
            dataNames.addAll(network.targets());
            for (int i = 0; i < dataNames.size(); i++) {
                declare(dataNames.get(i), leaf(Operation.DATA, i));
            }
            for (int i = 0; i < network.parameters().size(); i++) {
                String name = network.parameters().get(i).name();
                parameterNames.add(name);
                declare(name, leaf(Operation.PARAMETER, i));
            }
        }

        void compileUnit(Unit unit) {
            int firstNewNode = operations.size();
            int root = compile(unit.definition(), "unit " + unit.name());
            // A unit that merely names another value still gets its own node, so that its
            // adjoint is ∂objective/∂unit and not the adjoint of what it names.
            if (root < firstNewNode) root = node(Operation.SUM, 0, 0, root);
            declare(unit.name(), root);
            unitNodes.put(unit.name(), root);
        }

        private void declare(String name, int node) {
            if (nodeByName.putIfAbsent(name, node) != null) {
                throw new IllegalArgumentException("'" + name + "' is defined twice");
            }
        }

        int compile(Expr expr, String where) {
            if (expr instanceof Expr.Num num) return constant(num.value());
            if (expr instanceof Expr.Ref ref) {
                int slot = System.identityHashCode(ref) & (recentRefs.length - 1);
                if (recentRefs[slot] == ref) return recentRefNodes[slot];
                Integer node = nodeByName.get(ref.name());
                if (node == null) throw new IllegalArgumentException("unknown name '" + ref.name() + "' in " + where);
                recentRefs[slot] = ref;
                recentRefNodes[slot] = node;
                return node;
            }
            Integer known = compiled.get(expr);
            if (known != null) return known;
            int node = compileCompound(expr, where);
            compiled.put(expr, node);
            return node;
        }

        private int compileCompound(Expr expr, String where) {
            if (expr instanceof Expr.Neg neg) return node(Operation.NEGATE, 0, 0, compile(neg.operand(), where));
            if (expr instanceof Expr.Sum sum) return nary(Operation.SUM, sum.terms(), where);
            if (expr instanceof Expr.Product product) return nary(Operation.PRODUCT, product.factors(), where);
            if (expr instanceof Expr.Quotient quotient) {
                int numerator = compile(quotient.numerator(), where);
                int denominator = compile(quotient.denominator(), where);
                return node(Operation.QUOTIENT, 0, 0, numerator, denominator);
            }
            if (expr instanceof Expr.Power power) {
                int base = compile(power.base(), where);
                Integer exponent = integerConstant(power.exponent());
                if (exponent != null) return node(Operation.INTEGER_POWER, exponent, 0, base);
                usesNonIntegerPowers = true;
                return node(Operation.REAL_POWER, 0, 0, base, compile(power.exponent(), where));
            }
            if (expr instanceof Expr.Call call) return call(call, where);
            if (expr instanceof Expr.DerivativeCall derivative) {
                if (derivative.order() < 0) throw new IllegalArgumentException("negative derivative order in " + where);
                int argument = compile(derivative.arg(), where);
                return node(Operation.GENERIC, activation(derivative.function(), where), derivative.order(), argument);
            }
            throw new IllegalArgumentException("unsupported expression " + expr + " in " + where);
        }

        private int call(Expr.Call call, String where) {
            Builtin builtin = Builtin.byName(call.function()).orElse(null);
            if (builtin != null) {
                if (call.args().size() != builtin.arity()) {
                    throw new IllegalArgumentException(builtin.specName() + " takes " + builtin.arity()
                            + " argument(s), got " + call.args().size() + " in " + where);
                }
                builtinsUsed.add(builtin);
                int[] args = compileAll(call.args(), where);
                return node(Operation.BUILTIN, builtin.ordinal(), 0, args);
            }
            if (call.args().size() != 1) {
                throw new IllegalArgumentException("activation " + call.function() + " takes 1 argument, got "
                        + call.args().size() + " in " + where);
            }
            int index = activation(call.function(), where);
            return node(Operation.GENERIC, index, 0, compile(call.args().get(0), where));
        }

        private int activation(String name, String where) {
            if (!network.activations().contains(name)) {
                throw new IllegalArgumentException("unknown function '" + name + "' in " + where);
            }
            return activationIndex.computeIfAbsent(name, n -> {
                activationNames.add(n);
                return activationNames.size() - 1;
            });
        }

        private int nary(Operation operation, List<Expr> operands, String where) {
            if (operands.isEmpty()) {
                return constant(operation == Operation.SUM ? Rational.ZERO : Rational.ONE);
            }
            return node(operation, 0, 0, compileAll(operands, where));
        }

        private int[] compileAll(List<Expr> exprs, String where) {
            int[] nodes = new int[exprs.size()];
            for (int i = 0; i < nodes.length; i++) nodes[i] = compile(exprs.get(i), where);
            return nodes;
        }

        private static Integer integerConstant(Expr expr) {
            boolean negated = false;
            if (expr instanceof Expr.Neg neg) {
                negated = true;
                expr = neg.operand();
            }
            if (!(expr instanceof Expr.Num num) || !num.value().isInteger()) return null;
            if (num.value().numerator().bitLength() > 31) return null;
            int value = num.value().numerator().intValueExact();
            return negated ? -value : value;
        }

        private int constant(Rational value) {
            Integer existing = constantNodes.get(value);
            if (existing != null) return existing;
            constants.add(value);
            int node = leaf(Operation.CONSTANT, constants.size() - 1);
            constantNodes.put(value, node);
            return node;
        }

        private int leaf(Operation operation, int operand) {
            return node(operation, operand, 0);
        }

        private int node(Operation operation, int operand, int derivativeOrder, int... childNodes) {
            operations.add(operation.ordinal());
            operands.add(operand);
            derivativeOrders.add(derivativeOrder);
            for (int child : childNodes) children.add(child);
            childStart.add(children.size());
            return operations.size() - 1;
        }
    }

    /** A growable int array: boxing a million edges into an ArrayList would dominate memory. */
    private static final class IntList {
        private int[] items = new int[16];
        private int size;

        void add(int value) {
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            items[size++] = value;
        }

        int get(int index) { return items[index]; }

        int size() { return size; }

        int[] toArray() { return Arrays.copyOf(items, size); }
    }

    /** The names of the generic activations the tape calls, in order of first use. */
    public Set<String> genericActivationsUsed() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(activationNames)));
    }
}
