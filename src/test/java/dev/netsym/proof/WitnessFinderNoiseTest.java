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

    /**
     * s1 and s2 are one value computed in two orders, so s1 − s2 is 0 and relu′(s1 − s2 + p) is
     * relu′(0) = 0: p and q never move. A rounded run sees s1 − s2 as noise whose sign picks the
     * branch, the same sign at 40 and at 100 digits, and then moved p by a whole step: a witness
     * for "p and q separate" while p is proved frozen. A run whose branches turn on noise shows
     * nothing.
     */
    @Test
    void aBranchTakenOnRoundingNoiseWitnessesNothing() {
        Network network = Netsym.parse("""
                input x, y, z
                s1 = a*x + b*y + c*z
                s2 = c*z + b*y + a*x
                objective tanh(s1) + relu(s1 - s2 + p) + relu(s2 - s1 + q)
                init a, b, c = w
                init p, q = 0
                """).network().orElseThrow();
        for (ProofEngine.Options options : List.of(ProofEngine.Options.defaults(),
                new ProofEngine.Options(java.time.Duration.ofSeconds(60), List.of(), 0))) {
            Proof proof = ProofEngine.prove(network, options);
            for (Separation s : proof.separations()) {
                assertTrue(!s.first().equals("p") && !s.first().equals("q") && !"p".equals(s.second()) && !"q".equals(s.second()),
                        () -> proof.arithmetic() + ": " + s);
            }
        }
    }

    /**
     * Squares of squares grow past 10^308 within three steps: the decimal runs hold such values,
     * and comparing a run with its replay must too (in doubles the differences were infinite and
     * 22 pairs of this network were left undecided).
     */
    @Test
    void runsWhoseValuesOutgrowDoublesStillWitness() {
        Network network = Netsym.parse("""
                input x1, x2, x3
                h1_1 = (w1*x1 + w2*x2 + w3*x3 + b1_1)
                h1_2 = (w4*x1 + w5*x2 + w6*x3 + b1_2)
                h1_3 = (w7*x1 + w8*x2 + w9*x3 + b1_3)
                h2_1 = relu(w10*h1_1 + w11*h1_2 + w12*h1_3 + b2_1)
                h2_2 = relu(w13*h1_1 + w14*h1_2 + w4*h1_3 + b2_2)
                h3_1 = (w15*h2_1 + w16*h2_2)^2
                h3_2 = (w17*h2_1 + w18*h2_2)^2
                h3_3 = (w19*h2_1 + w20*h2_2)^2
                y = v_h3_1*h3_1 + v_h3_2*h3_2 + v_h3_3*h3_3
                objective y
                init all = a
                """).network().orElseThrow();
        Proof proof = ProofEngine.prove(network, ProofEngine.Options.defaults());
        assertTrue(proof.undecided().isEmpty(), () -> proof.undecided().toString());
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
