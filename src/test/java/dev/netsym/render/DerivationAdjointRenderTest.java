package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.Netsym;
import dev.netsym.calculus.Derivation;
import dev.netsym.calculus.DerivationOptions;
import dev.netsym.model.Network;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Big networks: one line per dense layer, backpropagation, and --param in full. */
class DerivationAdjointRenderTest {

    static Network net12() {
        return Netsym.parse("""
                input x[12]
                layer h1[12] = tanh(dense(x))
                layer h2[12] = tanh(dense(h1))
                layer h3[12] = tanh(dense(h2))
                layer out[1] = dense(h3)
                objective sum(out)
                init all = a
                """).network().orElseThrow();
    }

    static String text(Derivation d) {
        StringWriter out = new StringWriter();
        new DerivationTextRenderer().render(d, out);
        return out.toString();
    }

    @Test
    void textShowsEachLayerOnceForEveryJAndI() {
        String text = text(Derivation.of(net12(), DerivationOptions.defaults(), null));
        assertTrue(text.contains("""
                  ∂L/∂W_h2[j,i] = ∂L/∂h2[j] · ∂h2[j]/∂W_h2[j,i]
                                = ∂L/∂h2[j]·(1 − h2[j]²)·h1[i]
                    (for every j = 1…12, i = 1…12: 144 parameters of this form)
                """), text);
        assertTrue(text.contains("""
                            = ∂L/∂h3[1]·W_h3[1,j]·(1 − h3[1]²) + ∂L/∂h3[2]·W_h3[2,j]·(1 − h3[2]²) + …
                              + ∂L/∂h3[12]·W_h3[12,j]·(1 − h3[12]²)
                """), text);
        assertTrue(text.contains("  h1[j] = tanh(W_h1[j,1]·x[1] + W_h1[j,2]·x[2] + … + W_h1[j,12]·x[12])"), text);
        assertTrue(text.contains("--param NAME shows any parameter in full"), text);
        assertFalse(text.contains("W_h2[3,1]"), text);
        for (String line : text.split("\n")) assertTrue(line.length() <= TextLines.WIDTH, line);
    }

    @Test
    void chosenParametersAreShownInFull() {
        Derivation d = Derivation.of(net12(), DerivationOptions.defaults().withOnly(Set.of("W_h2[3,1]")), null);
        String text = text(d);
        assertTrue(text.contains("""
                  ∂L/∂W_h2[3,1] = ∂L/∂h2[3] · ∂h2[3]/∂W_h2[3,1]
                                = ∂L/∂h2[3]·(1 − h2[3]²)·h1[1]
                """), text);
        assertFalse(text.contains("W_h2[j,i]"), text);
    }

    @Test
    void jsonKeepsItsKeysAndSaysWhatIsSummarised() {
        StringWriter out = new StringWriter();
        new DerivationJsonRenderer().render(Derivation.of(net12(), DerivationOptions.defaults(), null), out);
        String json = out.toString();
        assertTrue(json.contains("\"form\": \"adjoint\""), json);
        assertTrue(json.contains("\"W_h2[1,12]\": {\"chain\": \"dL/dh2[1]*dh2[1]/dW_h2[1,12]\", "
                + "\"local\": \"dL/dh2[1]*(1 - h2[1]^2)*h1[12]\", \"expr\": null, \"at_init\": null, "
                + "\"at_point\": null, \"stopped\": \""), json);
        assertTrue(json.contains("\"W_h1[j,i]\": {\"count\": 144, \"range\": \"j = 1…12, i = 1…12\", "
                + "\"shown\": \"W_h1[1,3]\"}"), json);
    }

    static Network reluWithTargets() {
        return Netsym.parse("""
                input x[20]
                target t[4]
                layer h[20] = relu(dense(x))
                layer out[4] = dense(h)
                objective sum((out - t)^2)
                init all = a
                """).network().orElseThrow();
    }

    @Test
    void uniformLayersAreNotCalledNonUniform() {
        String text = text(Derivation.of(reluWithTargets(), DerivationOptions.defaults(), null));
        assertFalse(text.contains("not every member"), text);
        assertTrue(text.contains("  out[j] = W_out[j,1]·h[1] + W_out[j,2]·h[2] + … + W_out[j,20]·h[20]\n"
                + "    (for every j = 1…4: 4 units of this form)"), text);
        assertTrue(text.contains("  ∂L/∂out[j] = 2·(out[j] − t[j])\n"), text);
        assertTrue(text.contains("= ∂L/∂h[j]·relu′(W_h[j,1]·x[1] + W_h[j,2]·x[2] + … + W_h[j,20]·x[20])·x[i]\n"
                + "    (for every j = 1…20, i = 1…20: 400 parameters of this form)"), text);
    }

    @Test
    void jsonHoldsEveryGradient() {
        StringWriter out = new StringWriter();
        new DerivationJsonRenderer().render(Derivation.of(reluWithTargets(), DerivationOptions.defaults(), null), out);
        String json = out.toString();
        String section = json.substring(json.indexOf("\"gradients\": {"), json.indexOf("\"summarised\""));
        int gradients = 0;
        for (String line : section.split("\n")) if (line.contains("{\"chain\": \"dL/d")) gradients++;
        assertEquals(480, gradients, json);
        assertTrue(json.contains("\"W_h[20,20]\": {\"chain\""), json);
        assertTrue(json.contains("\"W_out[4,20]\": {\"chain\""), json);
        assertFalse(json.contains("gradients_left_out"), json);
    }

    @Test
    void jsonSaysWhyAVeryBigNetworkHasRepresentativesOnly() {
        Network big = Netsym.parse("""
                input x[101]
                layer h[100] = tanh(dense(x))
                layer out[1] = dense(h)
                objective sum(out)
                init all = a
                """).network().orElseThrow();
        StringWriter out = new StringWriter();
        new DerivationJsonRenderer().render(Derivation.of(big, DerivationOptions.defaults(), null), out);
        String json = out.toString();
        assertTrue(json.contains("\"gradients_left_out\": {\"count\": 10198, \"why\": \"10200 gradients are more than"
                + " 10000; \\\"gradients\\\" has one per layer (see \\\"summarised\\\"), and --param NAME gives any of them\"}"), json);
    }
}
