package dev.netsym.onnx;

import static dev.netsym.onnx.OnnxFiles.graph;
import static dev.netsym.onnx.OnnxFiles.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.onnx.proto.OnnxProto.GraphProto;
import dev.netsym.onnx.proto.OnnxProto.TensorProto;
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
