package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gradients in matrix form, through Main as a user runs derive and latex. */
class MatrixFormCommandTest {
    private static final String SMALL_MLP = """
            input x[2]
            target t
            param W[2,2], v[2]
            h = tanh(W @ x)
            y = v @ h
            objective (y - t)^2
            """;

    @Test
    void loraDerivationOpensWithTheMatrixForm() {
        CliRun r = CliRun.of("derive", "examples/lora.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("""
                Gradients in matrix form
                    (vectors are columns; W x is the matrix product, ᵀ the transpose, ⊙ the product element by
                     element, 𝟙 a tensor of ones; δ_u = ∂L/∂u)
                  y = W x + B (A x)
                  L = sum((y − t)²)

                  δ_y = 2·(y − t)
                  ∂L/∂W = δ_y xᵀ
                  ∂L/∂A = (Bᵀ δ_y) xᵀ
                  ∂L/∂B = δ_y (A x)ᵀ

                Units
                """), r.out());
        // The scalar form is still there, after it.
        assertTrue(r.out().contains("\n  ∂L/∂A[1,1] = ∂L/∂y[1] · ∂y[1]/∂A[1,1]"), r.out());
    }

    @Test
    void jsonCarriesTheMatrixFormAndOnlyForTensorSpecs() {
        CliRun r = CliRun.of("derive", "--format", "json", "examples/lora.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"matrix_form\": {\n    \"forward\": {\n      \"y\": \"W x + B (A x)\"\n    },"), r.out());
        assertTrue(r.out().contains("\"∂L/∂A\": \"(Bᵀ δ_y) xᵀ\""), r.out());
        assertTrue(r.out().strip().endsWith("}\n  }\n}"), r.out());
        CliRun scalar = CliRun.of("derive", "--format", "json", "examples/cs231n.net");
        assertFalse(scalar.out().contains("matrix_form"), scalar.out());
    }

    @Test
    void anOnnxModelHasTheMatrixFormInItsOwnNames() {
        CliRun r = CliRun.of("derive", "examples/onnx/lora.onnx");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Gradients in matrix form\n"), r.out());
        assertTrue(r.out().contains("""
                  lora_B.MatMul = lora_A.MatMul lora_B.weightᵀ
                  y = base.MatMul + lora_B.MatMul
                  L = sum(grad_y ⊙ y)

                  δ_y = grad_y
                  δ_lora_B.MatMul = δ_y
                  ∂L/∂lora_B.weight = δ_lora_B.MatMulᵀ lora_A.MatMul
                """), r.out());
        // The scalar form keeps the model's names too, indices from 0.
        assertTrue(r.out().contains("\n  base.MatMul[0,0] = x[0,0]·base.weight[0,0]"), r.out());
        CliRun json = CliRun.of("derive", "--format", "json", "examples/onnx/lora.onnx");
        assertTrue(json.out().contains("\"∂L/∂lora_B.weight\": \"δ_lora_B.MatMulᵀ lora_A.MatMul\""), json.out());
        // A model whose spec writes units element by element has no matrix form, and no complaint.
        CliRun block = CliRun.of("derive", "examples/onnx/gpt_block.onnx");
        assertEquals(ExitCodes.OK, block.exitCode(), block.err());
        assertEquals("", block.err());
        assertFalse(block.out().contains("matrix form"), block.out());
    }

    @Test
    void aSmallNetworkKeepsItsScalarFormFirst(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("small.net");
        Files.writeString(spec, SMALL_MLP);
        CliRun r = CliRun.of("derive", spec.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Units\n"), r.out());
        String matrix = r.out().substring(r.out().indexOf("Gradients in matrix form"));
        assertTrue(r.out().indexOf("∂L/∂W[1,1]") < r.out().indexOf("Gradients in matrix form"), r.out());
        assertTrue(matrix.contains("""
                  z_h = W x
                  h = tanh(z_h)
                  y = v h
                  L = (y − t)²

                  δ_y = 2·(y − t)
                  ∂L/∂v = δ_y·h
                  δ_h = δ_y·v
                  δ_z_h = tanh′(z_h) ⊙ δ_h
                  ∂L/∂W = δ_z_h xᵀ
                """), matrix);
    }

    @Test
    void aChosenParameterShowsOnlyItsTensor() {
        CliRun r = CliRun.of("derive", "examples/lora.net", "--param", "B[1,1]");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("  ∂L/∂B = δ_y (A x)ᵀ\n"), r.out());
        assertFalse(r.out().contains("∂L/∂W ="), r.out());
        assertFalse(r.out().contains("∂L/∂A ="), r.out());
    }

    @Test
    void anOperationShownByNameIsAJacobianStep() {
        CliRun r = CliRun.of("derive", "examples/attention-zero-query.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("  δ_H = J_layer_norm,1(H, g, b)ᵀ δ_Y\n"), r.out());
        assertTrue(r.out().contains("  ∂L/∂Wo = attention(Q, K, V)ᵀ δ_H\n"), r.out());
        assertTrue(r.out().contains("  δ_Q = J_attention,1(Q, K, V)ᵀ (δ_H Woᵀ)\n"), r.out());
        assertTrue(r.out().contains("(J_f(…) is the Jacobian of f at its arguments"), r.out());
    }

    @Test
    void aDenseNetworkIsWrittenLayerByLayer() {
        CliRun r = CliRun.of("derive", "examples/dense-mnist.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Gradients in matrix form\n"), r.out());
        assertTrue(r.out().contains("""
                  δ_out = 𝟙
                  ∂L/∂W_out = δ_out h2ᵀ
                  δ_h2 = W_outᵀ δ_out
                  δ_z_h2 = tanh′(z_h2) ⊙ δ_h2
                  ∂L/∂W_h2 = δ_z_h2 h1ᵀ
                  δ_h1 = W_h2ᵀ δ_z_h2
                  δ_z_h1 = tanh′(z_h1) ⊙ δ_h1
                  ∂L/∂W_h1 = δ_z_h1 xᵀ
                """), r.out());
    }

    @Test
    void scalarSpecsHaveNoMatrixForm() {
        CliRun r = CliRun.of("derive", DeriveCommandTest.CS231N);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertFalse(r.out().contains("matrix form"), r.out());
    }

    @Test
    void latexHasTheMatrixFormBeforeTheScalarGradients() {
        CliRun r = CliRun.of("latex", "examples/lora.net");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String tex = r.out();
        int matrix = tex.indexOf("\\section*{Gradients in matrix form}");
        assertTrue(matrix > 0, tex);
        assertTrue(matrix < tex.indexOf("\\section*{The gradients}"), tex);
        assertTrue(tex.contains("y &= W\\, x + B\\, (A\\, x) \\\\\n"), tex);
        assertTrue(tex.contains("\\delta_{y} &= 2\\, (y - t) \\\\\n"), tex);
        assertTrue(tex.contains("\\frac{\\partial L}{\\partial A} &= (B^{\\top}\\, \\delta_{y})\\, x^{\\top} \\\\\n"), tex);
        assertTrue(tex.contains("\\frac{\\partial L}{\\partial B} &= \\delta_{y}\\, (A\\, x)^{\\top}\n"), tex);
    }

    @Test
    void latexWritesDenseLayersWithTheirNamesAbove() {
        CliRun r = CliRun.of("latex", "examples/dense-mnist.net", "--fragment");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("\\delta_{z_{\\mathit{h1}}} &= \\tanh'(z_{\\mathit{h1}}) \\odot \\delta_{\\mathit{h1}}"), r.out());
        assertTrue(r.out().contains("\\frac{\\partial L}{\\partial W^{\\mathit{h1}}} &= \\delta_{z_{\\mathit{h1}}}\\, x^{\\top}"), r.out());
    }
}
