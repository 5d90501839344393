package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small networks whose gradients swell when written in inputs and parameters (issue #11,
 * item 6): a softmax classifier with sums of exponentials in its denominators and a tanh
 * network with biases. Each command finishes within its own budget and shows every
 * gradient. The specs are the benchmark's (bench/), which times them.
 */
class SmallNetworkSwellTest {
    private record Spec(String file, List<String> parameters) {}

    private static final Spec SOFTMAX = new Spec("bench/softmax3.net",
            List.of("w11", "w12", "w13", "w21", "w22", "w23", "w31", "w32", "w33"));
    private static final Spec MLP = new Spec("bench/mlp-2-3-2.net", List.of("b1", "b2", "b3", "c1", "c2",
            "v11", "v12", "v13", "v21", "v22", "v23", "w11", "w12", "w21", "w22", "w31", "w32"));

    /** Only catches a hang: these runs took a minute or more before their algebra was bounded. */
    private static final Duration HANG = Duration.ofSeconds(60);

    private static CliRun run(String... args) {
        CliRun run = assertTimeoutPreemptively(HANG, () -> CliRun.of(args), () -> "no answer: " + String.join(" ", args));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err(), run::toString);
        return run;
    }

    @Test
    void deriveShowsEveryGradientInInputsAndParameters() {
        for (Spec spec : List.of(SOFTMAX, MLP)) {
            String out = run("derive", spec.file()).out();
            List<String> parameters = spec.parameters();
            for (String p : parameters) assertTrue(out.contains("\n  ∂L/∂" + p + " = "), () -> p + " missing:\n" + out);
            assertEquals(parameters.size(), out.split("\n    at init = ", -1).length - 1, out);
            assertFalse(out.contains("kept in unit names"), out);
        }
    }

    @Test
    void proveWritesOutTheGradientsOnTheSubspace() {
        String softmax = run("prove", SOFTMAX.file()).out();
        assertTrue(softmax.contains("every parameter that moves can take a value of its own"), softmax);
        for (String p : SOFTMAX.parameters().subList(1, SOFTMAX.parameters().size())) {
            assertTrue(softmax.contains("on the subspace, ∂L/∂w11 − ∂L/∂" + p + " = "), () -> p + ":\n" + softmax);
        }
        assertFalse(softmax.contains("expressions not shown"), softmax);

        String mlp = run("prove", MLP.file()).out();
        List<String> written = mlp.lines().filter(l -> l.startsWith("    on the subspace, ∂L/∂")).toList();
        for (String p : MLP.parameters()) {
            assertTrue(written.stream().anyMatch(l -> l.matches(".*∂L/∂" + p + " [=−].*")), () -> p + " missing:\n" + mlp);
        }
        assertFalse(mlp.contains("expressions not shown"), mlp);
    }

    @Test
    void latexKeepsTheGradientsSection() {
        for (Spec spec : List.of(SOFTMAX, MLP)) {
            String tex = run("latex", spec.file()).out();
            assertTrue(tex.contains("\\section*{The gradients}"), tex);
            assertEquals(spec.parameters().size(), tex.split("\\\\right\\|_\\{\\\\theta_\\{0\\}\\}", -1).length - 1, tex);
        }
    }
}
