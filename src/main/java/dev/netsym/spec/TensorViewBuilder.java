package dev.netsym.spec;

import dev.netsym.model.Builtin;
import dev.netsym.model.Layer;
import dev.netsym.model.Rational;
import dev.netsym.model.TensorExpr;
import dev.netsym.model.TensorProgram;
import dev.netsym.spec.grammar.NetSpecParser.AtomContext;
import dev.netsym.spec.grammar.NetSpecParser.CallContext;
import dev.netsym.spec.grammar.NetSpecParser.PowerContext;
import dev.netsym.spec.grammar.NetSpecParser.ProductContext;
import dev.netsym.spec.grammar.NetSpecParser.RefContext;
import dev.netsym.spec.grammar.NetSpecParser.SumContext;
import dev.netsym.spec.grammar.NetSpecParser.UnaryContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.antlr.v4.runtime.Token;

/**
 * The tensor-level view of a spec that has been read without errors: each unit statement and
 * layer as one statement on whole tensors, in an order where each comes after those it uses.
 * It reads the same parse tree as the lowering to scalar units, with the shapes that lowering
 * worked out, so the two cannot disagree about what a name or a call means.
 */
final class TensorViewBuilder {

    /** Functions on whole tensors that the view shows by name only. */
    private static final Set<String> AXIS_FUNCTIONS = Set.of("sum", "mean", "softmax", "log_softmax", "logsumexp");

    private final Function<String, int[]> shapeOf;
    private final Function<Token, Rational> number;
    private final Map<CallContext, int[]> callShapes;
    private final Set<String> activations;
    /** Per statement name, the statement names its expression uses. */
    private final Map<String, Set<String>> uses = new LinkedHashMap<>();
    private Set<String> statementNames = Set.of();
    private Set<String> current;

    TensorViewBuilder(Function<String, int[]> shapeOf, Function<Token, Rational> number,
                      Map<CallContext, int[]> callShapes, Set<String> activations) {
        this.shapeOf = shapeOf;
        this.number = number;
        this.callShapes = callShapes;
        this.activations = activations;
    }

    /**
     * @param units unit statements by name (none of them indexed)
     * @param layers the dense layers with their expressions
     * @param parameters every parameter name of the network (elements of tensors included)
     */
    TensorProgram build(Map<String, SumContext> units, Map<Layer, SumContext> layers, SumContext objective,
                        Map<String, int[]> declaredParameters, Set<String> parameters) {
        try {
            return tryBuild(units, layers, objective, declaredParameters, parameters);
        } catch (NoTensorView e) {
            return TensorProgram.NONE;
        }
    }

    /** A spec the view cannot describe on whole tensors; it then has none (the scalar form stays). */
    private static final class NoTensorView extends RuntimeException {
        NoTensorView() {
            super(null, null, false, false);
        }
    }

    private TensorProgram tryBuild(Map<String, SumContext> units, Map<Layer, SumContext> layers, SumContext objective,
                                   Map<String, int[]> declaredParameters, Set<String> parameters) {
        statementNames = new HashSet<>(units.keySet());
        layers.keySet().forEach(l -> statementNames.add(l.name()));
        Map<String, TensorProgram.Statement> written = new LinkedHashMap<>();
        Set<String> layerNames = new LinkedHashSet<>();
        for (var entry : layers.entrySet()) {
            Layer layer = entry.getKey();
            layerNames.add(layer.name());
            current = new LinkedHashSet<>();
            TensorExpr value = new Converter(layer).sum(entry.getValue());
            if (value.rank() == 0) throw new NoTensorView(); // a layer of one repeated number
            written.put(layer.name(), new TensorProgram.Statement(layer.name(), value, true));
            uses.put(layer.name(), current);
        }
        for (var entry : units.entrySet()) {
            current = new LinkedHashSet<>();
            written.put(entry.getKey(), new TensorProgram.Statement(entry.getKey(), new Converter(null).sum(entry.getValue()), false));
            uses.put(entry.getKey(), current);
        }
        current = new LinkedHashSet<>();
        TensorExpr loss = new Converter(null).sum(objective);

        List<TensorExpr.Name> params = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (var p : declaredParameters.entrySet()) {
            params.add(new TensorExpr.Name(p.getKey(), p.getValue()));
            listed.add(p.getKey());
        }
        for (Layer l : layers.keySet()) {
            params.add(new TensorExpr.Name("W_" + l.name(), new int[] {l.size(), l.sourceSize()}));
            if (l.bias()) params.add(new TensorExpr.Name("b_" + l.name(), new int[] {l.size()}));
        }
        for (String p : parameters) {
            if (p.indexOf('[') < 0 && listed.add(p)) params.add(new TensorExpr.Name(p, new int[0]));
        }
        List<TensorProgram.Statement> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String name : written.keySet()) place(name, written, placed, new HashSet<>(), ordered);
        return new TensorProgram(params, ordered, loss, layerNames);
    }

    /** Depth first: what a statement uses is placed before it (the unit graph has ruled out cycles). */
    private void place(String name, Map<String, TensorProgram.Statement> written, Set<String> placed, Set<String> open,
                       List<TensorProgram.Statement> into) {
        if (placed.contains(name) || !open.add(name)) return;
        for (String used : uses.getOrDefault(name, Set.of())) place(used, written, placed, open, into);
        placed.add(name);
        into.add(written.get(name));
    }

    private final class Converter {
        private final Layer layer;

        Converter(Layer layer) {
            this.layer = layer;
        }

        TensorExpr sum(SumContext s) {
            List<TensorExpr> terms = new ArrayList<>();
            for (int i = 0; i < s.product().size(); i++) {
                TensorExpr term = product(s.product(i));
                terms.add(i > 0 && s.addOps.get(i - 1).getText().equals("-") ? negate(term) : term);
            }
            return terms.size() == 1 ? terms.get(0) : TensorExpr.add(terms);
        }

        private TensorExpr product(ProductContext p) {
            List<TensorExpr> run = new ArrayList<>();
            run.add(unary(p.unary(0)));
            for (int i = 1; i < p.unary().size(); i++) {
                TensorExpr f = unary(p.unary(i));
                String op = p.mulOps.get(i - 1).getText();
                if (op.equals("*")) {
                    run.add(f);
                    continue;
                }
                TensorExpr left = multiply(run);
                run = new ArrayList<>();
                run.add(op.equals("/") ? TensorExpr.divide(left, f) : TensorExpr.matmul(left, f));
            }
            return multiply(run);
        }

        private TensorExpr multiply(List<TensorExpr> run) {
            return run.size() == 1 ? run.get(0) : TensorExpr.multiply(run);
        }

        private TensorExpr unary(UnaryContext u) {
            return u.power() != null ? power(u.power()) : negate(unary(u.unary()));
        }

        private TensorExpr negate(TensorExpr e) {
            if (e instanceof TensorExpr.Constant c) return new TensorExpr.Constant(c.value().negate());
            return new TensorExpr.Negate(e);
        }

        private TensorExpr power(PowerContext p) {
            TensorExpr base = atom(p.atom());
            return p.unary() == null ? base : TensorExpr.power(base, unary(p.unary()));
        }

        private TensorExpr atom(AtomContext a) {
            if (a.number() != null) return new TensorExpr.Constant(number.apply(a.number().getStart()));
            if (a.call() != null) return call(a.call());
            if (a.ref() != null) return ref(a.ref());
            if (a.slice() != null) {
                String base = a.slice().ident().getText();
                if (statementNames.contains(base)) current.add(base);
                return slice(new TensorExpr.Name(base, shapeOf.apply(base)), SlicePositions.of(a.slice()));
            }
            TensorExpr inside = sum(a.sum());
            return a.indices() == null ? inside : slice(inside, SlicePositions.of(a.indices()));
        }

        /**
         * A slice is shown by name, its positions as sizes: per axis the first and last element
         * (1-based) and 1 when the axis is kept, 0 when a single number dropped it.
         */
        private TensorExpr slice(TensorExpr x, List<SlicePositions.Position> positions) {
            int[] shape = x.shape();
            List<Integer> sizes = new ArrayList<>();
            List<Integer> kept = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) {
                SlicePositions.Position p = positions.get(d);
                int from = !p.range() ? Integer.parseInt(p.single().getText()) : p.from() == null ? 1 : Integer.parseInt(p.from().getText());
                int to = !p.range() ? from : p.to() == null ? shape[d] : Integer.parseInt(p.to().getText());
                sizes.add(from);
                sizes.add(to);
                sizes.add(p.range() ? 1 : 0);
                if (p.range()) kept.add(to - from + 1);
            }
            return new TensorExpr.Opaque("slice", List.of(x), sizes, kept.stream().mapToInt(Integer::intValue).toArray());
        }

        private TensorExpr ref(RefContext r) {
            String base = r.ident().getText();
            int[] shape = shapeOf.apply(base);
            if (statementNames.contains(base)) current.add(base);
            if (r.INT().isEmpty()) return new TensorExpr.Name(base, shape == null ? new int[0] : shape);
            if (shape == null) throw new NoTensorView(); // an element of a family of units written one by one
            int[] index = r.INT().stream().mapToInt(t -> Integer.parseInt(t.getText())).toArray();
            return new TensorExpr.Element(base, shape, index);
        }

        private TensorExpr call(CallContext c) {
            String name = c.ident().getText();
            List<SumContext> args = c.sum();
            if (name.equals("dense")) {
                String source = args.get(0).getText();
                if (statementNames.contains(source)) current.add(source);
                TensorExpr weighted = TensorExpr.matmul(
                        new TensorExpr.Name("W_" + layer.name(), new int[] {layer.size(), layer.sourceSize()}),
                        new TensorExpr.Name(source, new int[] {layer.sourceSize()}));
                return layer.bias()
                        ? TensorExpr.add(List.of(weighted, new TensorExpr.Name("b_" + layer.name(), new int[] {layer.size()})))
                        : weighted;
            }
            if (Builtin.byName(name).isPresent() || activations.contains(name)) {
                List<TensorExpr> converted = new ArrayList<>();
                for (SumContext s : args) converted.add(sum(s));
                return TensorExpr.apply(name, converted);
            }
            if (name.equals("concat")) {
                // A whole number written last is the axis; the view keeps it as written.
                int count = args.size();
                List<Integer> sizes = new ArrayList<>();
                if (args.get(count - 1).getText().matches("-?[0-9]+")) sizes.add(Integer.parseInt(args.get(--count).getText()));
                List<TensorExpr> parts = new ArrayList<>();
                for (int i = 0; i < count; i++) parts.add(sum(args.get(i)));
                return new TensorExpr.Opaque(name, parts, sizes, callShapes.get(c));
            }
            TensorExpr x = sum(args.get(0));
            if ((name.equals("sum") || name.equals("mean")) && x.rank() > 0) {
                Integer axis = null;
                if (args.size() == 2) {
                    int written = Integer.parseInt(args.get(1).getText());
                    axis = written > 0 ? written - 1 : x.rank() + written;
                }
                return new TensorExpr.Reduce(name.equals("mean"), x, axis);
            }
            if (name.equals("sum") || name.equals("mean")) return x;
            if (name.equals("transpose")) return x.rank() == 2 ? new TensorExpr.Transpose(x) : x;
            int firstSize = AXIS_FUNCTIONS.contains(name) ? 1 : switch (name) {
                case "conv1d", "conv2d" -> 2;
                case "attention", "causal_attention" -> 3;
                case "avg_pool1d", "avg_pool2d", "max_pool1d", "max_pool2d", "reshape", "permute", "flatten" -> 1;
                default -> args.size();
            };
            List<TensorExpr> tensors = new ArrayList<>();
            tensors.add(x);
            for (int i = 1; i < Math.min(firstSize, args.size()); i++) tensors.add(sum(args.get(i)));
            List<Integer> sizes = new ArrayList<>();
            for (int i = firstSize; i < args.size(); i++) sizes.add(Integer.parseInt(args.get(i).getText()));
            return new TensorExpr.Opaque(name, tensors, sizes, callShapes.get(c));
        }
    }
}
