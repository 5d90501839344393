package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netsym.Netsym;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model exported from PyTorch in examples/onnx: what is proved, checked by independent
 * simulation (fresh points, gradient descent steps, every witness replayed), and agreeing with
 * what PyTorch training showed (examples/onnx/expected.json, made outside the tests). Where the
 * proof left something undecided, the test would fail.
 */
class OnnxExamplesTest {

    /** Model, tensors that never move, and classes of two or more; nothing is left undecided. */
    static Stream<Arguments> models() {
        return Stream.of(
            Arguments.of("mlp_constant", "", List.of("hidden.weight[0,0]=hidden.weight[1,0]=hidden.weight[2,0]",
                    "hidden.weight[0,1]=hidden.weight[1,1]=hidden.weight[2,1]", "out.weight[0,0]=out.weight[0,1]=out.weight[0,2]")),
            Arguments.of("lora_zero", "lora_A.weight,lora_B.weight", List.of()),
            Arguments.of("lora", "", List.of()),
            Arguments.of("rezero", "", List.of()),
            Arguments.of("embedding_tied", "", List.of()),
            // The evenly started gate is frozen (softmax weights sum to 1 over identical experts),
            // as PyTorch training shows: proved by the identity test with e^x as an unknown.
            Arguments.of("experts", "gate.bias,gate.weight", expertClasses()),
            // k.bias never moves (softmax ignores a shift per row): proved the same way.
            Arguments.of("attention_zero_query", "k.bias", List.of()),
            Arguments.of("gpt_block", "k.bias", List.of()),
            // Training-mode batch norm cancels the convolution biases: proved with relu's steps
            // and max-pooling's shares as unknowns too.
            Arguments.of("cnn_bn", "conv1.bias,conv2.bias", List.of()));
    }

    private static List<String> expertClasses() {
        TreeSet<String> classes = new TreeSet<>();
        for (int i = 0; i < 2; i++) {
            classes.add("experts.0.bias[" + i + "]=experts.1.bias[" + i + "]");
            for (int j = 0; j < 3; j++) classes.add("experts.0.weight[" + i + "," + j + "]=experts.1.weight[" + i + "," + j + "]");
        }
        return List.copyOf(classes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void verdictHoldsUnderIndependentSimulation(String model, String frozenTensors, List<String> classes)
            throws IOException {
        Path file = Path.of("examples", "onnx", model + ".onnx");
        Network network = Netsym.readModel(file, OnnxImporter.Options.DEFAULT).network().orElseThrow();
        Proof proof = ProofRunner.prove(network, Duration.ofSeconds(120));
        assertFalse(proof.timedOut(), model + " ran out of time");

        TreeSet<String> expectedFrozen = new TreeSet<>();
        for (String tensor : frozenTensors.split(",")) {
            if (tensor.isEmpty()) continue;
            network.parameters().stream().map(Parameter::name).filter(n -> n.startsWith(tensor + "[")).forEach(expectedFrozen::add);
        }
        assertEquals(expectedFrozen, new TreeSet<>(proof.frozen()), model + ": frozen");
        List<String> shownClasses = proof.classes().stream().filter(c -> !c.frozen() && c.members().size() > 1)
                .map(c -> String.join("=", c.members())).sorted().toList();
        assertEquals(classes, shownClasses, model + ": classes");
        assertTrue(proof.undecided().isEmpty(), model + " left undecided: " + proof.undecided());

        ProofCrossCheckTest.Tally tally = new ProofCrossCheckTest.Tally();
        ProofCrossCheckTest.checkProof(network, proof, model, new Random(11), tally);
        if (!tally.failures.isEmpty()) fail(ProofCrossCheckTest.report(tally));
        assertEquals(proof.separations().size(), tally.witnessesReplayed, model + ": every witness replayed");
    }
}
