package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netsym.model.Builtin;
import dev.netsym.model.Expr;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.model.SpecResult;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofRunner;
import dev.netsym.robust.PythonRun;
import dev.netsym.spec.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The witness script: its text on a small spec, its expressions, and (where Python is installed) its run. */
class WitnessScriptRendererTest {
    /** Data lines, a symbol and its negative, a numeric start, a random one, a quotient and a power. */
    private static final String SPEC = """
            network small
            input x1, x2
            target t
            h1 = tanh(w1*x1 + w2*x2)
            h2 = max(w3*x1, w4*x2)
            y = v1*h1 + v2*h2 / (1 + b^2)
            objective (y - t)^2
            init w1, w2, w3, w4 = a
            init v1 = a
            init v2 = -a
            init b = 1/2
            data x1 = 1, x2 = 2, t = 0
            data x1 = -1, x2 = 1/2, t = 1
            """;

    private static Proof proof(String spec) {
        SpecResult r = SpecParser.parse(spec);
        assertTrue(!r.hasErrors(), () -> r.diagnostics().toString());
        Network network = r.network().orElseThrow();
        return ProofRunner.prove(network, Duration.ofSeconds(60));
    }

    private static String script(Proof proof, WitnessScriptRenderer.Language language) {
        StringWriter text = new StringWriter();
        new WitnessScriptRenderer(new PrintWriter(text), language, "small.net").render(proof);
        return text.toString();
    }

    @Test
    void theScriptHoldsTheNetworkTheStartAndEveryWitness() {
        Proof proof = proof(SPEC);
        assertTrue(!proof.separations().isEmpty(), "the spec has witnesses to write");
        String s = script(proof, WitnessScriptRenderer.Language.python);
        assertTrue(s.startsWith("#!/usr/bin/env python3\n\"\"\"Witnesses of `netsym prove small.net` (network small)"), s);
        assertTrue(s.contains("import numpy as np\n"), s);
        assertTrue(!s.contains("import torch"), s);
        assertTrue(s.contains("""
                    u["h1"] = ops.tanh(theta["w1"] * data["x1"] + theta["w2"] * data["x2"])
                    u["h2"] = ops.max(theta["w3"] * data["x1"], theta["w4"] * data["x2"])
                    u["y"] = theta["v1"] * u["h1"] + theta["v2"] * u["h2"] / (1 + theta["b"] ** 2)
                    return (u["y"] - data["t"]) ** 2
                """), s);
        assertTrue(s.contains("""
                    theta["b"] = 1/2
                    for name in ["v1", "w1", "w2", "w3", "w4"]:
                        theta[name] = start["a"]
                    theta["v2"] = -start["a"]
                """), s);
        assertTrue(s.contains("""
                SPEC_DATA = [
                    {"x1": "1", "x2": "2", "t": "0"},
                    {"x1": "-1", "x2": "1/2", "t": "1"},
                ]
                """), s);
        // Every separation and move of the proof, with its step and netsym's two values.
        for (var sep : proof.separations()) {
            String kind = sep.isMove() ? "moves" : sep.opposite() ? "opposite" : "separates";
            String second = sep.isMove() ? "None" : "\"" + sep.second() + "\"";
            String line = "(\"" + kind + "\", \"" + sep.first() + "\", " + second + ", " + sep.witness().step() + ", \""
                    + sep.witness().firstValue() + "\", \"" + sep.witness().secondValue() + "\")";
            assertTrue(s.contains(line), line + " in\n" + s);
        }
        assertTrue(s.endsWith("\nif __name__ == \"__main__\":\n    main()\n"), s);
        String torch = script(proof, WitnessScriptRenderer.Language.torch);
        assertTrue(torch.contains("import torch\n") && torch.contains("torch.autograd.grad("), torch);
        assertTrue(!torch.contains("import numpy"), torch);
    }

    @Test
    void everyBuiltinHasAHelperInBothLanguages() throws IOException {
        for (String resource : List.of("witness_numpy.py", "witness_torch.py")) {
            String text;
            try (InputStream in = WitnessScriptRenderer.class.getResourceAsStream(resource)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (Builtin b : Builtin.values()) {
                assertTrue(text.contains("    def " + b.specName() + "("), resource + " has no helper for " + b.specName());
            }
        }
    }

    @Test
    void expressionsKeepTheirMeaningInPython() {
        var printer = new WitnessScriptRenderer.PythonExpr(name -> name);
        Expr x = new Expr.Ref("x");
        Expr y = new Expr.Ref("y");
        Expr third = new Expr.Num(Rational.of(-1, 3));
        // x / (-1/3): the negative fraction is one quotient and needs its parentheses.
        assertEquals("x / (-1/3)", printer.print(new Expr.Quotient(x, third)));
        assertEquals("(-1/3) ** 2", printer.print(new Expr.Power(third, Expr.Num.of(2))));
        assertEquals("-x ** 2", printer.print(new Expr.Neg(new Expr.Power(x, Expr.Num.of(2)))));
        assertEquals("(-x) ** 2", printer.print(new Expr.Power(new Expr.Neg(x), Expr.Num.of(2))));
        assertEquals("x ** -2", printer.print(new Expr.Power(x, new Expr.Neg(Expr.Num.of(2)))));
        assertEquals("x ** (1/2)", printer.print(new Expr.Power(x, new Expr.Num(Rational.of(1, 2)))));
        assertEquals("x - (x - y)", printer.print(new Expr.Sum(List.of(x, new Expr.Neg(new Expr.Sum(List.of(x, new Expr.Neg(y))))))));
        assertEquals("13/25 * x - 11/25 - 2", printer.print(new Expr.Sum(List.of(
                new Expr.Product(List.of(new Expr.Num(Rational.of(13, 25)), x)), new Expr.Num(Rational.of(-11, 25)),
                Expr.Num.of(-2)))));
        assertEquals("x * (x + y)", printer.print(new Expr.Product(List.of(x, new Expr.Sum(List.of(x, y))))));
        assertEquals("x / (x * y)", printer.print(new Expr.Quotient(x, new Expr.Product(List.of(x, y)))));
        assertEquals("x * y / x", printer.print(new Expr.Quotient(new Expr.Product(List.of(x, y)), x)));
        assertEquals("-(x * y)", printer.print(new Expr.Neg(new Expr.Product(List.of(x, y)))));
        assertEquals("ops.leaky_relu(x, 1/100) + act[\"f\"](y)", printer.print(new Expr.Sum(List.of(
                new Expr.Call("leaky_relu", List.of(x, new Expr.Num(Rational.of(1, 100)))),
                new Expr.Call("f", List.of(y))))));
        assertEquals("\"W[1,2]\\\\\\\"\"", WitnessScriptRenderer.PythonExpr.string("W[1,2]\\\""));
    }

    /** Where Python with NumPy is installed, the script runs and shows every witness. */
    @Test
    void whereNumpyIsInstalledTheScriptShowsEveryWitness(@TempDir Path dir) throws Exception {
        String python = PythonRun.interpreterWith("numpy").orElse(null);
        assumeTrue(python != null, "no python3 with numpy");
        Proof proof = proof(SPEC);
        Path file = dir.resolve("witness.py");
        Files.writeString(file, script(proof, WitnessScriptRenderer.Language.python));
        PythonRun run = PythonRun.script(python, file, 120);
        String out = run.output();
        assertEquals(0, run.exitCode(), out);
        int n = proof.separations().size();
        assertTrue(out.endsWith("witnesses: " + n + " shown, 0 too small for float64, 0 disagree, 0 not replayed\n"), out);
        for (var sep : proof.separations()) {
            String claim = sep.isMove() ? "moves: " + sep.first() : "separates: " + sep.first() + " "
                    + (sep.opposite() ? "-" : "") + sep.second();
            assertTrue(out.contains(claim + " at step " + sep.witness().step() + ": "), claim + " in\n" + out);
        }
    }
}
