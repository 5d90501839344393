package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.Netsym;
import dev.netsym.calculus.DoubleArithmetic;
import dev.netsym.calculus.Evaluation;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.SpecResult;
import dev.netsym.model.Tensor;
import dev.netsym.model.TensorExpr;
import dev.netsym.model.TensorProgram;
import dev.netsym.onnx.OnnxImporter;
import dev.netsym.robust.CliRun;
import dev.netsym.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matrix form checked by numbers, not by its text: every δ and every ∂L/∂θ it prints is
 * evaluated (by the small array evaluator below, over doubles) at random parameters and data,
 * and each element of each parameter's gradient is compared with the scalar gradient netsym's
 * tape computes from the units the spec lowers to.
 */
class MatrixGradientsTest {

    private static final String RELU_MLP = """
            input x[3]
            target t[2]
            layer h[4] = relu(dense(x, bias))
            layer y[2] = dense(h, bias)
            objective sum((y - t)^2)
            """;

    /** Batches, broadcast biases, a trainable denominator, a sum along an axis, a mean, a transpose, a constant power. */
    private static final String BROADCASTS = """
            input X[3,4]
            target T[3,2]
            param W[4,2], b[2], s
            H = tanh(X @ W + b)
            Y = H / (1 + s^2)
            objective mean(sum((Y - T)^2, 2)) + sum(transpose(W) @ W) / 10 + sum(W[2,1] * H) + sum(sum(H, 2)^2)
            """;

    /** softmax shown by name, a row vector times a matrix, and a sum along the first axis. */
    private static final String SOFTMAX = """
            input x[3], X[2,3]
            target t[2]
            param W[3,2], V[2,2], c
            p = softmax(x @ W)
            q = sum(X, 1) @ W + c * p
            objective sum(V @ (q * p) - t) + sum(p * t)
            """;

    @Test
    void loraMatchesTheScalarGradients() throws IOException {
        assertAgrees(Netsym.read(Path.of("examples/lora.net")), 3);
    }

    /**
     * An ONNX model's matrix form is the program of the spec written for it, named as the model
     * names its tensors: checked against the scalar gradients of the import itself, whose
     * elements count from 0.
     */
    @Test
    void onnxModelsInMatrixFormMatchTheScalarGradientsOfTheirImport() throws IOException {
        // The array evaluator here multiplies matrices, not batches of them: the models whose products are of matrices.
        for (String model : List.of("lora", "lora_zero", "rezero", "mlp_constant")) {
            Path file = Path.of("examples/onnx/" + model + ".onnx");
            OnnxImporter.Translation translation = OnnxImporter.translate(Files.readAllBytes(file), file, OnnxImporter.Options.DEFAULT);
            Network imported = translation.imported().network().orElseThrow();
            TensorProgram written = SpecParser.parse(translation.spec().getBytes(StandardCharsets.UTF_8)).network().orElseThrow().tensors();
            Map<String, String> modelName = new HashMap<>();
            translation.tensorNames().forEach((m, spec) -> modelName.put(spec, m));
            TensorProgram program = written.renamed(name -> modelName.getOrDefault(name, name)).orElseThrow();
            String text = assertAgrees(imported, program, 0, 2).text();
            assertFalse(text.contains("_weight"), model + " keeps a spec name:\n" + text);
        }
    }

    @Test
    void rezeroMatchesTheScalarGradients() throws IOException {
        assertAgrees(Netsym.read(Path.of("examples/rezero.net")), 2);
    }

    @Test
    void twoLayerReluNetworkWithBiasesMatchesTheScalarGradients() {
        Form checked = assertAgrees(Netsym.parse(RELU_MLP), 4);
        assertTrue(checked.text().contains("δ_z_h = relu′(z_h) ⊙ δ_h"), checked.text());
        assertTrue(checked.text().contains("∂L/∂b_h = δ_z_h"), checked.text());
    }

    @Test
    void broadcastsSumsAndQuotientsMatchTheScalarGradients() {
        Form checked = assertAgrees(Netsym.parse(BROADCASTS), 3);
        assertTrue(checked.form().uses(MatrixExpr.SumOver.class), checked.text());
        assertTrue(checked.form().uses(MatrixExpr.Expand.class), checked.text());
        assertTrue(checked.form().uses(MatrixExpr.Quotient.class), checked.text());
        assertTrue(checked.form().uses(MatrixExpr.Scatter.class), checked.text());
    }

    @Test
    void softmaxShownByNameMatchesTheScalarGradients() {
        Form checked = assertAgrees(Netsym.parse(SOFTMAX), 4);
        assertTrue(checked.text().contains("J_softmax(x W)ᵀ"), checked.text());
    }

    @Test
    void identicalExpertsWithASoftmaxRouterMatchTheScalarGradients() throws IOException {
        Form checked = assertAgrees(Netsym.read(Path.of("examples/identical-experts.net")), 3);
        assertTrue(checked.text().contains("∂L/∂R = (J_softmax(R x)ᵀ δ_gate) xᵀ"), checked.text());
    }

    /** A fused projection split by slices, a slice of a parenthesised product, and concat along both axes. */
    private static final String SLICES = """
            input X[3,4], x[4]
            target T[3,6]
            param W[4,6], U[5,4], v[4]
            P = X @ W
            A = P[:, 1:2]
            B = tanh(P[:, 3:])
            H = concat(A, B, 2)
            G = concat(H, H[1:1, :] * sum(v), 1)
            objective sum((H - T)^2) + sum(G[4:, 2]) + sum(W[2, :] * P[3, 1:6]) + (U @ x)[5] + sum((U @ v)[2:5] * x)
            """;

    @Test
    void slicesAndConcatMatchTheScalarGradients() {
        Form checked = assertAgrees(Netsym.parse(SLICES), 3);
        assertTrue(checked.text().contains("J_slice(P[:,3:])ᵀ"), checked.text());
        assertTrue(checked.text().contains("J_concat,1(A, B, 2)ᵀ"), checked.text());
    }

    @Test
    void zeroGateMatchesTheScalarGradients() throws IOException {
        assertAgrees(Netsym.read(Path.of("examples/zero-gate.net")), 3);
    }

    /** Random chains of the operations with matrix-calculus rules, and softmax, each checked by numbers. */
    @Test
    void randomTensorChainsMatchTheScalarGradients() {
        for (long seed = 0; seed < 60; seed++) {
            String spec = randomChain(new java.util.Random(seed));
            SpecResult result = Netsym.parse(spec);
            assertFalse(result.hasErrors(), spec + result.diagnostics());
            try {
                assertAgrees(result, 1);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ":\n" + spec + "\n" + e.getMessage(), e);
            }
        }
    }

    /** A chain H0 = X @ W0, then steps on a matrix H, then an objective of it (and of a vector branch). */
    private static String randomChain(java.util.Random r) {
        int rows = 1 + r.nextInt(3);
        int cols = 2 + r.nextInt(2);
        List<String> params = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        int out = 2 + r.nextInt(2);
        params.add("W0[" + cols + "," + out + "]");
        body.append("H0 = X @ W0\n");
        String h = "H0";
        int width = out;
        int height = rows;
        int steps = 1 + r.nextInt(4);
        for (int k = 1; k <= steps; k++) {
            String next = "H" + k;
            String value;
            switch (r.nextInt(9)) {
                case 0 -> {
                    int w = 2 + r.nextInt(2);
                    params.add("W" + k + "[" + width + "," + w + "]");
                    params.add("b" + k + "[" + w + "]");
                    value = h + " @ W" + k + " + b" + k;
                    width = w;
                }
                case 1 -> value = (r.nextBoolean() ? "tanh(" : "relu(") + h + ")";
                case 2 -> {
                    params.add("g" + k + "[" + width + "]");
                    value = h + " * g" + k;
                }
                case 3 -> {
                    params.add("s" + k);
                    value = "s" + k + " * " + h + " - " + h + " / (1 + s" + k + "^2)";
                }
                case 4 -> {
                    int w = 2 + r.nextInt(2);
                    params.add("V" + k + "[" + w + "," + width + "]");
                    value = h + " @ transpose(V" + k + ")";
                    width = w;
                }
                case 5 -> {
                    value = "transpose(" + h + ")";
                    int t = width;
                    width = height;
                    height = t;
                }
                case 6 -> {
                    params.add("Q" + k + "[" + width + "," + width + "]");
                    value = h + " + tanh(" + h + " @ Q" + k + ")^2";
                }
                case 7 -> value = "softmax(" + h + ")";
                default -> value = h + " + W0[1,1] * " + h + " * sum(" + h + ")";
            }
            body.append(next).append(" = ").append(value).append('\n');
            h = next;
        }
        params.add("v[" + width + "]");
        body.append("p = sum(").append(h).append(", 1) @ v\n");
        String objective = switch (r.nextInt(3)) {
            case 0 -> "sum((" + h + " - T)^2)";
            case 1 -> "mean(" + h + "^2) + p^2";
            default -> "sum(sum(" + h + ", 2)^2) + sum(T * " + h + ") + p";
        };
        return "input X[" + rows + "," + cols + "]\ntarget T[" + height + "," + width + "]\nparam " + String.join(", ", params)
                + "\n" + body + "objective " + objective + "\n";
    }

    @Test
    void loraReadsAsATextbookWritesIt() throws IOException {
        Network network = Netsym.read(Path.of("examples/lora.net")).network().orElseThrow();
        MatrixGradients.Form form = MatrixGradients.of(network.tensors());
        MatrixFormPrinter p = MatrixFormPrinter.text();
        assertEquals("W x + B (A x)", p.print(form.forward().get(0).value()));
        assertEquals(List.of("δ_y = 2·(y − t)", "∂L/∂W = δ_y xᵀ", "∂L/∂A = (Bᵀ δ_y) xᵀ", "∂L/∂B = δ_y (A x)ᵀ"), lines(form, p));
    }

    @Test
    void elementByElementUnitsHaveNoMatrixForm() {
        Network network = Netsym.parse("input x[2]\nparam W[2,2]\nh[1] = W[1,1]*x[1]\nh[2] = W[2,2]*x[2]\n"
                + "objective sum(h)\n").network().orElseThrow();
        assertFalse(MatrixGradients.applies(network.tensors()));
    }

    /** A dense network with biases: the whole document, through latex as a user runs it. */
    @Test
    void theLatexDocumentCompilesWithPdflatex(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mlp.net");
        Files.writeString(file, RELU_MLP);
        CliRun r = CliRun.of("latex", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\\section*{Gradients in matrix form}"), r.out());
        LatexDocumentRendererTest.compile(dir, "matrix-form-mlp", r.out());
    }

    /**
     * Sums along axes, broadcasts, quotients, element picks and softmax: the section alone, in a
     * bare article (the scalar gradients of these specs are long enough to test other things).
     */
    @Test
    void theLatexSectionCompilesWithPdflatex(@TempDir Path dir) throws Exception {
        for (String[] spec : new String[][] {{"broadcasts", BROADCASTS}, {"softmax", SOFTMAX}}) {
            Network network = Netsym.parse(spec[1]).network().orElseThrow();
            java.io.StringWriter section = new java.io.StringWriter();
            java.io.PrintWriter out = new java.io.PrintWriter(section);
            MatrixFormSection.latex(network, null, "L", false, out);
            out.flush();
            assertTrue(section.toString().startsWith("\\section*{Gradients in matrix form}"), section.toString());
            String document = "\\documentclass[10pt]{article}\n\\usepackage{amsmath}\n\\usepackage{amssymb}\n"
                    + "\\begin{document}\n" + section + "\\end{document}\n";
            LatexDocumentRendererTest.compile(dir, "matrix-form-" + spec[0], document);
        }
    }

    @Test
    void scalarSpecsHaveNoMatrixForm() throws IOException {
        Network network = Netsym.read(Path.of("examples/cs231n.net")).network().orElseThrow();
        assertFalse(MatrixGradients.applies(network.tensors()));
    }

    // ------------------------------------------------------------------ the check

    private record Form(MatrixGradients.Form form, String text) {}

    private static List<String> lines(MatrixGradients.Form form, MatrixFormPrinter p) {
        return form.steps().stream().map(s -> (s.parameter() ? p.partial("L", s.name()) : p.delta(s.name()))
                + " = " + p.print(s.value())).toList();
    }

    /** Evaluates the printed steps at {@code points} random points and compares every gradient element. */
    private static Form assertAgrees(SpecResult result, int points) {
        assertFalse(result.hasErrors(), result.diagnostics().toString());
        Network network = result.network().orElseThrow();
        return assertAgrees(network, network.tensors(), 1, points);
    }

    /** {@code first}: where the network's element names count indices from (0 for an ONNX model's). */
    private static Form assertAgrees(Network network, TensorProgram program, int first, int points) {
        assertTrue(MatrixGradients.applies(program));
        MatrixGradients.Form form = MatrixGradients.of(program);
        String text = String.join("\n", lines(form, MatrixFormPrinter.text()));
        Tape tape = Tape.compile(network);
        DoubleArithmetic doubles = new DoubleArithmetic(7);
        SplittableRandom random = new SplittableRandom(17);
        int compared = 0;
        for (int point = 0; point < points; point++) {
            Double[] theta = new Double[tape.parameterCount()];
            for (int i = 0; i < theta.length; i++) theta[i] = random.nextDouble(-1, 1);
            Double[] data = new Double[tape.dataNames().size()];
            for (int i = 0; i < data.length; i++) data[i] = random.nextDouble(-1, 1);
            Evaluation<Double> scalar = tape.evaluate(doubles, theta, data);
            Map<String, Double> scalars = new HashMap<>();
            for (int i = 0; i < theta.length; i++) scalars.put(tape.parameterNames().get(i), theta[i]);
            for (int i = 0; i < data.length; i++) scalars.put(tape.dataNames().get(i), data[i]);

            ArrayEvaluator arrays = new ArrayEvaluator(scalars, first);
            for (TensorProgram.Statement s : form.forward()) {
                Arr value = arrays.tensor(s.value());
                arrays.named.put(s.name(), value);
                if (s.name().startsWith("z_")) continue; // a pre-activation the matrix form introduced
                for (int flat = 0; flat < value.values.length; flat++) {
                    String unit = value.shape.length == 0 ? s.name() : Tensor.elementName(s.name(), value.shape, flat, first);
                    assertEquals(scalar.unitValue(unit), value.values[flat], 1e-9, "forward " + unit);
                }
            }
            assertEquals(scalar.objective(), arrays.tensor(form.objective()).values[0], 1e-9, "objective");
            for (MatrixGradients.Step step : form.steps()) {
                Arr value = arrays.matrix(step.value()).broadcastTo(step.shape());
                if (!step.parameter()) {
                    arrays.deltas.put(step.name(), value);
                    continue;
                }
                for (int flat = 0; flat < value.values.length; flat++) {
                    String element = step.shape().length == 0 ? step.name() : Tensor.elementName(step.name(), step.shape(), flat, first);
                    double expected = scalar.gradient(element);
                    assertEquals(expected, value.values[flat], 1e-9 * Math.max(1, Math.abs(expected)),
                            "∂L/∂" + element + " at point " + point + " from\n" + text);
                    compared++;
                }
            }
        }
        assertEquals(points * tape.parameterCount(), compared, "every parameter element compared:\n" + text);
        return new Form(form, text);
    }

    // ------------------------------------------------------------------ a small array evaluator

    /** A dense array in row-major order; shape [] is a single number. */
    private static final class Arr {
        final int[] shape;
        final double[] values;

        Arr(int[] shape, double[] values) {
            this.shape = shape.clone();
            this.values = values;
            assertEquals(Tensor.size(shape), values.length);
        }

        static Arr scalar(double v) {
            return new Arr(new int[0], new double[] {v});
        }

        double at(int[] index) {
            int flat = 0;
            for (int d = 0; d < shape.length; d++) flat = flat * shape[d] + index[d];
            return values[flat];
        }

        /** This array repeated NumPy-style to {@code target}. */
        Arr broadcastTo(int[] target) {
            double[] out = new double[Tensor.size(target)];
            int[] index = new int[target.length];
            for (int flat = 0; flat < out.length; flat++) {
                unflatten(flat, target, index);
                int[] mine = new int[shape.length];
                for (int d = 0; d < shape.length; d++) {
                    int from = target.length - shape.length + d;
                    mine[d] = shape[d] == 1 ? 0 : index[from];
                    if (shape[d] != 1 && shape[d] != target[from]) fail("cannot broadcast " + List.of(shape) + " to " + target.length);
                }
                out[flat] = at(mine);
            }
            return new Arr(target, out);
        }
    }

    private static void unflatten(int flat, int[] shape, int[] into) {
        for (int d = shape.length - 1; d >= 0; d--) {
            into[d] = flat % shape[d];
            flat /= shape[d];
        }
    }

    private interface Op {
        double apply(double[] operands);
    }

    private static Arr elementwise(List<Arr> operands, Op op) {
        int rank = operands.stream().mapToInt(a -> a.shape.length).max().orElse(0);
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        for (Arr a : operands) {
            for (int d = 0; d < a.shape.length; d++) shape[rank - a.shape.length + d] = Math.max(shape[rank - a.shape.length + d], a.shape[d]);
        }
        List<Arr> spread = operands.stream().map(a -> a.broadcastTo(shape)).toList();
        double[] out = new double[Tensor.size(shape)];
        double[] args = new double[operands.size()];
        for (int flat = 0; flat < out.length; flat++) {
            for (int k = 0; k < args.length; k++) args[k] = spread.get(k).values[flat];
            out[flat] = op.apply(args);
        }
        return new Arr(shape, out);
    }

    /** NumPy's @ for ranks 1 and 2. */
    private static Arr matmul(Arr a, Arr b) {
        assertTrue(a.shape.length >= 1 && a.shape.length <= 2 && b.shape.length >= 1 && b.shape.length <= 2);
        int m = a.shape.length == 2 ? a.shape[0] : 1;
        int k = a.shape[a.shape.length - 1];
        int kb = b.shape[0];
        int n = b.shape.length == 2 ? b.shape[1] : 1;
        assertEquals(k, kb, "inner sizes of a matrix product");
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int l = 0; l < k; l++) s += a.values[i * k + l] * b.values[l * n + j];
            out[i * n + j] = s;
        }
        List<Integer> shape = new ArrayList<>();
        if (a.shape.length == 2) shape.add(m);
        if (b.shape.length == 2) shape.add(n);
        return new Arr(shape.stream().mapToInt(Integer::intValue).toArray(), out);
    }

    private static Arr transpose(Arr a) {
        assertEquals(2, a.shape.length, "a transpose of a matrix");
        int m = a.shape[0];
        int n = a.shape[1];
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) out[j * m + i] = a.values[i * n + j];
        return new Arr(new int[] {n, m}, out);
    }

    /** The sum over the given axes; {@code keep} is the shape of the result. */
    private static Arr sumOver(Arr a, List<Integer> axes, int[] keep) {
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < a.shape.length; d++) if (!axes.contains(d)) kept.add(a.shape[d]);
        int[] reduced = kept.stream().mapToInt(Integer::intValue).toArray();
        double[] out = new double[Tensor.size(reduced)];
        int[] index = new int[a.shape.length];
        for (int flat = 0; flat < a.values.length; flat++) {
            unflatten(flat, a.shape, index);
            int to = 0;
            for (int d = 0, r = 0; d < a.shape.length; d++) {
                if (axes.contains(d)) continue;
                to = to * reduced[r++] + index[d];
            }
            out[to] += a.values[flat];
        }
        assertEquals(Tensor.size(keep), out.length);
        return new Arr(keep, out);
    }

    /** Repeats a along a new axis, to {@code shape}. */
    private static Arr expand(Arr a, int axis, int[] shape) {
        double[] out = new double[Tensor.size(shape)];
        int[] index = new int[shape.length];
        for (int flat = 0; flat < out.length; flat++) {
            unflatten(flat, shape, index);
            int from = 0;
            for (int d = 0, r = 0; d < shape.length; d++) {
                if (d == axis) continue;
                from = from * a.shape[r++] + index[d];
            }
            out[flat] = a.values[from];
        }
        return new Arr(shape, out);
    }

    /** softmax along an axis, and its vector-Jacobian product p ⊙ (g − Σ g⊙p along the axis). */
    private static Arr softmax(Arr x, int axis) {
        Arr exp = elementwise(List.of(x), v -> Math.exp(v[0]));
        int[] reducedShape = removeAxis(x.shape, axis);
        Arr totals = expand(sumOver(exp, List.of(axis), reducedShape), axis, x.shape);
        return elementwise(List.of(exp, totals), v -> v[0] / v[1]);
    }

    private static Arr softmaxVjp(Arr x, int axis, Arr g) {
        Arr p = softmax(x, axis);
        Arr gp = elementwise(List.of(g, p), v -> v[0] * v[1]);
        Arr totals = expand(sumOver(gp, List.of(axis), removeAxis(x.shape, axis)), axis, x.shape);
        return elementwise(List.of(p, g, totals), v -> v[0] * (v[1] - v[2]));
    }

    private static int[] removeAxis(int[] shape, int axis) {
        int[] out = new int[shape.length - 1];
        for (int d = 0, o = 0; d < shape.length; d++) if (d != axis) out[o++] = shape[d];
        return out;
    }

    private static double value(String function, double z) {
        return switch (function) {
            case "tanh" -> Math.tanh(z);
            case "relu" -> Math.max(z, 0);
            case "log" -> Math.log(z);
            default -> throw new AssertionError("the test evaluator has no " + function);
        };
    }

    /** The derivative, with netsym's convention relu′(0) = 0. */
    private static double slope(String function, double z) {
        return switch (function) {
            case "tanh" -> 1 - Math.tanh(z) * Math.tanh(z);
            case "relu" -> z > 0 ? 1 : 0;
            default -> throw new AssertionError("the test evaluator has no " + function + "′");
        };
    }

    private static final class ArrayEvaluator {
        final Map<String, Double> scalars;
        final Map<String, Arr> named = new HashMap<>();
        final Map<String, Arr> deltas = new HashMap<>();
        final int first;

        ArrayEvaluator(Map<String, Double> scalars, int first) {
            this.scalars = scalars;
            this.first = first;
        }

        Arr tensor(TensorExpr e) {
            if (e instanceof TensorExpr.Name n) {
                if (named.containsKey(n.name())) return named.get(n.name());
                if (n.shape().length == 0) return Arr.scalar(lookUp(n.name()));
                double[] v = new double[Tensor.size(n.shape())];
                for (int flat = 0; flat < v.length; flat++) v[flat] = lookUp(Tensor.elementName(n.name(), n.shape(), flat, first));
                return new Arr(n.shape(), v);
            }
            if (e instanceof TensorExpr.Element el) {
                Arr whole = tensor(new TensorExpr.Name(el.tensor(), el.tensorShape()));
                int[] index = el.index().clone();
                for (int d = 0; d < index.length; d++) index[d]--;
                return Arr.scalar(whole.at(index));
            }
            if (e instanceof TensorExpr.Constant c) return Arr.scalar(c.value().doubleValue());
            if (e instanceof TensorExpr.Add a) return elementwise(a.terms().stream().map(this::tensor).toList(), MatrixGradientsTest::total);
            if (e instanceof TensorExpr.Negate n) return elementwise(List.of(tensor(n.operand())), v -> -v[0]);
            if (e instanceof TensorExpr.Multiply m) return elementwise(m.factors().stream().map(this::tensor).toList(), MatrixGradientsTest::product);
            if (e instanceof TensorExpr.Divide d) return elementwise(List.of(tensor(d.numerator()), tensor(d.denominator())), v -> v[0] / v[1]);
            if (e instanceof TensorExpr.Power p) return elementwise(List.of(tensor(p.base()), tensor(p.exponent())), v -> Math.pow(v[0], v[1]));
            if (e instanceof TensorExpr.MatMul m) return matmul(tensor(m.left()), tensor(m.right()));
            if (e instanceof TensorExpr.Transpose t) return transpose(tensor(t.operand()));
            if (e instanceof TensorExpr.Apply a) {
                assertEquals(1, a.args().size(), "the test evaluator knows functions of one argument");
                return elementwise(List.of(tensor(a.args().get(0))), v -> value(a.function(), v[0]));
            }
            if (e instanceof TensorExpr.Reduce r) {
                Arr x = tensor(r.operand());
                List<Integer> axes = new ArrayList<>();
                if (r.axis() == null) for (int d = 0; d < x.shape.length; d++) axes.add(d);
                else axes.add(r.axis());
                Arr s = sumOver(x, axes, r.shape());
                int count = x.values.length / Math.max(1, s.values.length);
                return r.mean() ? elementwise(List.of(s), v -> v[0] / count) : s;
            }
            if (e instanceof TensorExpr.Opaque o && o.operation().equals("softmax")) {
                Arr x = tensor(o.args().get(0));
                return softmax(x, axisOf(o, x));
            }
            if (e instanceof TensorExpr.Opaque o && o.operation().equals("slice")) {
                Arr x = tensor(o.args().get(0));
                int[] outShape = o.shape();
                double[] out = new double[Tensor.size(outShape)];
                int[] index = new int[outShape.length];
                for (int flat = 0; flat < out.length; flat++) {
                    unflatten(flat, outShape, index);
                    out[flat] = x.at(sliceSource(o.sizes(), x.shape.length, index));
                }
                return new Arr(outShape, out);
            }
            if (e instanceof TensorExpr.Opaque o && o.operation().equals("concat")) {
                List<Arr> parts = o.args().stream().map(this::tensor).toList();
                int axis = axisOf(o, parts.get(0));
                int[] outShape = o.shape();
                double[] out = new double[Tensor.size(outShape)];
                int[] index = new int[outShape.length];
                for (int flat = 0; flat < out.length; flat++) {
                    unflatten(flat, outShape, index);
                    int[] within = index.clone();
                    int part = 0;
                    while (within[axis] >= parts.get(part).shape[axis]) within[axis] -= parts.get(part++).shape[axis];
                    out[flat] = parts.get(part).at(within);
                }
                return new Arr(outShape, out);
            }
            throw new AssertionError("the test evaluator has no rule for " + e);
        }

        /** Where element {@code index} of a slice sits in the sliced tensor: sizes are (first, last, kept) per axis, 1-based. */
        private static int[] sliceSource(List<Integer> sizes, int rank, int[] index) {
            int[] source = new int[rank];
            int next = 0;
            for (int d = 0; d < rank; d++) {
                source[d] = sizes.get(3 * d) - 1 + (sizes.get(3 * d + 2) == 1 ? index[next++] : 0);
            }
            return source;
        }

        Arr matrix(MatrixExpr e) {
            if (e instanceof MatrixExpr.Forward f) return tensor(f.value());
            if (e instanceof MatrixExpr.Delta d) return deltas.get(d.unit());
            if (e instanceof MatrixExpr.Number n) return Arr.scalar(n.value().doubleValue());
            if (e instanceof MatrixExpr.Ones o) return Arr.scalar(1).broadcastTo(o.shape());
            if (e instanceof MatrixExpr.Sum s) return elementwise(s.terms().stream().map(this::matrix).toList(), MatrixGradientsTest::total);
            if (e instanceof MatrixExpr.Negated n) return elementwise(List.of(matrix(n.operand())), v -> -v[0]);
            if (e instanceof MatrixExpr.Hadamard h) return elementwise(h.factors().stream().map(this::matrix).toList(), MatrixGradientsTest::product);
            if (e instanceof MatrixExpr.Quotient q) return elementwise(List.of(matrix(q.numerator()), matrix(q.denominator())), v -> v[0] / v[1]);
            if (e instanceof MatrixExpr.MatMul m) return matmul(matrix(m.left()), matrix(m.right()));
            if (e instanceof MatrixExpr.Outer o) {
                Arr a = matrix(o.column());
                Arr b = matrix(o.row());
                return matmul(new Arr(new int[] {a.values.length, 1}, a.values), new Arr(new int[] {1, b.values.length}, b.values));
            }
            if (e instanceof MatrixExpr.Transposed t) return transpose(matrix(t.operand()));
            if (e instanceof MatrixExpr.Derivative d) {
                assertEquals(1, d.args().size());
                return elementwise(List.of(tensor(d.args().get(0))), v -> slope(d.function(), v[0]));
            }
            if (e instanceof MatrixExpr.SumOver s) return sumOver(matrix(s.operand()), s.axes(), s.shape());
            if (e instanceof MatrixExpr.Expand x) return expand(matrix(x.operand()), x.axis(), x.shape());
            if (e instanceof MatrixExpr.Scatter s) {
                double[] out = new double[Tensor.size(s.shape())];
                int flat = 0;
                for (int d = 0; d < s.index().length; d++) flat = flat * s.shape()[d] + s.index()[d] - 1;
                out[flat] = matrix(s.operand()).values[0];
                return new Arr(s.shape(), out);
            }
            if (e instanceof MatrixExpr.Vjp v && v.operation().equals("softmax")) {
                Arr x = tensor(v.args().get(0));
                return softmaxVjp(x, axisOf(new TensorExpr.Opaque("softmax", v.args(), v.sizes(), x.shape), x), matrix(v.cotangent()));
            }
            if (e instanceof MatrixExpr.Vjp v && v.operation().equals("slice")) {
                // Each element of the back-signal goes back to the position it was sliced from; the rest get 0.
                Arr g = matrix(v.cotangent());
                double[] out = new double[Tensor.size(v.shape())];
                Arr into = new Arr(v.shape(), out);
                int[] index = new int[g.shape.length];
                for (int flat = 0; flat < g.values.length; flat++) {
                    unflatten(flat, g.shape, index);
                    int[] source = sliceSource(v.sizes(), v.shape().length, index);
                    int at = 0;
                    for (int d = 0; d < source.length; d++) at = at * v.shape()[d] + source[d];
                    out[at] += g.values[flat];
                }
                return into;
            }
            if (e instanceof MatrixExpr.Vjp v && v.operation().equals("concat")) {
                // The part of the back-signal that lies over argument k, along the joined axis.
                Arr g = matrix(v.cotangent());
                Arr first = tensor(v.args().get(0));
                int axis = axisOf(new TensorExpr.Opaque("concat", v.args(), v.sizes(), g.shape), first);
                int offset = 0;
                for (int k = 0; k < v.argument(); k++) offset += v.args().get(k).shape()[axis];
                double[] out = new double[Tensor.size(v.shape())];
                int[] index = new int[v.shape().length];
                for (int flat = 0; flat < out.length; flat++) {
                    unflatten(flat, v.shape(), index);
                    int[] over = index.clone();
                    over[axis] += offset;
                    out[flat] = g.at(over);
                }
                return new Arr(v.shape(), out);
            }
            throw new AssertionError("the test evaluator has no rule for " + e);
        }

        private double lookUp(String name) {
            Double v = scalars.get(name);
            assertNotNull(v, "no value for " + name + " among " + scalars.keySet().stream().sorted().collect(Collectors.joining(", ")));
            return v;
        }

        private static int axisOf(TensorExpr.Opaque o, Arr x) {
            if (o.sizes().isEmpty()) return x.shape.length - 1;
            int written = o.sizes().get(0);
            return written > 0 ? written - 1 : x.shape.length + written;
        }
    }

    private static double total(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    private static double product(double[] v) {
        double p = 1;
        for (double x : v) p *= x;
        return p;
    }
}
