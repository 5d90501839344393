package dev.netsym.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.netsym.onnx.OnnxFiles.graph;
import static dev.netsym.onnx.OnnxFiles.node;

import dev.netsym.onnx.proto.OnnxProto.GraphProto;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code netsym COMMAND model.onnx} as a user runs it: the committed models, options, and bad files made here. */
class OnnxImportCommandTest {
    private static final String MODELS = "examples/onnx/";

    @TempDir
    Path dir;

    /**
     * Every trainable fixture through the command line: nothing undecided, and exactly the
     * elements PyTorch training left unchanged (expected.json, measured outside the tests) are
     * the ones proved never to move.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp_constant", "lora_zero", "lora", "rezero", "experts", "attention_zero_query", "cnn_bn",
            "embedding_tied", "gpt_block"})
    void everyFixtureIsDecidedAndFreezesWhatPyTorchFroze(String model) throws IOException {
        CliRun r = CliRun.of("prove", "--format", "json", MODELS + model + ".onnx");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\n  \"undecided\": [],\n"), r.out());
        String expected = Files.readString(Path.of(MODELS, "expected.json"));
        String block = expected.substring(expected.indexOf("\n  \"" + model + "\": {"));
        assertEquals(new TreeSet<>(stringsIn(block, "frozen")), new TreeSet<>(stringsIn(r.out(), "frozen")), model);
    }

    /** The strings of the first array named {@code field} in the JSON text. */
    private static List<String> stringsIn(String json, String field) {
        int from = json.indexOf('[', json.indexOf("\"" + field + "\": ["));
        String array = json.substring(from + 1, json.indexOf(']', from));
        List<String> strings = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(array);
        while (m.find()) strings.add(m.group(1));
        return strings;
    }

    @Test
    void provesAnExportedModelInItsOwnNames() {
        CliRun r = CliRun.of("prove", MODELS + "mlp_constant.onnx");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("every parameter starts at 1/2"), r.out());
        assertTrue(r.out().contains("{hidden.weight[0,0], hidden.weight[1,0], hidden.weight[2,0]}"), r.out());
        assertTrue(r.out().contains("What the network really is: 3 trainable values of 9 parameters."), r.out());
    }

    @Test
    void zeroLoraIsStuckAndSaysSoTensorByTensor() {
        CliRun r = CliRun.of("prove", MODELS + "lora_zero.onnx");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("lora_A.weight [2,4]: never moves (all 8 elements stay at 0)"), r.out());
        assertTrue(r.out().contains("lora_B.weight [3,2]: never moves (all 6 elements stay at 0)"), r.out());
        CliRun json = CliRun.of("prove", "--format", "json", MODELS + "lora_zero.onnx");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"lora_B.weight[2,1]\""), json.out());
    }

    @Test
    void initOverridesAskWhatIf() {
        // LoRA as its authors start it: A random, B zero. B then moves, so nothing is stuck.
        CliRun r = CliRun.of("prove", "--init", "lora_A.weight=random", MODELS + "lora_zero.onnx");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("no parameter is sure to stay at its initial value"), r.out());
        CliRun symbols = CliRun.of("check", "--init", "lora_A.weight[0,*]=-2*a/3", MODELS + "lora_zero.onnx");
        assertEquals(0, symbols.exitCode(), symbols.err());
        CliRun unmatched = CliRun.of("check", "--init", "nothing.like.this=0", MODELS + "lora_zero.onnx");
        assertEquals(65, unmatched.exitCode());
        assertTrue(unmatched.err().startsWith(MODELS + "lora_zero.onnx: error: --init nothing.like.this: no parameter matches"), unmatched.err());
        CliRun badValue = CliRun.of("check", "--init", "lora_A.weight=a+b", MODELS + "lora_zero.onnx");
        assertEquals(64, badValue.exitCode());
    }

    @Test
    void everyLossReadsTheOutputs() {
        for (String loss : new String[] {"generic", "sum", "mse", "cross-entropy"}) {
            CliRun r = CliRun.of("prove", "--loss", loss, MODELS + "embedding_tied.onnx");
            assertEquals(0, r.exitCode(), loss + ": " + r.err());
            assertTrue(r.out().contains("44 trainable values of 44 parameters"), loss + ": " + r.out());
        }
        assertEquals(64, CliRun.of("prove", "--loss", "hinge", MODELS + "lora.onnx").exitCode());
        CliRun spec = CliRun.of("check", "--loss", "mse", "examples/cs231n.net");
        assertEquals(64, spec.exitCode());
        assertTrue(spec.err().contains("apply to ONNX models"), spec.err());
    }

    @Test
    void openShapesAreFixedOnTheCommandLine() {
        CliRun open = CliRun.of("check", MODELS + "dynamic_batch.onnx");
        assertEquals(65, open.exitCode());
        assertEquals(MODELS + "dynamic_batch.onnx: error: the input 'x' has a shape that is not fixed ([batch,3]); give it with --shape x=2x3\n",
                open.err());
        CliRun fixed = CliRun.of("prove", "--shape", "x=2x3", MODELS + "dynamic_batch.onnx");
        assertEquals(0, fixed.exitCode(), fixed.err());
        CliRun wrong = CliRun.of("check", "--shape", "x=2x3x4", MODELS + "dynamic_batch.onnx");
        assertEquals(65, wrong.exitCode());
        assertTrue(wrong.err().contains("has 2 axes, not 3"), wrong.err());
    }

    @Test
    void mergedInitializersAreWarnedAbout() {
        CliRun r = CliRun.of("check", MODELS + "eval_experts.onnx");
        assertEquals(0, r.exitCode());
        assertTrue(r.err().startsWith(MODELS + "eval_experts.onnx: warning: initializers are aliases of others"), r.err());
        assertTrue(r.err().contains("training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False"), r.err());
    }

    @Test
    void filesThatAreNotModelsAreRefused() throws IOException {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "network x\ninput x\n");
        CliRun r = CliRun.of("check", text.toString());
        assertEquals(65, r.exitCode());
        assertTrue(r.err().startsWith(text + ": error: not an ONNX model"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");

        byte[] whole = Files.readAllBytes(Path.of(MODELS + "lora.onnx"));
        for (int cut : new int[] {1, 17, whole.length / 2, whole.length - 3}) {
            Path truncated = dir.resolve("cut" + cut + ".onnx");
            Files.write(truncated, Arrays.copyOf(whole, cut));
            CliRun t = CliRun.of("check", truncated.toString());
            assertEquals(65, t.exitCode(), "cut at " + cut + ": " + t.err());
            assertTrue(t.err().startsWith(truncated + ": error: "), t.err());
        }
        assertEquals(66, CliRun.of("check", dir.resolve("missing.onnx").toString()).exitCode());
    }

    @Test
    void anUnsupportedOperatorIsNamedWithWhatIsSupported() throws IOException {
        Path model = write("cos.onnx", graph(node("Cos", "the_cosine", "x", "y")));
        CliRun r = CliRun.of("check", model.toString());
        assertEquals(65, r.exitCode());
        assertTrue(r.err().startsWith(model + ": error: node 'the_cosine' (Cos): netsym does not support the operator Cos; it supports "),
                r.err());
        assertTrue(r.err().contains("MatMul"), r.err());
    }

    @Test
    void dataThatDisagreesWithItsShapeIsRefused() throws IOException {
        TensorProto weight = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(2).addDims(3).addFloatData(1).addFloatData(2).build();
        Path model = write("short.onnx", graph(node("MatMul", "mm", "x", "w", "y")).toBuilder().addInitializer(weight).build());
        CliRun r = CliRun.of("check", model.toString());
        assertEquals(65, r.exitCode());
        assertEquals(model + ": error: the tensor 'w' has 2 values, but its shape [2,3] needs 6\n", r.err());
    }

    @Test
    void aNodeUsingAValueNobodyMakesIsRefused() throws IOException {
        Path model = write("dangling.onnx", graph(node("Tanh", "t", "nowhere", "y")));
        CliRun r = CliRun.of("check", model.toString());
        assertEquals(65, r.exitCode());
        assertTrue(r.err().contains("node 't' (Tanh) uses 'nowhere', which is not an input or initializer and no node computes"), r.err());
    }

    /** Found by fuzzing: an Identity of an initializer with no output crashed the merged-initializer warning. */
    @Test
    void anIdentityWithoutAnOutputIsNotACrash() throws IOException {
        GraphProto graph = graph(node("Mul", "m", "x", "w", "y")).toBuilder()
                .addInitializer(OnnxFiles.floats("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6))
                .addNode(NodeProto.newBuilder().setName("alias").setOpType("Identity").addInput("w"))
                .build();
        CliRun r = CliRun.of("check", write("identity.onnx", graph).toString());
        assertFalse(r.err().contains("internal error"), r.err());
        assertFalse(r.err().contains("aliases"), "a node that makes nothing aliases nothing: " + r.err());
    }

    /** Found by fuzzing: an empty tensor to differentiate, as an output or computed by a node, is refused by name. */
    @Test
    void emptyTensorsAreRefusedNotACrash() throws IOException {
        GraphProto emptyOutput = GraphProto.newBuilder().setName("test").addInput(OnnxFiles.floatInput("x", 2, 3))
                .addInitializer(OnnxFiles.floats("w", new long[] {4, 0}))
                .addNode(node("Tanh", "t", "x", "h"))
                .addOutput(dev.netsym.onnx.proto.OnnxProto.ValueInfoProto.newBuilder().setName("w")).build();
        CliRun r = CliRun.of("check", write("empty-output.onnx", emptyOutput).toString());
        assertEquals(65, r.exitCode(), r.err());
        assertTrue(r.err().endsWith("error: the graph's output 'w' has no elements (shape [4,0]); netsym differentiates"
                + " tensors of at least one element\n"), r.err());

        TensorProto noIndices = TensorProto.newBuilder().setName("i").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(0).build();
        GraphProto emptyGather = graph(node("Gather", "g", "x", "i", "y")).toBuilder().addInitializer(noIndices).build();
        r = CliRun.of("check", write("empty-gather.onnx", emptyGather).toString());
        assertEquals(65, r.exitCode(), r.err());
        assertTrue(r.err().contains("error: node 'g' (Gather) computes 'y' with no elements (shape [0,3])"), r.err());
    }

    private Path write(String name, GraphProto graph) throws IOException {
        return OnnxFiles.write(dir, name, graph);
    }
}
