package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.calculus.Arithmetic;
import dev.netsym.calculus.DoubleArithmetic;
import dev.netsym.calculus.ForwardingArithmetic;
import dev.netsym.calculus.GradientEngine;
import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.calculus.TensorTape;
import dev.netsym.calculus.UnsupportedArithmeticException;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.SpecResult;
import dev.netsym.onnx.OnnxImporter;
import dev.netsym.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine on whole tensors against the scalar tape: the same objective and gradient, in
 * modular arithmetic exactly (same formal values) and in doubles up to the order of additions,
 * on every example built from tensors and on random tensor specs.
 */
class TensorTapeAgreementTest {

    static List<String> examples() {
        return dev.netsym.robust.Examples.specs();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleFromTensorsAgrees(String example) throws Exception {
        Network network = parse(Files.readString(Path.of("examples", example)));
        assertTrue(TensorTape.applies(network), example);
        assertTrue(assertAgree(network, example.hashCode())[0] > 0, "no point where " + example + " is defined");
    }

    static Stream<Arguments> onnxModels() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("examples", "onnx"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".onnx")).sorted().toList()) {
                Map<String, int[]> shapes = file.getFileName().toString().equals("dynamic_batch.onnx") ? Map.of("x", new int[] {2, 3}) : Map.of();
                for (OnnxImporter.Loss loss : OnnxImporter.Loss.values()) {
                    cases.add(Arguments.of(file.getFileName().toString(), new OnnxImporter.Options(loss, List.of(), shapes)));
                }
            }
        }
        return cases.stream();
    }

    /** Models from PyTorch, under every loss: their elements are counted from 0, their parameters only those that reach the objective. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("onnxModels")
    void everyOnnxFixtureAgrees(String model, OnnxImporter.Options options) throws Exception {
        SpecResult result = OnnxImporter.read(Path.of("examples", "onnx", model), options);
        if (result.network().isEmpty()) {
            // a loss that does not fit the model (cross-entropy of a single number) is refused, and said so
            assertTrue(result.hasErrors(), model);
            return;
        }
        Network network = result.network().get();
        assertTrue(TensorTape.applies(network), model);
        assertTrue(assertAgree(network, model.hashCode())[0] > 0, "no point where " + model + " is defined");
    }

    @Test
    void randomTensorSpecsAgree() {
        int[] compared = new int[2];
        for (long seed = 1; seed <= 200; seed++) {
            String spec = RandomTensorSpecs.generate(seed);
            Network network = parse(spec);
            assertTrue(TensorTape.applies(network), spec);
            int[] counts = assertAgree(network, seed);
            compared[0] += counts[0];
            compared[1] += counts[1];
        }
        // Most points are defined, and some specs have residues (relu, max, norms have none): not vacuous.
        assertTrue(compared[0] >= 350, "points compared in doubles: " + compared[0]);
        assertTrue(compared[1] >= 25, "points compared in residues: " + compared[1]);
    }

    @Test
    void aNetworkOfSingleNumbersIsAGraphOfScalars() {
        Network network = parse("input x\nparam w\nh = tanh(w * x)\nobjective h^2\n");
        // Scalar units are tensors of shape []: the graph is there, and it agrees with the tape.
        assertTrue(TensorTape.applies(network));
        assertTrue(assertAgree(network, 7)[0] > 0);
    }

    @Test
    void numericPassesRunOnWholeTensorsWhenTheNetworkHasProducts() {
        Network tensors = parse("input X[2,3]\nparam W[3,2]\nobjective sum(tanh(X @ W)^2)\n");
        assertInstanceOf(TensorTape.class, TensorTape.engineFor(tensors, Tape.compile(tensors)));
        Network layers = parse("input x[3]\nlayer h[2] = tanh(dense(x, bias))\nobjective sum(h^2)\n");
        assertInstanceOf(TensorTape.class, TensorTape.engineFor(layers, Tape.compile(layers)));
        // Single numbers run faster one scalar at a time.
        Network scalars = parse("input x\nparam w\nh = tanh(w * x)\nobjective h^2\n");
        Tape tape = Tape.compile(scalars);
        assertSame(tape, TensorTape.engineFor(scalars, tape));
    }

    private static Network parse(String text) {
        SpecResult result = SpecParser.parse(text);
        assertTrue(result.network().isPresent(), () -> text + "\n" + result.diagnostics());
        return result.network().get();
    }

    /** Compares at two random points; returns how many were compared in doubles and in residues. */
    private static int[] assertAgree(Network network, long seed) {
        int[] counts = new int[2];
        Tape tape = Tape.compile(network);
        TensorTape tensors = TensorTape.compile(network);
        Random random = new Random(seed);
        for (int round = 0; round < 2; round++) {
            Rational[] parameters = randomRationals(random, tape.parameterCount());
            Rational[] data = randomRationals(random, tape.dataNames().size());
            if (compare(network, tape, tensors, new DoubleArithmetic(), parameters, data, true)) {
                counts[0]++;
                assertSameBits(tensors, parameters, data);
            }
            try {
                if (compare(network, tape, tensors, new ModularArithmetic(seed + round), parameters, data, false)) counts[1]++;
            } catch (UnsupportedArithmeticException e) {
                // relu, max and the like have no residue: doubles alone compare them
            }
        }
        return counts;
    }

    /** Whether the point was compared (false: the network is undefined there, for both engines). */
    private static <T> boolean compare(Network network, GradientEngine tape, GradientEngine tensors, Arithmetic<T> a,
                                    Rational[] parameters, Rational[] data, boolean rounded) {
        T[] p = a.newArray(parameters.length);
        for (int i = 0; i < p.length; i++) p[i] = a.fromRational(parameters[i]);
        T[] d = a.newArray(data.length);
        for (int i = 0; i < d.length; i++) d[i] = a.fromRational(data[i]);
        GradientEngine.ObjectiveAndGradient<T> expected;
        try {
            expected = tape.objectiveAndGradient(a, p, d);
        } catch (ArithmeticException e) {
            // a point where the network is undefined (a log of a negative number) is so for both
            assertThrows(ArithmeticException.class, () -> tensors.objectiveAndGradient(a, p, d));
            return false;
        }
        GradientEngine.ObjectiveAndGradient<T> actual = tensors.objectiveAndGradient(a, p, d);
        List<String> differ = new ArrayList<>();
        check(a, "objective", expected.objective(), actual.objective(), rounded, differ);
        for (int i = 0; i < p.length; i++) {
            check(a, "∂/∂" + network.parameters().get(i).name(), expected.gradient()[i], actual.gradient()[i], rounded, differ);
        }
        assertTrue(differ.isEmpty(), () -> a + " on " + network.name() + ": " + differ.subList(0, Math.min(5, differ.size())));
        return true;
    }

    private static <T> void check(Arithmetic<T> a, String what, T expected, T actual, boolean rounded, List<String> differ) {
        boolean same;
        if (rounded) {
            double e = (Double) expected;
            double x = (Double) actual;
            same = e == x || Math.abs(e - x) <= 1e-9 * Math.max(1, Math.max(Math.abs(e), Math.abs(x)))
                    || (Double.isNaN(e) && Double.isNaN(x));
        } else {
            same = a.equal(expected, actual);
        }
        if (!same) differ.add(what + ": " + expected + " vs " + actual);
    }

    /** The passes on primitive doubles give the bits of the boxed passes (an arithmetic that only forwards to doubles). */
    private static void assertSameBits(TensorTape tensors, Rational[] parameters, Rational[] data) {
        Arithmetic<Double> doubles = new DoubleArithmetic();
        Arithmetic<Double> boxed = new ForwardingArithmetic<>(doubles) {};
        Double[] p = new Double[parameters.length];
        for (int i = 0; i < p.length; i++) p[i] = parameters[i].doubleValue();
        Double[] d = new Double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i].doubleValue();
        GradientEngine.ObjectiveAndGradient<Double> primitive = tensors.objectiveAndGradient(doubles, p, d);
        GradientEngine.ObjectiveAndGradient<Double> reference = tensors.objectiveAndGradient(boxed, p, d);
        assertEquals(reference.objective(), primitive.objective());
        assertArrayEquals(reference.gradient(), primitive.gradient());
    }

    private static Rational[] randomRationals(Random random, int n) {
        Rational[] out = new Rational[n];
        for (int i = 0; i < n; i++) out[i] = Rational.of(random.nextInt(9) - 4, 3 + random.nextInt(5));
        return out;
    }
}
