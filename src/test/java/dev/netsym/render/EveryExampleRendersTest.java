package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.robust.CliRun;
import dev.netsym.robust.Examples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example, as a user would run it: `netsym latex` compiled by real pdflatex (no error,
 * no overfull box wider than 20pt) and `netsym dot` rendered by real Graphviz.
 */
class EveryExampleRendersTest {
    static List<String> examples() {
        return Examples.specs();
    }

    private static String run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), () -> String.join(" ", args) + ": " + r.err());
        assertEquals("", r.err(), "a good run prints nothing on stderr");
        return r.out();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void latexCompilesWithPdflatex(String example, @TempDir Path dir) throws Exception {
        String tex = run("latex", "examples/" + example);
        assertTrue(tex.startsWith("\\documentclass"), tex);
        LatexDocumentRendererTest.compile(dir, "example-" + example.replace(".net", ""), tex);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void dotRendersWithGraphviz(String example, @TempDir Path dir) throws Exception {
        ExternalTools.require("dot", "graphviz");
        Path dot = dir.resolve("net.dot");
        Files.writeString(dot, run("dot", "examples/" + example));
        var svg = ExternalTools.run(dir, List.of("dot", "-Tsvg", "-o", "net.svg", "net.dot"), 120);
        assertEquals(0, svg.exitCode(), svg.output());
        assertTrue(Files.readString(dir.resolve("net.svg")).contains("<svg"));
    }
}
