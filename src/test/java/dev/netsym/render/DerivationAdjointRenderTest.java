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
        for (String line : text.split("\n")) assertTrue(line.length() <= DerivationTextRenderer.WIDTH, line);
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
                + "\"shown\": \"W_h1[1,12]\"}"), json);
    }
}
