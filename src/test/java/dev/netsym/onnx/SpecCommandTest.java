package dev.netsym.onnx;

import static dev.netsym.onnx.OnnxFiles.graph;
import static dev.netsym.onnx.OnnxFiles.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.onnx.proto.OnnxProto.AttributeProto;
import dev.netsym.onnx.proto.OnnxProto.GraphProto;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
import dev.netsym.onnx.proto.OnnxProto.ValueInfoProto;
import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netsym spec MODEL.onnx} as a user runs it: the spec it prints, proved again, and bad input. */
class SpecCommandTest {
    private static final String MODELS = "examples/onnx/";

    @TempDir
    Path dir;

    @Test
    void writesTensorLinesThatProveAsTheModelDoes() throws IOException {
        CliRun r = CliRun.of("spec", MODELS + "lora_zero.onnx");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("\nparam lora_A_weight[2,4]\n"), r.out());
        assertTrue(r.out().contains("\nlora_B_MatMul = lora_A_MatMul @ transpose(lora_B_weight)\n"), r.out());
        assertTrue(r.out().contains("\nobjective sum(grad_y * y)\n"), r.out());
        assertTrue(r.out().contains("\ninit lora_A_weight = 0\n"), r.out());

        Path spec = dir.resolve("lora_zero.net");
        CliRun written = CliRun.of("spec", MODELS + "lora_zero.onnx", "-o", spec.toString());
        assertEquals(0, written.exitCode(), written.err());
        assertEquals(r.out(), Files.readString(spec));
        CliRun proved = CliRun.of("prove", spec.toString());
        assertEquals(0, proved.exitCode(), proved.err());
        assertEquals("", proved.err());
        assertTrue(proved.out().contains("lora_A_weight [2,4]: never moves (all 8 elements stay at 0)"), proved.out());
        assertTrue(proved.out().contains("lora_B_weight [3,2]: never moves (all 6 elements stay at 0)"), proved.out());
    }

    @Test
    void copiedExpertsAndTheChosenLossAreWrittenAsSuch() {
        CliRun r = CliRun.of("spec", "--loss", "mse", MODELS + "experts.onnx");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\ninit experts_1_weight = experts_0_weight\n"), r.out());
        assertTrue(r.out().contains("\nobjective mean((y - y_target)^2)\n"), r.out());
        assertEquals(64, CliRun.of("spec", "--loss", "hinge", MODELS + "experts.onnx").exitCode());
    }

    @Test
    void aMaskedSoftmaxIsWrittenUnitByUnitAndChecksOut() {
        CliRun r = CliRun.of("spec", MODELS + "gpt_block.onnx");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\nln1_LayerNormalization = layer_norm(Add, ln1_weight, ln1_bias)\n"), r.out());
        // The causal mask: only the scores it keeps are units (MatMul[1,1,1,2] is hidden).
        assertTrue(r.out().contains("\nMatMul[1,1,2,1] = "), r.out());
        assertFalse(r.out().contains("\nMatMul[1,1,1,2] = "), r.out());
    }

    @Test
    void aWeightUsedInPartIsDeclaredByUse() throws IOException {
        // y = x @ w[[0, 2, 1]]: a Gather with constant indices uses 3 of w's 4 rows.
        TensorProto w = OnnxFiles.floats("w", new long[] {4, 1}, 0.25f, 0.5f, -0.75f, 1.5f);
        TensorProto rows = TensorProto.newBuilder().setName("rows").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(3).addInt64Data(0).addInt64Data(2).addInt64Data(1).build();
        GraphProto graph = graph(node("Gather", "pick", "w", "rows", "picked")).toBuilder()
                .addNode(node("MatMul", "mm", "x", "picked", "y")).addInitializer(w).addInitializer(rows).build();
        Path model = OnnxFiles.write(dir, "picked.onnx", graph);
        CliRun r = CliRun.of("spec", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("param w"), r.out());
        CliRun check = CliRun.of("check", model.toString());
        assertTrue(check.out().contains("parameters   3: w[0,0], w[1,0], w[2,0]"), check.out());
    }

    private static TensorProto longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        return t.build();
    }

    private static NodeProto withAttributes(NodeProto node, AttributeProto... attributes) {
        return node.toBuilder().addAllAttribute(java.util.List.of(attributes)).build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    @Test
    void operatorsNoFixtureUsesRoundTripToo() throws IOException {
        // Gemm with alpha, beta and transB; LeakyRelu; Slice; Concat; Unsqueeze; ReduceSum without
        // keepdims; Expand; Softmax over the first axis; Neg and Pow: the command checks its spec.
        TensorProto w = OnnxFiles.floats("w", new long[] {3, 3}, 0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, 0.8f, -0.9f);
        TensorProto b = OnnxFiles.floats("b", new long[] {3}, 0.5f, 0.5f, -0.25f);
        TensorProto two = longs("two", 2); // an integer: a constant exponent, not a parameter
        GraphProto graph = GraphProto.newBuilder().setName("ops").addInput(OnnxFiles.floatInput("x", 2, 3))
                .addNode(withAttributes(node("Gemm", "gemm", "x", "w", "b", "g"), real("alpha", 0.5f), real("beta", 2f), integer("transB", 1)))
                .addNode(withAttributes(node("LeakyRelu", "leaky", "g", "l"), real("alpha", 0.1f)))
                .addNode(node("Slice", "slice", "l", "starts", "ends", "axes", "s"))
                .addNode(withAttributes(node("Concat", "concat", "l", "s", "c"), integer("axis", 1)))
                .addNode(node("Unsqueeze", "unsqueeze", "c", "zero", "u"))
                .addNode(withAttributes(node("ReduceSum", "reduce", "u", "two_axis", "r"), integer("keepdims", 0)))
                .addNode(node("Expand", "expand", "r", "shape", "e"))
                .addNode(withAttributes(node("Softmax", "softmax", "e", "p"), integer("axis", 0)))
                .addNode(node("Neg", "neg", "p", "n"))
                .addNode(node("Pow", "pow", "n", "two", "y"))
                .addInitializer(w).addInitializer(b).addInitializer(two)
                .addInitializer(longs("starts", 0)).addInitializer(longs("ends", 2)).addInitializer(longs("axes", 1))
                .addInitializer(longs("zero", 0)).addInitializer(longs("two_axis", 2)).addInitializer(longs("shape", 3, 2))
                .addOutput(ValueInfoProto.newBuilder().setName("y")).build();
        Path model = OnnxFiles.write(dir, "ops.onnx", graph);
        for (String loss : java.util.List.of("generic", "mse", "cross-entropy")) {
            CliRun r = CliRun.of("spec", "--loss", loss, model.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("", r.err());
            assertTrue(r.out().contains("\ng = 0.5 * (x @ transpose(w)) + 2 * b\n"), r.out());
            assertTrue(r.out().contains("\nl = leaky_relu(g, 0.1)\n"), r.out());
        }
        // A trainable exponent of a negative base: no point has a value, so the values go unchecked, with a warning.
        GraphProto trainableExponent = graph.toBuilder().removeInitializer(2)
                .addInitializer(OnnxFiles.floats("two", new long[] {}, 2f)).build();
        Path undefined = OnnxFiles.write(dir, "undefined.onnx", trainableExponent);
        CliRun r = CliRun.of("spec", undefined.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().startsWith(undefined + ": warning: the spec could not be compared with the model at random points"), r.err());
        assertTrue(r.out().contains("\ny = n^two\n"), r.out());
    }

    @Test
    void badInputIsRefusedWithItsReason() throws IOException {
        CliRun spec = CliRun.of("spec", "examples/lora.net");
        assertEquals(64, spec.exitCode());
        assertEquals("netsym: spec reads ONNX models (FILE.onnx); examples/lora.net is not one\n", spec.err());

        Path damaged = dir.resolve("damaged.onnx");
        Files.write(damaged, new byte[] {8, 7, 0x12, 0x7f, 1, 2});
        CliRun r = CliRun.of("spec", damaged.toString());
        assertEquals(65, r.exitCode());
        assertTrue(r.err().startsWith(damaged + ": error: "), r.err());
        assertEquals("", r.out());

        Path cosine = OnnxFiles.write(dir, "cos.onnx", graph(node("Cos", "the_cosine", "x", "y")));
        CliRun unsupported = CliRun.of("spec", cosine.toString());
        assertEquals(65, unsupported.exitCode());
        assertTrue(unsupported.err().startsWith(cosine + ": error: node 'the_cosine' (Cos): netsym does not support the operator Cos"),
                unsupported.err());

        CliRun dynamic = CliRun.of("spec", MODELS + "dynamic_batch.onnx");
        assertEquals(65, dynamic.exitCode());
        assertTrue(dynamic.err().contains("give it with --shape x=2x3"), dynamic.err());
        assertEquals(0, CliRun.of("spec", "--shape", "x=2x3", MODELS + "dynamic_batch.onnx").exitCode());

        assertEquals(66, CliRun.of("spec", dir.resolve("missing.onnx").toString()).exitCode());
        CliRun over = CliRun.of("spec", MODELS + "lora.onnx", "-o", MODELS + "lora.onnx");
        assertEquals(64, over.exitCode());
    }
}
