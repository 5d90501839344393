package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class NetworkSummaryRendererTest {

    static String summary(String spec) {
        StringWriter s = new StringWriter();
        new NetworkSummaryRenderer(new PrintWriter(s)).render(ProofFixtures.parse(spec));
        return s.toString();
    }

    @Test
    void aNetworkWithoutANameIsNotCalledNetworkNetwork() {
        String out = summary("input x\ny = w*x\nobjective y\ninit all = a\n");
        assertTrue(out.startsWith("network (unnamed): ok\n"), out);
        assertTrue(summary("network small\ninput x\ny = w*x\nobjective y\ninit all = a\n").startsWith("network small: ok\n"));
    }

    @Test
    void initialValuesAreShownAsWritten() {
        String out = summary("""
                input x
                y = w1*w2*w3*x
                objective y
                init w1 = 0.0000016073772
                init w2 = 1/2
                init w3 = 1e-3
                """);
        assertTrue(out.contains("    0.0000016073772       1: w1\n"), out);
        assertTrue(out.contains("    1/2                   1: w2\n"), out);
        assertTrue(out.contains("    0.001                 1: w3\n"), out);
    }
}
