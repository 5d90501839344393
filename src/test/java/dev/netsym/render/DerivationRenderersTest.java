package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.calculus.Cs231nNetworks;
import dev.netsym.calculus.Derivation;
import dev.netsym.calculus.DerivationOptions;
import dev.netsym.calculus.SymbolicEngine;
import dev.netsym.model.Expr;
import dev.netsym.model.Init;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.SourcePos;
import dev.netsym.model.Unit;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DerivationRenderersTest {

    static SymbolicEngine engine;
    static Derivation cs231n;

    @BeforeAll
    static void derive() {
        engine = new SymbolicEngine();
        cs231n = Derivation.of(Cs231nNetworks.identityActivation(new Init.Symbolic("a")),
                DerivationOptions.defaults(), engine);
    }

    @AfterAll
    static void stop() { engine.close(); }

    static String text(Derivation d) {
        StringWriter out = new StringWriter();
        new DerivationTextRenderer().render(d, out);
        return out.toString();
    }

    @Test
    void textReadsLikeTheHandDerivation() {
        String text = text(cs231n);
        assertTrue(text.contains("""
                  ∂y/∂w5 = ∂y/∂y3 · ∂y3/∂w5 + ∂y/∂y4 · ∂y4/∂w5
                         = w9·y1 + w10·0
                         = w9·y1
                         = w9·(w1·x1 + w3·x2)
                    at init = a²·(x1 + x2)
                """), text);
        assertTrue(text.contains("""
                  ∂y/∂w9 = y3
                         = w5·(w1·x1 + w3·x2) + w7·(w2·x1 + w4·x2)
                    at init = 2·a²·(x1 + x2)
                """), text);
        assertTrue(text.contains("""
                  ∂y/∂w1 = ∂y/∂y3 · ∂y3/∂y1 · ∂y1/∂w1 + ∂y/∂y4 · ∂y4/∂y1 · ∂y1/∂w1
                         = w9·w5·x1 + w10·w6·x1
                         = (w9·w5 + w10·w6)·x1
                    at init = 2·a²·x1
                """), text);
        assertTrue(text.contains("Gradients of y, at the initialisation (every parameter = a)"), text);
        assertFalse(text.contains("relu"));
        for (String line : text.split("\n")) assertTrue(line.length() <= TextLines.WIDTH, line);
    }

    @Test
    void reluConventionIsStatedOnceWhereItFirstMatters() {
        Expr z = new Expr.Product(List.of(new Expr.Ref("w1"), new Expr.Ref("x")));
        Unit h = new Unit("h", new Expr.Call("relu", List.of(z)), SourcePos.NONE, null);
        Unit y = new Unit("y", new Expr.Product(List.of(new Expr.Ref("w2"), new Expr.Ref("h"))), SourcePos.NONE, null);
        Network net = new Network("relu", List.of("x"), List.of(), List.of(h, y), new Expr.Ref("y"),
                List.of(new Parameter("w1", new Init.Random(), SourcePos.NONE),
                        new Parameter("w2", new Init.Random(), SourcePos.NONE)),
                Set.of(), List.of(), List.of(), List.of(), "sgd");
        String text = text(Derivation.of(net, DerivationOptions.defaults(), engine));
        int note = text.indexOf("relu′(0) = 0");
        assertTrue(note > 0, text);
        assertEquals(note, text.lastIndexOf("relu′(0) = 0"), text);
        assertTrue(note < text.indexOf("∂y/∂w1"), text);
        assertTrue(text.contains("w2·relu′(w1·x)·x"), text);
    }

    @Test
    void longLinesBreakBeforeSigns() {
        Derivation wide = Derivation.of(Cs231nNetworks.identityActivation(new Init.Random(),
                "first_input_feature", "second_input_feature"), DerivationOptions.defaults(), engine);
        String text = text(wide);
        for (String line : text.split("\n")) assertTrue(line.length() <= TextLines.WIDTH, line);
        assertTrue(text.contains("""
                    = w9·(w5·(w1·first_input_feature + w3·second_input_feature)
                        + w7·(w2·first_input_feature + w4·second_input_feature))
                      + w10·(w6·(w1·first_input_feature + w3·second_input_feature)
                """), text);
    }

    @Test
    void jsonHasUnitsAndGradients() {
        StringWriter out = new StringWriter();
        new DerivationJsonRenderer().render(cs231n, out);
        String json = out.toString();
        assertTrue(json.contains("\"y3\": \"w5*(w1*x1 + w3*x2) + w7*(w2*x1 + w4*x2)\""), json);
        assertTrue(json.contains("\"w5\": {\"chain\": \"dy/dy3*dy3/dw5 + dy/dy4*dy4/dw5\", \"local\": \"w9*y1\", "
                + "\"expr\": \"w9*(w1*x1 + w3*x2)\", \"at_init\": \"a^2*(x1 + x2)\", \"at_point\": null, "
                + "\"stopped\": null}"), json);
        assertTrue(json.startsWith("{") && json.strip().endsWith("}"));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001e\u00b7\"", DerivationJsonRenderer.string("a\"b\\c\nd\u0001e\u00b7"));
    }
}
