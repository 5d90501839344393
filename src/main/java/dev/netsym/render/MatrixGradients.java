package dev.netsym.render;

import dev.netsym.model.Rational;
import dev.netsym.model.TensorExpr;
import dev.netsym.model.TensorProgram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse mode on whole tensors, as a textbook writes backpropagation: δ_u = ∂L/∂u for each
 * tensor unit u, from the objective backwards, and ∂L/∂θ for each parameter tensor θ as soon
 * as the last unit using it has its δ. Each rule is the matrix-calculus one (y = W x gives
 * ∂L/∂W = δ_y xᵀ and passes Wᵀ δ_y to x; a = f(z) passes f′(z) ⊙ δ_a to z; a broadcast
 * operand gets the sum over the axes it was repeated along). An operation shown by name passes
 * J_op(…)ᵀ δ back, without a formula netsym would have to invent.
 *
 * <p>A unit {@code h = f(E)} with E a computation on parameters is split into {@code z_h = E} and
 * {@code h = f(z_h)}, so that δ_{z_h} = f′(z_h) ⊙ δ_h appears as a line of its own.
 */
final class MatrixGradients {

    /** A line of the backward pass: δ of a unit, or the gradient of a parameter. */
    record Step(String name, boolean parameter, int[] shape, MatrixExpr value) {}

    /**
     * @param forward the statements as shown, pre-activations split off
     * @param objective the objective on whole tensors
     * @param steps the backward pass, in the order to read (and evaluate) it
     */
    record Form(List<TensorProgram.Statement> forward, TensorExpr objective, List<Step> steps,
                Set<String> parameters, Set<String> layers) {

        /** Whether some step uses a quantity of this kind (to explain its notation once). */
        boolean uses(Class<? extends MatrixExpr> kind) {
            return steps.stream().anyMatch(s -> s.value().contains(kind));
        }

        /** The element-wise functions whose derivative some step uses. */
        Set<String> derivatives() {
            Set<String> out = new LinkedHashSet<>();
            for (Step s : steps) collectDerivatives(s.value(), out);
            return out;
        }

        private static void collectDerivatives(MatrixExpr e, Set<String> into) {
            if (e instanceof MatrixExpr.Derivative d) into.add(d.function());
            for (MatrixExpr c : e.children()) collectDerivatives(c, into);
        }
    }

    /** Whether a network's spec has a matrix form worth showing: statements on tensors with tensor parameters. */
    static boolean applies(TensorProgram program) {
        return program.present() && program.hasTensorParameters();
    }

    private final Map<String, int[]> parameterShapes = new LinkedHashMap<>();
    private final Map<String, TensorExpr> statements = new LinkedHashMap<>();
    private final Map<TensorExpr, Boolean> trainable = new IdentityHashMap<>();
    private final Map<String, List<MatrixExpr>> contributions = new HashMap<>();

    private MatrixGradients() {}

    /** The matrix form of a program with tensor parameters. */
    static Form of(TensorProgram program) {
        return new MatrixGradients().derive(program);
    }

    private Form derive(TensorProgram program) {
        for (TensorExpr.Name p : program.parameters()) parameterShapes.put(p.name(), p.shape());
        List<TensorProgram.Statement> forward = splitPreActivations(program);
        for (TensorProgram.Statement s : forward) statements.put(s.name(), s.value());

        // Who uses each parameter directly: its gradient is complete once all of them are done.
        Map<String, Set<String>> usersOf = new HashMap<>();
        for (TensorProgram.Statement s : forward) namesIn(s.value(), s.name(), usersOf);
        namesIn(program.objective(), "", usersOf);

        List<Step> steps = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> emitted = new HashSet<>();
        propagate(program.objective(), MatrixExpr.number(1));
        done.add("");
        emitGradients(usersOf, done, emitted, steps);
        for (int k = forward.size() - 1; k >= 0; k--) {
            TensorProgram.Statement s = forward.get(k);
            List<MatrixExpr> incoming = contributions.get(s.name());
            done.add(s.name());
            if (incoming != null && trainable(s.value())) {
                int[] shape = s.value().shape();
                steps.add(new Step(s.name(), false, shape, MatrixExpr.sum(incoming)));
                propagate(s.value(), new MatrixExpr.Delta(s.name(), shape));
            }
            emitGradients(usersOf, done, emitted, steps);
        }
        // A parameter the objective does not reach has gradient 0.
        for (var p : parameterShapes.entrySet()) {
            if (!emitted.contains(p.getKey())) steps.add(new Step(p.getKey(), true, p.getValue(), MatrixExpr.number(0)));
        }
        return new Form(forward, program.objective(), steps, parameterShapes.keySet(), program.layers());
    }

    private void emitGradients(Map<String, Set<String>> usersOf, Set<String> done, Set<String> emitted, List<Step> steps) {
        for (var p : parameterShapes.entrySet()) {
            String name = p.getKey();
            Set<String> users = usersOf.get(name);
            if (users == null || emitted.contains(name) || !done.containsAll(users)) continue;
            List<MatrixExpr> incoming = contributions.get(name);
            if (incoming == null) continue;
            emitted.add(name);
            steps.add(new Step(name, true, p.getValue(), MatrixExpr.sum(incoming)));
        }
    }

    private static void namesIn(TensorExpr e, String user, Map<String, Set<String>> into) {
        if (e instanceof TensorExpr.Name n) into.computeIfAbsent(n.name(), k -> new LinkedHashSet<>()).add(user);
        if (e instanceof TensorExpr.Element el) into.computeIfAbsent(el.tensor(), k -> new LinkedHashSet<>()).add(user);
        for (TensorExpr c : e.children()) namesIn(c, user, into);
    }

    /** h = f(E) becomes z_h = E, h = f(z_h) when E is more than a name: the textbook's pre-activation. */
    private List<TensorProgram.Statement> splitPreActivations(TensorProgram program) {
        Set<String> taken = new HashSet<>(parameterShapes.keySet());
        for (TensorProgram.Statement s : program.statements()) {
            taken.add(s.name());
            collectNames(s.value(), taken);
        }
        collectNames(program.objective(), taken);
        List<TensorProgram.Statement> out = new ArrayList<>();
        for (TensorProgram.Statement s : program.statements()) {
            if (s.value() instanceof TensorExpr.Apply a && a.args().size() == 1 && a.rank() > 0
                    && !(a.args().get(0) instanceof TensorExpr.Name) && dependsOnParameters(a.args().get(0))) {
                String z = "z_" + s.name();
                for (int n = 2; taken.contains(z); n++) z = "z_" + s.name() + "_" + n;
                taken.add(z);
                TensorExpr argument = a.args().get(0);
                out.add(new TensorProgram.Statement(z, argument, false));
                out.add(new TensorProgram.Statement(s.name(),
                        new TensorExpr.Apply(a.function(), List.of(new TensorExpr.Name(z, argument.shape())), a.shape()), s.layer()));
            } else {
                out.add(s);
            }
            statementDepends.put(s.name(), dependsOnParameters(s.value()));
        }
        return out;
    }

    /** Statements already split, by name: whether each depends on a parameter (looked up, never walked again). */
    private final Map<String, Boolean> statementDepends = new HashMap<>();

    private boolean dependsOnParameters(TensorExpr e) {
        String name = e instanceof TensorExpr.Name n ? n.name() : e instanceof TensorExpr.Element el ? el.tensor() : null;
        if (name != null) return parameterShapes.containsKey(name) || statementDepends.getOrDefault(name, false);
        return e.children().stream().anyMatch(this::dependsOnParameters);
    }

    private static void collectNames(TensorExpr e, Set<String> into) {
        if (e instanceof TensorExpr.Name n) into.add(n.name());
        if (e instanceof TensorExpr.Element el) into.add(el.tensor());
        for (TensorExpr c : e.children()) collectNames(c, into);
    }

    /** Whether the value depends on some parameter (so it has a back-signal worth writing). */
    private boolean trainable(TensorExpr e) {
        Boolean known = trainable.get(e);
        if (known != null) return known;
        boolean result;
        if (e instanceof TensorExpr.Name n) {
            result = parameterShapes.containsKey(n.name())
                    || statements.containsKey(n.name()) && trainable(statements.get(n.name()));
        } else if (e instanceof TensorExpr.Element el) {
            result = parameterShapes.containsKey(el.tensor())
                    || statements.containsKey(el.tensor()) && trainable(statements.get(el.tensor()));
        } else {
            result = e.children().stream().anyMatch(this::trainable);
        }
        trainable.put(e, result);
        return result;
    }

    /** Passes the back-signal g of e (same shape as e) to everything e is computed from. */
    private void propagate(TensorExpr e, MatrixExpr g) {
        if (!trainable(e)) return;
        if (e instanceof TensorExpr.Name n) {
            contributions.computeIfAbsent(n.name(), k -> new ArrayList<>()).add(g);
        } else if (e instanceof TensorExpr.Element el) {
            contributions.computeIfAbsent(el.tensor(), k -> new ArrayList<>())
                    .add(new MatrixExpr.Scatter(g, el.index(), el.tensorShape()));
        } else if (e instanceof TensorExpr.Add a) {
            for (TensorExpr t : a.terms()) propagate(t, unbroadcast(g, t.shape()));
        } else if (e instanceof TensorExpr.Negate n) {
            propagate(n.operand(), MatrixExpr.negate(g));
        } else if (e instanceof TensorExpr.Multiply m) {
            for (int i = 0; i < m.factors().size(); i++) {
                if (!trainable(m.factors().get(i))) continue;
                List<MatrixExpr> factors = new ArrayList<>();
                for (int j = 0; j < m.factors().size(); j++) if (j != i) factors.add(forward(m.factors().get(j)));
                factors.add(g);
                propagate(m.factors().get(i), unbroadcast(MatrixExpr.hadamard(factors), m.factors().get(i).shape()));
            }
        } else if (e instanceof TensorExpr.Divide d) {
            MatrixExpr denominator = forward(d.denominator());
            propagate(d.numerator(), unbroadcast(quotient(g, denominator), d.numerator().shape()));
            if (trainable(d.denominator())) {
                MatrixExpr squared = forward(TensorExpr.power(d.denominator(), constant(2)));
                MatrixExpr back = MatrixExpr.negate(quotient(MatrixExpr.hadamard(List.of(forward(d.numerator()), g)), squared));
                propagate(d.denominator(), unbroadcast(back, d.denominator().shape()));
            }
        } else if (e instanceof TensorExpr.Power p) {
            powerRule(p, g);
        } else if (e instanceof TensorExpr.MatMul m) {
            matmulRule(m, g);
        } else if (e instanceof TensorExpr.Transpose t) {
            propagate(t.operand(), transposed(g));
        } else if (e instanceof TensorExpr.Apply a) {
            for (int i = 0; i < a.args().size(); i++) {
                TensorExpr arg = a.args().get(i);
                if (!trainable(arg)) continue;
                MatrixExpr slope = new MatrixExpr.Derivative(a.function(), i, a.args(), a.shape());
                propagate(arg, unbroadcast(MatrixExpr.hadamard(List.of(slope, g)), arg.shape()));
            }
        } else if (e instanceof TensorExpr.Reduce r) {
            reduceRule(r, g);
        } else if (e instanceof TensorExpr.Opaque o) {
            for (int i = 0; i < o.args().size(); i++) {
                TensorExpr arg = o.args().get(i);
                if (trainable(arg)) propagate(arg, new MatrixExpr.Vjp(o.operation(), i, o.args(), o.sizes(), g, arg.shape()));
            }
        }
    }

    private void powerRule(TensorExpr.Power p, MatrixExpr g) {
        TensorExpr base = p.base();
        TensorExpr exponent = p.exponent();
        if (trainable(base)) {
            MatrixExpr slope;
            if (exponent instanceof TensorExpr.Constant c) {
                Rational lower = c.value().subtract(Rational.ONE);
                MatrixExpr power = lower.isZero() ? MatrixExpr.number(1)
                        : lower.isOne() ? forward(base) : forward(TensorExpr.power(base, new TensorExpr.Constant(lower)));
                slope = MatrixExpr.hadamard(List.of(new MatrixExpr.Number(c.value()), power));
            } else {
                TensorExpr lower = TensorExpr.add(List.of(exponent, constant(-1)));
                slope = MatrixExpr.hadamard(List.of(forward(exponent), forward(TensorExpr.power(base, lower))));
            }
            propagate(base, unbroadcast(MatrixExpr.hadamard(List.of(slope, g)), base.shape()));
        }
        if (trainable(exponent)) {
            MatrixExpr slope = MatrixExpr.hadamard(List.of(forward(TensorExpr.apply("log", List.of(base))), forward(p)));
            propagate(exponent, unbroadcast(MatrixExpr.hadamard(List.of(slope, g)), exponent.shape()));
        }
    }

    /**
     * y = A B: A gets g Bᵀ and B gets Aᵀ g; with a vector on one side the outer product
     * (g xᵀ for y = W x) takes the place of a product with a transpose.
     */
    private void matmulRule(TensorExpr.MatMul m, MatrixExpr g) {
        TensorExpr a = m.left();
        TensorExpr b = m.right();
        int ra = a.rank();
        int rb = b.rank();
        if (ra > 2 || rb > 2) {
            // A batch of products: shown as an operation by name rather than with batch sums.
            List<TensorExpr> args = List.of(a, b);
            for (int i = 0; i < 2; i++) {
                if (trainable(args.get(i))) propagate(args.get(i), new MatrixExpr.Vjp("@", i, args, List.of(), g, args.get(i).shape()));
            }
            return;
        }
        MatrixExpr left = forward(a);
        MatrixExpr right = forward(b);
        if (trainable(a)) {
            MatrixExpr back;
            if (ra == 2 && rb == 2) back = matmul(g, transposed(right));
            else if (ra == 2) back = new MatrixExpr.Outer(g, right);
            else if (rb == 2) back = matmul(right, g);
            else back = MatrixExpr.hadamard(List.of(g, right));
            propagate(a, back);
        }
        if (trainable(b)) {
            MatrixExpr back;
            if (ra == 2 && rb == 2) back = matmul(transposed(left), g);
            else if (ra == 2) back = matmul(transposed(left), g);
            else if (rb == 2) back = new MatrixExpr.Outer(left, g);
            else back = MatrixExpr.hadamard(List.of(g, left));
            propagate(b, back);
        }
    }

    private void reduceRule(TensorExpr.Reduce r, MatrixExpr g) {
        int[] shape = r.operand().shape();
        int count = r.axis() == null ? Arrays.stream(shape).reduce(1, (x, y) -> x * y) : shape[r.axis()];
        MatrixExpr spread = r.axis() == null ? MatrixExpr.hadamard(List.of(g, new MatrixExpr.Ones(shape)))
                : expand(g, r.axis(), shape);
        if (r.mean()) spread = MatrixExpr.hadamard(List.of(new MatrixExpr.Number(Rational.of(1, count)), spread));
        propagate(r.operand(), spread);
    }

    /** g summed over the axes along which an operand of {@code shape} was repeated to g's shape. */
    static MatrixExpr unbroadcast(MatrixExpr g, int[] shape) {
        int[] from = g.shape();
        if (Arrays.equals(from, shape)) return g;
        if (g instanceof MatrixExpr.Number) return g;
        if (g instanceof MatrixExpr.Negated n) return MatrixExpr.negate(unbroadcast(n.operand(), shape));
        List<Integer> axes = new ArrayList<>();
        int extra = from.length - shape.length;
        for (int d = 0; d < from.length; d++) {
            if (d < extra || (shape[d - extra] == 1 && from[d] != 1)) axes.add(d);
        }
        if (axes.isEmpty()) return g;
        // A multiple of 𝟙 adds up to that multiple of the number of elements summed.
        Rational multiple = multipleOfOnes(g);
        if (multiple != null) {
            int summed = 1;
            for (int axis : axes) summed *= from[axis];
            return MatrixExpr.hadamard(List.of(new MatrixExpr.Number(multiple.multiply(Rational.of(summed))),
                    shape.length == 0 ? MatrixExpr.number(1) : new MatrixExpr.Ones(shape)));
        }
        return new MatrixExpr.SumOver(g, axes, shape);
    }

    /** c for c·𝟙 (or 𝟙), else null. */
    private static Rational multipleOfOnes(MatrixExpr e) {
        if (e instanceof MatrixExpr.Ones) return Rational.ONE;
        if (e instanceof MatrixExpr.Hadamard h && h.factors().size() == 2 && h.factors().get(0) instanceof MatrixExpr.Number n
                && h.factors().get(1) instanceof MatrixExpr.Ones) {
            return n.value();
        }
        return null;
    }

    /** g repeated along a new axis; a multiple of 𝟙 stays one, of the larger shape. */
    private static MatrixExpr expand(MatrixExpr g, int axis, int[] shape) {
        Rational multiple = g.shape().length == 0 && g instanceof MatrixExpr.Number n ? n.value() : multipleOfOnes(g);
        if (multiple != null) return MatrixExpr.hadamard(List.of(new MatrixExpr.Number(multiple), new MatrixExpr.Ones(shape)));
        return new MatrixExpr.Expand(g, axis, shape);
    }

    /** (A B)ᵀ = Bᵀ Aᵀ, (Aᵀ)ᵀ = A, and numbers and signs stay outside, so a transpose sits on a name where it can. */
    private static MatrixExpr transposed(MatrixExpr e) {
        if (e instanceof MatrixExpr.Transposed t) return t.operand();
        if (e instanceof MatrixExpr.Forward f && f.value() instanceof TensorExpr.Transpose t) return forward(t.operand());
        if (e instanceof MatrixExpr.Ones o) return new MatrixExpr.Ones(new int[] {o.shape()[1], o.shape()[0]});
        if (e instanceof MatrixExpr.Negated n) return MatrixExpr.negate(transposed(n.operand()));
        if (e instanceof MatrixExpr.MatMul m && m.left().shape().length == 2 && m.right().shape().length == 2) {
            return matmul(transposed(m.right()), transposed(m.left()));
        }
        if (e instanceof MatrixExpr.Outer o) return new MatrixExpr.Outer(o.row(), o.column());
        if (e instanceof MatrixExpr.Hadamard h && h.factors().get(0) instanceof MatrixExpr.Number n && h.factors().size() == 2) {
            return MatrixExpr.hadamard(List.of(n, transposed(h.factors().get(1))));
        }
        return new MatrixExpr.Transposed(e);
    }

    /** The matrix product, a number or a sign on either side written in front: c·(A B). */
    private static MatrixExpr matmul(MatrixExpr a, MatrixExpr b) {
        if (a instanceof MatrixExpr.Negated n) return MatrixExpr.negate(matmul(n.operand(), b));
        if (b instanceof MatrixExpr.Negated n) return MatrixExpr.negate(matmul(a, n.operand()));
        if (a instanceof MatrixExpr.Hadamard h && h.factors().size() == 2 && h.factors().get(0) instanceof MatrixExpr.Number n) {
            return MatrixExpr.hadamard(List.of(n, matmul(h.factors().get(1), b)));
        }
        if (b instanceof MatrixExpr.Hadamard h && h.factors().size() == 2 && h.factors().get(0) instanceof MatrixExpr.Number n) {
            return MatrixExpr.hadamard(List.of(n, matmul(a, h.factors().get(1))));
        }
        return new MatrixExpr.MatMul(a, b, TensorExpr.matmulShape(a.shape(), b.shape()));
    }

    /** a / b; a number below is a factor in front, (1/10)·g. */
    private static MatrixExpr quotient(MatrixExpr a, MatrixExpr b) {
        if (b instanceof MatrixExpr.Number n && !n.value().isZero()) {
            return MatrixExpr.hadamard(List.of(new MatrixExpr.Number(Rational.ONE.divide(n.value())), a));
        }
        return new MatrixExpr.Quotient(a, b, MatrixExpr.broadcast(List.of(a, b)));
    }

    private static MatrixExpr forward(TensorExpr e) {
        if (e instanceof TensorExpr.Constant c) return new MatrixExpr.Number(c.value());
        return new MatrixExpr.Forward(e);
    }

    private static TensorExpr constant(long n) {
        return new TensorExpr.Constant(Rational.of(n));
    }
}
