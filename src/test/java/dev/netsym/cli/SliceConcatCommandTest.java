package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slices and concat through Main, as a user runs prove, derive and check on them. */
class SliceConcatCommandTest {
    private static final String EXAMPLE = "examples/fused-qkv-zero-qk.net";

    /**
     * Q and K are the first 8 columns of the fused product, both at 0: the scores Q Kᵀ are 0, and
     * ∂L/∂Q is a multiple of K, ∂L/∂K of Q, so both stay 0 forever; every other weight moves.
     */
    @Test
    void proveFreezesTheQueryAndKeyColumnsOfTheFusedWeight() {
        CliRun r = CliRun.of("prove", EXAMPLE);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("""
                  and these never move from their initial values:
                    32 parameters: Wqkv[1,1], Wqkv[1,2], Wqkv[1,3], ..., Wqkv[4,8]
                  Tensor by tensor:
                    Wo [8,4]: every element takes a value of its own
                    Wqkv [4,12]: 32 of 48 elements never move; 16 trainable values for 48 elements
                """), r.out());
        assertTrue(r.out().contains("gradient descent keeps these parameters equal at every step:\n"
                + "    (none: every parameter that moves can take a value of its own)"), r.out());
    }

    @Test
    void deriveShowsTheSlicesAndTheirJacobianSteps() {
        CliRun r = CliRun.of("derive", EXAMPLE);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("""
                  Q = QKV[:,:4]
                  K = QKV[:,5:8]
                  V = QKV[:,9:]
                  H = concat(attention(Q, K, V), tanh(V), 2)
                """), r.out());
        assertTrue(r.out().contains("  δ_QKV = J_slice(QKV[:,9:])ᵀ δ_V + J_slice(QKV[:,5:8])ᵀ δ_K + J_slice(QKV[:,:4])ᵀ δ_Q\n"
                + "  ∂L/∂Wqkv = Xᵀ δ_QKV\n"), r.out());
        assertTrue(r.out().contains("\n  Q[1,1] = QKV[1,1]\n"), r.out());
    }

    @Test
    void checkReportsEveryBadSliceAndConcatWithExit65(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("bad.net");
        Files.writeString(spec, """
                input X[2,3]
                param W[4,3]
                Q = W[:, 2:4]
                K = concat(W, X, 3)
                V = W[0, 1:1]
                objective sum(Q) + sum(K) + sum(V)
                """);
        CliRun r = CliRun.of("check", spec.toString());
        assertEquals(ExitCodes.BAD_SPEC, r.exitCode(), r.out());
        assertEquals(spec + ":3:10: error: W[:,2:4]: 2:4 is outside W of shape [4,3] (positions of axis 2 are 1 to 3)\n"
                + spec + ":4:18: error: axis 3 does not exist in a tensor of shape [4,3] (axes are 1 to 2, or -1 to -2 from the last)\n"
                + spec + ":5:7: error: W[0,1:1]: 0 is outside W of shape [4,3] (positions of axis 1 are 1 to 4)\n", r.err());
    }
}
