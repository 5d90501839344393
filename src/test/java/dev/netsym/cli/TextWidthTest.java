package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.render.TextLines;
import dev.netsym.robust.CliRun;
import dev.netsym.robust.Examples;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command's text on every example, as a user reads it in a terminal: no line wider than the text width. */
class TextWidthTest {
    static List<String> examples() {
        return Examples.specs();
    }

    /** Standard output only: a diagnostic on stderr stays one line, whatever its length, for tools that read it. */
    private static void fits(String... args) {
        CliRun r = CliRun.of(args);
        r.out().lines().forEach(line -> assertTrue(line.length() <= TextLines.WIDTH,
                String.join(" ", args) + ": a line of " + line.length() + " characters:\n" + line));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void proveDeriveCheckAndLawsFit(String example) {
        String file = "examples/" + example;
        fits("prove", file);
        fits("derive", file);
        fits("check", file);
        fits("laws", file);
    }

    static List<String> onnxExamples() {
        return Examples.onnxModels();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onnxExamples")
    void onnxProveAndDeriveFit(String example) {
        fits("prove", "examples/onnx/" + example);
        fits("derive", "examples/onnx/" + example);
    }

    @Test
    void simulateFits(@TempDir Path dir) {
        fits("simulate", "--steps", "5", "-o", dir.resolve("a.svg").toString(), "examples/identical-experts.net");
        fits("simulate", "--steps", "5", "-o", dir.resolve("b.svg").toString(), "examples/lenet-constant.net");
    }

    @Test
    void breaksAtTheShallowestOperator() {
        // A product of two bracketed factors breaks between them, not inside tanh's arguments.
        String body = "(tanh(c1·x[1] + c2·x[2] + c3·x[3]) − t[1])·(1 − tanh(c1·x[1] + c2·x[2] + c3·x[3])²)·x[1]";
        List<String> lines = TextLines.expression("    on the subspace, ∂L/∂E1[1,1] = ", body, "        ");
        assertTrue(lines.size() == 2 && lines.get(1).startsWith("        ·(1 − tanh("), String.join("\n", lines));
        // A chain of equalities breaks before an =.
        String chain = String.join(" = ", java.util.Collections.nCopies(14, "∂L/∂A[1,1]")) + " = 0";
        lines = TextLines.expression("    ", chain, "        ");
        assertTrue(lines.size() > 1, String.join("\n", lines));
        for (String line : lines.subList(1, lines.size())) assertTrue(line.startsWith("        = "), line);
        // A sum of long terms breaks between terms, never inside one to save a line, and evenly.
        String sum = "y[1] = c1·c21·tanh(c9·x[1] + c10·x[2] + c11·x[3]) + c2·c22·tanh(c12·x[1] + c13·x[2] + c14·x[3])"
                + " + c3·c23·tanh(c15·x[1] + c16·x[2] + c17·x[3]) + c4·c24·tanh(c18·x[1] + c19·x[2] + c20·x[3])";
        List<String> terms = TextLines.expression("      ", sum, "          ");
        assertTrue(terms.size() == 4 && terms.get(0).endsWith("c11·x[3])"), String.join("\n", terms));
        for (String line : terms.subList(1, terms.size())) assertTrue(line.startsWith("          + c"), line);
        // The pieces are the whole: nothing lost or doubled.
        String joined = String.join(" ", lines.stream().map(String::strip).toList());
        assertTrue(joined.equals(chain), joined);
    }
}
