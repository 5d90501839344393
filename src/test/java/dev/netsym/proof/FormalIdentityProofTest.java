package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Network;
import dev.netsym.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The identity test with unknowns for e^x, log, √ and erfc, through the proof engine without
 * computer algebra (as on networks too big for it): it proves what holds for every value of the
 * unknowns, leaves alone what needs a relation between them, and its claims survive the
 * independent cross-check.
 */
class FormalIdentityProofTest {

    private static Network network(String spec) {
        return SpecParser.parse(spec.getBytes(StandardCharsets.UTF_8)).network().orElseThrow();
    }

    private static Proof prove(Network network) {
        return ProofEngine.prove(network, new ProofEngine.Options(Duration.ofSeconds(60), List.of()));
    }

    /** A softmax gate over two identical experts: its weights sum to 1, so a zero gate never learns. */
    @Test
    void aGateOverIdenticalExpertsNeverMoves() {
        Network network = network("""
                network gated
                input x1, x2
                target t
                g1 = exp(r1*x1 + r2*x2)
                g2 = exp(r3*x1 + r4*x2)
                y = (g1*tanh(e1*x1 + e2*x2) + g2*tanh(e3*x1 + e4*x2)) / (g1 + g2)
                objective (y - t)^2
                init r1, r2, r3, r4 = 0
                init e1, e3 = a
                init e2, e4 = b
                """);
        Proof proof = prove(network);
        assertEquals(List.of("r1", "r2", "r3", "r4"), proof.frozen().stream().sorted().toList());
        assertTrue(proof.undecided().isEmpty(), proof.undecided().toString());
        ParameterClass gate = proof.classes().stream().filter(c -> c.members().contains("r1")).findFirst().orElseThrow();
        assertEquals(Certificate.Kind.RANDOMIZED, gate.certificate().kind());
        assertTrue(gate.certificate().detail().contains("unknown of its own"), gate.certificate().detail());
        crossCheck(network, proof);
    }

    /**
     * One point misleads with chance q; k independent points with q^k (times the samples, a
     * union bound): as few points as bring that below 10^-12, at least 2, at most 12.
     */
    @Test
    void theNumberOfPointsIsTheFewestThatBringTheChanceBelowTheLimit() {
        assertEquals(2, new FormalIdentityTest.Bound(1e-7, 1).points());
        assertEquals(3, new FormalIdentityTest.Bound(4.7e-6, 1).points(), "(4.7e-6)^2 = 2.2e-11 is too much");
        assertTrue(new FormalIdentityTest.Bound(4.7e-6, 1).chance(3) < FormalIdentityTest.LARGEST_ERROR);
        assertEquals(5, new FormalIdentityTest.Bound(1e-3, 4).points(), "4·10^-12 is not below 10^-12, 4·10^-15 is");
        assertEquals(0, new FormalIdentityTest.Bound(0.2, 1).points(), "0.2^12 = 4e-9: more than 12 points would be needed");
        assertEquals(0, new FormalIdentityTest.Bound(Double.POSITIVE_INFINITY, 1).points());
        assertEquals(2, new FormalIdentityTest.Bound(0, 3).points(), "never fewer than 2");
    }

    /** A bias removed by centring never moves, relu and max after it notwithstanding (a batch norm's lesson). */
    @Test
    void aBiasCentredAwayNeverMovesThroughReluAndMax() {
        Network network = network("""
                network centred
                input x1, x2
                target t
                h1 = x1 + b
                h2 = x2 + b
                c1 = h1 - (h1 + h2)/2
                c2 = h2 - (h1 + h2)/2
                y = v*relu(c1) + u*max(c1, c2) + abs(c2)
                objective (y - t)^2
                init b = 1
                init v, u = a
                """);
        Proof proof = prove(network);
        assertTrue(proof.frozen().contains("b"), proof.frozen().toString());
        assertTrue(proof.undecided().isEmpty(), proof.undecided().toString());
        ParameterClass bias = proof.classes().stream().filter(c -> c.members().contains("b")).findFirst().orElseThrow();
        assertEquals(Certificate.Kind.RANDOMIZED, bias.certificate().kind());
        assertTrue(bias.certificate().detail().contains("step of a piece"), bias.certificate().detail());
        crossCheck(network, proof);
    }

    /** exp(log(w·x)) = w·x needs a relation of the reals: not proved by the test, and not refuted either. */
    @Test
    void aClaimThatNeedsARelationOfTheRealsIsLeftAlone() {
        Network network = network("""
                network relation
                input x
                assume x > 0
                y = exp(log(w*x)) - w*x + v*x
                objective y
                init w = 1
                init v = 2
                """);
        Proof proof = prove(network);
        assertFalse(proof.frozen().contains("w"), "no certificate for ∂/∂w = 0");
        assertTrue(proof.undecided().stream().anyMatch(group -> group.contains("w")), proof.undecided().toString());
        crossCheck(network, proof);
    }

    private static void crossCheck(Network network, Proof proof) {
        ProofCrossCheckTest.Tally tally = new ProofCrossCheckTest.Tally();
        ProofCrossCheckTest.checkProof(network, proof, network.name(), new Random(3), tally);
        if (!tally.failures.isEmpty()) fail(ProofCrossCheckTest.report(tally));
    }
}
