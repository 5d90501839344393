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
import dev.netsym.model.Unit;
import dev.netsym.spec.grammar.NetSpecParser;
import dev.netsym.spec.grammar.NetSpecParser.*;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
     * terms of sum(...), parameters selected by init lines). A dense weight with its init costs
     * two elements, so networks of up to about 3 million weights are read (a proof of 1.7 million
     * takes about 1.6 GB and 8 s), while a one-line spec cannot ask for billions.
     */
    static final long MAX_ELEMENTS = 6_000_000;

    private final List<Diagnostic> diagnostics;

    private String networkName;
    private final Map<String, SourcePos> inputs = new LinkedHashMap<>();
    private final Map<String, SourcePos> targets = new LinkedHashMap<>();
    /** Vectors (input, target, layer or an indexed family of units): name → size. */
    private final Map<String, Integer> vectors = new HashMap<>();
    private final Map<String, SourcePos> activations = new LinkedHashMap<>();
    private final Map<String, UnitStmtContext> unitStatements = new LinkedHashMap<>();
    private final Map<String, SourcePos> unitPositions = new LinkedHashMap<>();
    private final Map<String, String> unitLayers = new HashMap<>();
    private final List<LayerStmtContext> layerStatements = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<ObjectiveStmtContext> objectives = new ArrayList<>();
    private final List<InitStmtContext> inits = new ArrayList<>();
    private final List<DataStmtContext> dataStatements = new ArrayList<>();
    private final List<AssumeStmtContext> assumeStatements = new ArrayList<>();
    private String optimizer;
    private long elements;
    private boolean overBudget;

    /** Per vector a dense layer reads: the Refs of its elements, x[1], x[2], ... */
    private final Map<String, List<Expr.Ref>> elementRefs = new HashMap<>();

    /** Parameters in order of first appearance, with where they first appear. */
    private final Map<String, SourcePos> parameters = new LinkedHashMap<>();

    ModelBuilder(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    SpecResult build(List<StatementContext> statements) {
        for (int i = 0; i < statements.size(); i++) declare(statements.get(i), i == 0);
        if (hasErrors()) return failed();

        Map<String, Unit> units = new LinkedHashMap<>();
        for (LayerStmtContext layer : layerStatements) expandLayer(layer, units);
        for (var entry : unitStatements.entrySet()) {
            UnitStmtContext u = entry.getValue();
            Expr definition = new ExprConverter(null, 0).sum(u.sum());
            units.put(entry.getKey(), new Unit(entry.getKey(), definition, pos(u.ref()), null));
        }
        Expr objective = null;
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
            objective = new ExprConverter(null, 0).sum(objectives.get(0).sum());
        }
        if (hasErrors()) return failed();

        UnitGraph graph = new UnitGraph(units, diagnostics);
        List<Unit> ordered = graph.topologicalOrder();
        if (hasErrors()) return failed();
        graph.warnUnreachable(objective, parameters);
        warnLikelyMistakes(inUnits);

        Inits initOf = resolveInits();
        List<Sample> data = resolveData();
        List<Assumption> assumptions = resolveAssumptions(initOf);
        if (hasErrors()) return failed();

        List<Parameter> params = new ArrayList<>(parameters.size());
        for (var p : parameters.entrySet()) {
            params.add(new Parameter(p.getKey(), initOf.of(p.getKey()), p.getValue()));
        }
        params.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        Network network = new Network(networkName == null ? Network.UNNAMED : networkName,
                List.copyOf(inputs.keySet()), List.copyOf(targets.keySet()), ordered, objective, params,
                activations.keySet(), layers, data, assumptions, optimizer == null ? "sgd" : optimizer);
        return new SpecResult(Optional.of(network), diagnostics);
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

    private void declare(StatementContext s, boolean first) {
        if (s instanceof NetworkStmtContext n) {
            if (!first) error(n, "'network' must be the first statement");
            else networkName = n.name.getText();
        } else if (s instanceof InputStmtContext in) {
            for (VectorDeclContext v : in.vectorDecl()) declareVector(v, inputs, "input");
        } else if (s instanceof TargetStmtContext t) {
            for (VectorDeclContext v : t.vectorDecl()) declareVector(v, targets, "target");
        } else if (s instanceof ActivationStmtContext a) {
            for (IdentContext id : a.ident()) {
                String name = id.getText();
                if (Builtin.byName(name).isPresent() || name.equals("dense") || name.equals("sum")) {
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
        if (v.INT() == null) {
            if (claimName(name, pos(v), kind)) into.put(name, pos(v));
            return;
        }
        int size = positiveSize(v.INT().getSymbol());
        if (size == 0 || !claimName(name, pos(v), kind) || !charge(size, v)) return;
        vectors.put(name, size);
        for (int i = 1; i <= size; i++) into.put(name + "[" + i + "]", pos(v));
    }

    private void declareLayer(LayerStmtContext l) {
        String name = l.ident().getText();
        int size = positiveSize(l.INT().getSymbol());
        if (size == 0 || !claimName(name, pos(l.ident()), "layer") || !charge(size, l.ident())) return;
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
        Integer sourceSize = vectors.get(dense.source);
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
        if (!charge((long) size * (sourceSize + 1 + tokenCount(l.sum())), l.ident())) return;
        layers.add(layer);
        int before = diagnostics.size();
        for (int j = 1; j <= size && diagnostics.size() == before; j++) {
            Expr definition = new ExprConverter(layer, j).sum(l.sum());
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

    /**
     * Converts expressions. Inside a layer (or a sum(...) over vectors) a bare vector name
     * stands for its element at the current index.
     */
    private final class ExprConverter {
        private final Layer layer;
        private final int index;

        ExprConverter(Layer layer, int index) {
            this.layer = layer;
            this.index = index;
        }

        Expr sum(SumContext s) {
            List<ProductContext> products = s.product();
            if (products.size() == 1) return product(products.get(0));
            List<Expr> terms = new ArrayList<>(products.size());
            terms.add(product(products.get(0)));
            for (int i = 1; i < products.size(); i++) {
                Expr term = product(products.get(i));
                terms.add(s.addOps.get(i - 1).getText().equals("-") ? negate(term) : term);
            }
            return new Expr.Sum(terms);
        }

        private Expr product(ProductContext p) {
            List<UnaryContext> factors = p.unary();
            Expr result = unary(factors.get(0));
            List<Expr> run = new ArrayList<>();
            run.add(result);
            for (int i = 1; i < factors.size(); i++) {
                Expr f = unary(factors.get(i));
                if (p.mulOps.get(i - 1).getText().equals("/")) {
                    if (f instanceof Expr.Num n && n.value().isZero()) error(factors.get(i), "division by zero");
                    Expr numerator = run.size() == 1 ? run.get(0) : new Expr.Product(run);
                    run = new ArrayList<>();
                    run.add(new Expr.Quotient(numerator, f));
                } else {
                    run.add(f);
                }
            }
            return run.size() == 1 ? run.get(0) : new Expr.Product(run);
        }

        private Expr unary(UnaryContext u) {
            int minuses = 0;
            while (u.power() == null) {
                minuses++;
                u = u.unary();
            }
            Expr e = power(u.power());
            return minuses % 2 == 0 ? e : negate(e);
        }

        private Expr power(PowerContext p) {
            Expr base = atom(p.atom());
            if (p.unary() == null) return base;
            return new Expr.Power(base, unary(p.unary()));
        }

        private Expr atom(AtomContext a) {
            if (a.number() != null) return number(a.number().getStart());
            if (a.call() != null) return call(a.call());
            if (a.ref() != null) return ref(a.ref());
            return sum(a.sum());
        }

        private Expr number(Token t) {
            Rational value = parseNumber(t);
            return new Expr.Num(value == null ? Rational.ZERO : value);
        }

        private Expr call(CallContext c) {
            String name = c.ident().getText();
            List<SumContext> args = c.sum();
            if (name.equals("dense")) {
                if (layer == null || layer.name().isEmpty()) {
                    error(c, "dense(...) can only be used in a 'layer' statement");
                    return Expr.Num.of(0);
                }
                return denseSum();
            }
            if (name.equals("sum")) return vectorSum(c);
            Optional<Builtin> builtin = Builtin.byName(name);
            int arity;
            if (builtin.isPresent()) {
                arity = builtin.get().arity();
            } else if (activations.containsKey(name)) {
                arity = 1;
            } else {
                error(c.ident(), "unknown function '" + name + "' (known: " + String.join(", ", Builtin.specNames())
                        + ", sum; declare your own with 'activation " + name + "')");
                return Expr.Num.of(0);
            }
            if (args.size() != arity) {
                error(c, name + " takes " + arity + (arity == 1 ? " argument" : " arguments")
                        + ", not " + args.size());
                return Expr.Num.of(0);
            }
            List<Expr> converted = new ArrayList<>(args.size());
            for (SumContext s : args) converted.add(sum(s));
            return new Expr.Call(name, converted);
        }

        private Expr denseSum() {
            // The layer's units share one Ref per source element: a million weights, not a million copies of x[i].
            List<Expr.Ref> sourceElements = elementRefs.computeIfAbsent(layer.source(), v -> {
                List<Expr.Ref> refs = new ArrayList<>(layer.sourceSize());
                for (int i = 1; i <= layer.sourceSize(); i++) refs.add(new Expr.Ref(v + "[" + i + "]"));
                return refs;
            });
            List<Expr> terms = new ArrayList<>(layer.sourceSize() + 1);
            for (int i = 1; i <= layer.sourceSize(); i++) {
                String weight = layer.weight(index, i);
                noteParameter(weight, layer.pos());
                terms.add(new Expr.Product(List.of(new Expr.Ref(weight), sourceElements.get(i - 1))));
            }
            if (layer.bias()) {
                noteParameter(layer.bias(index), layer.pos());
                terms.add(new Expr.Ref(layer.bias(index)));
            }
            return new Expr.Sum(terms);
        }

        /** sum(EXPR): EXPR once per element of the vectors it names, added up. */
        private Expr vectorSum(CallContext c) {
            if (c.sum().size() != 1) {
                error(c, "sum takes 1 argument, not " + c.sum().size());
                return Expr.Num.of(0);
            }
            Set<Integer> sizes = new LinkedHashSet<>();
            collectVectorSizes(c.sum(0), sizes);
            if (sizes.isEmpty()) {
                error(c.sum(0), "sum(...) needs a vector in its argument, e.g. sum(y) or sum((y - t)^2)");
                return Expr.Num.of(0);
            }
            if (sizes.size() > 1) {
                error(c.sum(0), "sum(...) over vectors of different sizes " + sizes);
                return Expr.Num.of(0);
            }
            int n = sizes.iterator().next();
            // Nested sums multiply: sum(x * sum(x)) is n * n terms, so each level pays for its own copies.
            if (!charge((long) n * tokenCount(c.sum(0)), c)) return Expr.Num.of(0);
            List<Expr> terms = new ArrayList<>(n);
            for (int k = 1; k <= n && !overBudget; k++) terms.add(new ExprConverter(
                    new Layer("", n, "", 0, false, SourcePos.NONE), k).sum(c.sum(0)));
            return new Expr.Sum(terms);
        }

        private void collectVectorSizes(org.antlr.v4.runtime.tree.ParseTree t, Set<Integer> sizes) {
            if (t instanceof RefContext r && r.INT().isEmpty() && vectors.containsKey(r.ident().getText())) {
                sizes.add(vectors.get(r.ident().getText()));
            }
            for (int i = 0; i < t.getChildCount(); i++) collectVectorSizes(t.getChild(i), sizes);
        }

        private Expr ref(RefContext r) {
            String base = r.ident().getText();
            Integer size = vectors.get(base);
            // INT() builds a fresh list on every call: read it once (a big spec has a million refs).
            List<org.antlr.v4.runtime.tree.TerminalNode> ints = r.INT();
            if (ints.isEmpty()) {
                if (size != null && !unitPositions.containsKey(base) && !inputs.containsKey(base)
                        && !targets.containsKey(base)) {
                    if (layer != null && layer.size() == size) return new Expr.Ref(base + "[" + index + "]");
                    error(r, "'" + base + "' is a vector of " + size + "; use " + base + "[i]"
                            + (layer != null ? " (a layer of size " + layer.size() + " cannot use it element-wise)"
                            : ", dense(" + base + ") in a layer, or sum(" + base + ")"));
                    return Expr.Num.of(0);
                }
                if (activations.containsKey(base)) {
                    error(r, "'" + base + "' is an activation; call it as " + base + "(...)");
                    return Expr.Num.of(0);
                }
                noteIfParameter(base, pos(r));
                return new Expr.Ref(base);
            }
            String name = refName(base, ints);
            if (size == null && (kinds.containsKey(base) || unitPositions.containsKey(base))) {
                // Without this, x[5] for a scalar input x silently became a new parameter.
                error(r, "'" + base + "' is not a vector; " + name + " does not exist");
                return Expr.Num.of(0);
            }
            if (size != null && ints.size() > 1) {
                error(r, "'" + base + "' is a vector; index it with one number, as " + base + "[i]");
                return Expr.Num.of(0);
            }
            if (size != null && ints.size() == 1) {
                int i = parseIndex(ints.get(0).getSymbol());
                if (i < 1 || i > size) {
                    error(r, "'" + base + "' has " + size + " elements; " + name + " does not exist");
                    return Expr.Num.of(0);
                }
            }
            noteIfParameter(name, pos(r));
            return new Expr.Ref(name);
        }
    }

    private static Expr negate(Expr e) {
        if (e instanceof Expr.Num n) return new Expr.Num(n.value().negate());
        if (e instanceof Expr.Neg n) return n.operand();
        return new Expr.Neg(e);
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
        Init all = null;
        for (InitStmtContext line : inits) {
            Init value = initValue(line.initValue());
            if (value == null) continue;
            List<String> selected = new ArrayList<>();
            if (line.selector().ALL() != null) {
                if (!charge(parameters.size(), line)) break;
                initOf.clear();
                all = value;
            } else {
                for (SelectorItemContext item : line.selector().selectorItem()) {
                    // Each pattern is tried against every parameter.
                    if (!charge(parameters.size(), item)) break;
                    String pattern = item.getText();
                    List<String> matched = matching(pattern);
                    if (matched.isEmpty()) {
                        String hint = kinds.containsKey(pattern) || unitPositions.containsKey(pattern)
                                ? " ('" + pattern + "' is not a parameter)" : "";
                        error(item, "init selector '" + pattern + "' matches no parameter" + hint);
                    }
                    selected.addAll(matched);
                }
            }
            for (String p : selected) initOf.put(p, value);
        }
        return new Inits(all, initOf, parameters.size());
    }

    private List<String> matching(String pattern) {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return parameters.containsKey(pattern) ? List.of(pattern) : List.of();
        }
        return parameters.keySet().stream().filter(name -> globMatches(pattern, name)).toList();
    }

    /**
     * Whether the glob ('*' any run, '?' one character) matches all of name. It backtracks only to
     * the latest '*', so it takes at most pattern-length times name-length steps; the regex it
     * replaces backtracked exponentially on patterns such as '*a*a*a*a*a*b'.
     */
    static boolean globMatches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resumeAt = 0;
        while (n < name.length()) {
            char c = p < pattern.length() ? pattern.charAt(p) : 0;
            if (p < pattern.length() && (c == '?' || (c != '*' && c == name.charAt(n)))) {
                p++;
                n++;
            } else if (c == '*' && p < pattern.length()) {
                star = p++;
                resumeAt = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }

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

    /** The size of a vector input or target, or null when the name is not one. */
    private Integer dataVectorSize(String name) {
        Integer size = vectors.get(name);
        boolean data = size != null && (inputs.containsKey(name + "[1]") || targets.containsKey(name + "[1]"));
        return data ? size : null;
    }

    /** x = [1, 2, 3]: the elements of a vector input or target, in order. */
    private void bindVector(BindingContext b, String name, Integer size, Map<String, Rational> values) {
        List<SignedNumberContext> numbers = b.numberList().signedNumber();
        if (size == null) {
            error(b.ref(), "'" + name + "' is not a vector input or target; a list [...] gives the elements of one");
        } else if (numbers.size() != size) {
            error(b.numberList(), "'" + name + "' has " + size + (size == 1 ? " element" : " elements")
                    + "; the list gives " + numbers.size());
        } else {
            for (int i = 0; i < size; i++) bind(b.ref(), name + "[" + (i + 1) + "]", signedNumber(numbers.get(i)), values);
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
                Integer size = vectors.get(name);
                List<String> names = new ArrayList<>();
                if (size != null && (inputs.containsKey(name + "[1]") || targets.containsKey(name + "[1]"))) {
                    if (!charge(size, c)) break;
                    for (int i = 1; i <= size; i++) names.add(name + "[" + i + "]");
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

    /** Charges n elements to the budget; false, with one error for the whole spec, once it is spent. */
    private boolean charge(long n, ParserRuleContext at) {
        if (overBudget) return false;
        elements += n;
        if (elements <= MAX_ELEMENTS) return true;
        overBudget = true;
        error(at, "the spec is too large: it expands to more than " + MAX_ELEMENTS
                + " elements (vector elements, units, weights, terms of sums and initialised parameters)");
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

    private boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    private SpecResult failed() {
        return new SpecResult(Optional.empty(), diagnostics);
    }
}
