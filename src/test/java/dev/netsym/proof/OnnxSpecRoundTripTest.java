package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.SpecResult;
import dev.netsym.onnx.OnnxImporter;
import dev.netsym.spec.SpecParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code netsym spec} on every committed ONNX model: the spec it writes parses without a
 * diagnostic and is the imported network again: the same parameters (renamed) and starts, the
 * same objective and gradient at random points (computed by the independent evaluator, not the
 * tape the command checks itself with), and the same classes proved.
 */
class OnnxSpecRoundTripTest {
    private static final Path MODELS = Path.of("examples", "onnx");

    /** The fixtures that do not import as they are, on purpose; each has its own test. */
    private static final Map<String, OnnxImporter.Options> NEEDS_OPTIONS = Map.of(
            "dynamic_batch", new OnnxImporter.Options(OnnxImporter.Loss.GENERIC, List.of(), Map.of("x", new int[] {2, 3})));

    static Stream<Arguments> models() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(MODELS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".onnx")).sorted().toList()) {
                String model = file.getFileName().toString().replaceFirst("\\.onnx$", "");
                cases.add(Arguments.of(model, NEEDS_OPTIONS.getOrDefault(model, OnnxImporter.Options.DEFAULT), true));
            }
        }
        // Every loss, on a model with a mask, one with batch norm and one with token ids (the
        // proofs, slow on these, are compared for the default loss only).
        for (OnnxImporter.Loss loss : List.of(OnnxImporter.Loss.SUM, OnnxImporter.Loss.MSE, OnnxImporter.Loss.CROSS_ENTROPY)) {
            for (String model : List.of("gpt_block", "cnn_bn", "embedding_tied")) {
                cases.add(Arguments.of(model, new OnnxImporter.Options(loss, List.of(), Map.of()), false));
            }
        }
        // Starts given on the command line: a symbol with a coefficient, a shared symbol, a number.
        cases.add(Arguments.of("lora_zero", new OnnxImporter.Options(OnnxImporter.Loss.GENERIC, List.of(
                new OnnxImporter.InitOverride("lora_A.weight[0,*]", new Init.Symbolic("a", Rational.of(-2, 3))),
                new OnnxImporter.InitOverride("base.weight", new Init.Symbolic("b")),
                new OnnxImporter.InitOverride("lora_B.weight[1,1]", new Init.Numeric(Rational.of(1, 4)))), Map.of()), true));
        return cases.stream();
    }

    @Test
    void everyFixtureImportsWithTheOptionsItNeeds() {
        for (String model : NEEDS_OPTIONS.keySet()) {
            SpecResult plain = read(model, OnnxImporter.Options.DEFAULT);
            assertTrue(plain.hasErrors(), model + " imports without options now; take it out of NEEDS_OPTIONS");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void specReadsBackAsTheSameNetwork(String model, OnnxImporter.Options options, boolean compareProofs) throws IOException {
        Path file = MODELS.resolve(model + ".onnx");
        OnnxImporter.Translation translation = OnnxImporter.translate(Files.readAllBytes(file), file, options);
        assertTrue(!translation.imported().hasErrors(), model + ": " + translation.imported().diagnostics());
        assertNotNull(translation.spec());
        Network imported = translation.imported().network().orElseThrow();
        SpecResult read = SpecParser.parse(translation.spec().getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), read.diagnostics(), model + ":\n" + translation.spec());
        Network spec = read.network().orElseThrow();
        Map<String, String> renamed = translation.renamed();

        assertEquals(renamedNames(imported.parameters().stream().map(Parameter::name).toList(), renamed),
                new TreeSet<>(spec.parameters().stream().map(Parameter::name).toList()), model + ": parameters");
        List<String> importedData = new ArrayList<>(imported.inputs());
        importedData.addAll(imported.targets());
        List<String> specData = new ArrayList<>(spec.inputs());
        specData.addAll(spec.targets());
        assertEquals(renamedNames(importedData, renamed), new TreeSet<>(specData), model + ": inputs and targets");
        assertSameStarts(imported, spec, renamed, model);
        assertSameValues(imported, spec, renamed, importedData, model);
        if (compareProofs) assertSameClasses(imported, spec, renamed, model);
    }

    private static SpecResult read(String model, OnnxImporter.Options options) {
        try {
            return OnnxImporter.read(MODELS.resolve(model + ".onnx"), options);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static TreeSet<String> renamedNames(List<String> names, Map<String, String> renamed) {
        TreeSet<String> out = new TreeSet<>();
        for (String n : names) out.add(renamed.getOrDefault(n, "(not renamed) " + n));
        return out;
    }

    /** Equal numbers, both random, or symbols that correspond one to one, with equal coefficients. */
    private static void assertSameStarts(Network imported, Network spec, Map<String, String> renamed, String model) {
        Map<String, Init> specStarts = new HashMap<>();
        for (Parameter p : spec.parameters()) specStarts.put(p.name(), p.init());
        Map<String, String> forward = new HashMap<>();
        Map<String, String> backward = new HashMap<>();
        for (Parameter p : imported.parameters()) {
            Init a = p.init();
            Init b = specStarts.get(renamed.get(p.name()));
            String where = model + ": start of " + p.name() + " (" + a + " against " + b + ")";
            if (a instanceof Init.Symbolic sa) {
                assertTrue(b instanceof Init.Symbolic, where);
                Init.Symbolic sb = (Init.Symbolic) b;
                assertEquals(sa.coefficient(), sb.coefficient(), where);
                assertEquals(sb.symbol(), forward.computeIfAbsent(sa.symbol(), k -> sb.symbol()), where);
                assertEquals(sa.symbol(), backward.computeIfAbsent(sb.symbol(), k -> sa.symbol()), where);
            } else {
                assertEquals(a.getClass(), b.getClass(), where);
                assertEquals(a, a instanceof Init.Random ? a : b, where);
            }
        }
    }

    /** Objective and every partial derivative, at random points, by the independent evaluator. */
    private static void assertSameValues(Network imported, Network spec, Map<String, String> renamed, List<String> importedData, String model) {
        IndependentGradients<?> a = IndependentGradients.forNetwork(imported);
        IndependentGradients<?> b = IndependentGradients.forNetwork(spec);
        Random random = new Random(model.hashCode());
        for (int point = 0; point < 2; point++) {
            Map<String, Rational> params = new HashMap<>();
            Map<String, Rational> data = new HashMap<>();
            for (Parameter p : imported.parameters()) params.put(p.name(), Rational.of(random.nextInt(2001) - 1000, 1000));
            for (String d : importedData) data.put(d, Rational.of(random.nextInt(2001) - 1000, 1000));
            Map<String, Double> objectiveAndGradientA = evaluate(a, params, data, Map.of());
            Map<String, Double> objectiveAndGradientB = evaluate(b, params, data, renamed);
            for (var entry : objectiveAndGradientA.entrySet()) {
                double x = entry.getValue();
                double y = objectiveAndGradientB.get(entry.getKey());
                assertTrue(Math.abs(x - y) <= 1e-9 * (1 + Math.abs(x)),
                        model + ": " + (entry.getKey().isEmpty() ? "objective" : "∂/∂" + entry.getKey()) + " " + x + " against " + y);
            }
        }
    }

    /** The objective (under "") and the gradient, by parameter name, at a point given in the import's names. */
    private static <T> Map<String, Double> evaluate(IndependentGradients<T> g, Map<String, Rational> params, Map<String, Rational> data,
            Map<String, String> renamed) {
        Map<String, T> p = new HashMap<>();
        Map<String, T> d = new HashMap<>();
        for (var e : params.entrySet()) p.put(renamed.getOrDefault(e.getKey(), e.getKey()), g.numbers().of(e.getValue()));
        for (var e : data.entrySet()) d.put(renamed.getOrDefault(e.getKey(), e.getKey()), g.numbers().of(e.getValue()));
        IndependentGradients.Evaluation<T> result = g.evaluate(p, d);
        Map<String, Double> out = new HashMap<>();
        out.put("", toDouble(result.objective()));
        for (var e : result.gradient().entrySet()) out.put(e.getKey(), toDouble(e.getValue()));
        if (!renamed.isEmpty()) {
            // Back to the import's names, so that both maps have the same keys.
            Map<String, Double> back = new HashMap<>();
            back.put("", out.get(""));
            for (String name : params.keySet()) back.put(name, out.get(renamed.get(name)));
            return back;
        }
        return out;
    }

    private static double toDouble(Object value) {
        return value instanceof Rational r ? r.doubleValue() : ((BigDecimal) value).doubleValue();
    }

    /** The classes and the frozen parameters the proof search finds, in the import's names. */
    private static void assertSameClasses(Network imported, Network spec, Map<String, String> renamed, String model) {
        Proof a = ProofEngine.prove(imported, ProofEngine.Options.defaults());
        Proof b = ProofEngine.prove(spec, ProofEngine.Options.defaults());
        assertEquals(classes(a, renamed), classes(b, Map.of()), model + ": classes");
        assertEquals(renamedNames(a.frozen(), renamed), new TreeSet<>(b.frozen()), model + ": frozen");
    }

    private static TreeSet<String> classes(Proof proof, Map<String, String> renamed) {
        TreeSet<String> out = new TreeSet<>();
        for (ParameterClass c : proof.classes()) {
            out.add(String.join("=", renamed.isEmpty() ? new TreeSet<>(c.members()) : renamedNames(c.members(), renamed)));
        }
        return out;
    }
}
