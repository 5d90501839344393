package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-megabyte specs, generated here: tagged "big" (a few seconds each) but part of `mvn test`. */
@Tag("big")
class BigSpecTest {
    private static final int[] MNIST = {784, 256, 128, 10};

    @TempDir
    Path dir;

    /** The 784-256-128-10 network written out unit by unit, as a generator of specs would. */
    private Path explicitMnist() throws IOException {
        Path file = dir.resolve("mnist-explicit.net");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("network mnist_explicit\ninput x[784]\ntarget t[10]\n");
            String below = "x";
            for (int layer = 1; layer < MNIST.length; layer++) {
                String name = layer < MNIST.length - 1 ? "h" + layer : "y";
                for (int j = 1; j <= MNIST[layer]; j++) {
                    StringBuilder line = new StringBuilder(name + "[" + j + "] = ");
                    boolean activated = layer < MNIST.length - 1;
                    if (activated) line.append("tanh(");
                    for (int i = 1; i <= MNIST[layer - 1]; i++) {
                        line.append('W').append(layer).append('[').append(j).append(',').append(i).append("]*")
                                .append(below).append('[').append(i).append("] + ");
                    }
                    line.append('b').append(layer).append('[').append(j).append(']');
                    if (activated) line.append(')');
                    w.write(line.append('\n').toString());
                }
                below = name;
            }
            w.write("objective sum((y - t)^2)\ninit W* = random\ninit b* = 0\n");
        }
        return file;
    }

    /** {@code netsym check}; the budget only catches a hang. */
    private static CliRun check(Path file) {
        return assertTimeoutPreemptively(Duration.ofMinutes(5), () -> CliRun.of("check", file.toString()));
    }

    @Test
    void theExplicitMnistNetworkIsRead() throws IOException {
        Path file = explicitMnist();
        CliRun run = check(file);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("parameters   235146: W1[1,1], "), run::toString);
    }

    @Test
    void aFiftyMegabyteSpecIsRefusedWithADiagnostic() throws IOException {
        Path file = dir.resolve("fifty.net");
        String unit = "u = w1*x + w2*x + w3*x + w4*x + w5*x + w6*x + w7*x + w8*x\n";
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("input x\n");
            for (long written = 0; written < 50L << 20; written += unit.length()) w.write(unit);
            w.write("objective u\n");
        }
        CliRun run = check(file);
        run.assertRefusedWithDiagnostics();
        // Refused by the token limit, before any parse tree or model is built.
        assertTrue(run.err().matches(".*:\\d+:\\d+: error: the spec is too large: it has more than 4000000 names,"
                + " numbers and symbols\n"), run::toString);
    }

    @Test
    void fiftyMegabytesOfCommentsAroundASmallSpecAreFine() throws IOException {
        Path file = dir.resolve("comments.net");
        String comment = "# " + "the quick brown fox jumps over the lazy dog ".repeat(20) + "\n";
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("input x\n");
            for (long written = 0; written < 50L << 20; written += comment.length()) w.write(comment);
            w.write("y = w*x\nobjective y\n");
        }
        CliRun run = check(file);
        assertEquals(0, run.exitCode(), run::toString);
    }
}
