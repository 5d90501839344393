package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.calculus.StepRule;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Witness runs in rounded arithmetic never show a separation that is only rounding noise. In
 * this network a, b and c stay equal (the units use them in rotated and reflected orders), but
 * each one's gradient sums like terms in another order, and the objective's large cancelling
 * multiples (K·Σu − K·Σv with Σu = Σv while a = b = c) lift that rounding noise far above the
 * arithmetic's tolerance. Asked to separate them anyway, the finder must find nothing, whichever
 * arithmetic and replay it uses.
 */
class WitnessFinderNoiseTest {
    private static final String ROTATED = """
            input x, y, z
            u1 = tanh(a*x + b*y + c*z)
            u2 = tanh(b*x + c*y + a*z)
            u3 = tanh(c*x + a*y + b*z)
            v1 = tanh(a*x + c*y + b*z)
            v2 = tanh(c*x + b*y + a*z)
            v3 = tanh(b*x + a*y + c*z)
            objective (K + 1)*(u1 + u2 + u3) - K*(v1 + v2 + v3)
            init a, b, c = w
            """;

    @Test
    void rotatedWeightsAreNeverShownApart() {
        for (String k : new String[] {"10^12", "10^20", "10^28"}) {
            noSeparation(ROTATED.replace("K", k));
        }
    }

    private static void noSeparation(String spec) {
        Network network = Netsym.parse(spec).network().orElseThrow();
        Tape tape = Tape.compile(network);
        List<InvariantSearch.Event> events = new ArrayList<>();
        for (String[] pair : new String[][] {{"a", "b"}, {"a", "c"}, {"b", "c"}}) {
            events.add(new InvariantSearch.Event(tape.parameterIndex(pair[0]), tape.parameterIndex(pair[1]), 1));
        }
        for (boolean doubleDouble : new boolean[] {false, true}) {
            for (long seed = 1; seed <= 5; seed++) {
                WitnessFinder finder = new WitnessFinder(network, tape, doubleDouble, new boolean[tape.parameterCount()],
                        StepRule.plain(tape.parameterCount()));
                List<Optional<Witness>> found = finder.find(events, seed, System.nanoTime() + 60_000_000_000L);
                for (int i = 0; i < events.size(); i++) {
                    int e = i;
                    assertTrue(found.get(i).isEmpty(), () -> spec + (doubleDouble ? "double-double" : "decimal") + " run separates "
                            + tape.parameterNames().get(events.get(e).first()) + " and "
                            + tape.parameterNames().get(events.get(e).second()) + ": " + found.get(e).get());
                }
            }
        }
    }
}
