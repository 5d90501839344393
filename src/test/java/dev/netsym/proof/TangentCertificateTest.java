package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.calculus.ExactArithmetic;
import dev.netsym.calculus.ModularArithmetic;
import dev.netsym.calculus.Tape;
import dev.netsym.model.Network;
import dev.netsym.model.Rational;
import dev.netsym.spec.SpecParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The proof by tangent: true laws are proved with the tangent a person would write, and
 * near misses (a wrong sign, a missing term, a law of one region only) are not.
 */
class TangentCertificateTest {
    private static final String RELU = """
            input x[2]
            target t[2]
            layer h[2] = relu(dense(x, bias))
            layer out[2] = dense(h)
            objective sum((out - t)^2)
            """;

    private static final String LINEAR = """
            input x[2]
            target t
            layer h[2] = dense(x)
            layer out[1] = dense(h)
            objective sum((out - t)^2)
            """;

    /** A certificate over random samples at a random real point: what the search builds. */
    private static TangentCertificate certificate(Network network, long seed) throws Exception {
        Tape tape = Tape.compile(network);
        RegionEvaluator evaluator = new RegionEvaluator(tape);
        Random random = new Random(seed);
        Rational[] theta = new Rational[tape.parameterCount()];
        for (int i = 0; i < theta.length; i++) theta[i] = Rational.of(random.nextInt(19) - 9 | 1);
        List<Rational[]> points = new ArrayList<>();
        List<RegionEvaluator.Pieces> pieces = new ArrayList<>();
        while (points.size() < 40) {
            Rational[] data = new Rational[tape.dataNames().size()];
            for (int k = 0; k < data.length; k++) data[k] = Rational.of(random.nextInt(19) - 9);
            Optional<RegionEvaluator.Pieces> p = evaluator.pieces(theta, data);
            if (p.isEmpty()) continue;
            points.add(data);
            pieces.add(p.get());
        }
        return new TangentCertificate(network, tape, evaluator, new ModularArithmetic(seed), points, pieces, random);
    }

    private static ConservationLaws.Law law(Object... coefficientFirstSecond) {
        List<ConservationLaws.Term> terms = new ArrayList<>();
        for (int k = 0; k < coefficientFirstSecond.length; k += 3) {
            String second = (String) coefficientFirstSecond[k + 2];
            String first = (String) coefficientFirstSecond[k + 1];
            terms.add(ConservationLaws.Term.of(Rational.of((Integer) coefficientFirstSecond[k]),
                    second == null ? new String[] {first} : new String[] {first, second}));
        }
        return new ConservationLaws.Law(terms, null);
    }

    private static ConservationLaws.Law balancedness(int sign) {
        return law(1, "W_h[1,1]", "W_h[1,1]", 1, "W_h[1,2]", "W_h[1,2]", 1, "b_h[1]", "b_h[1]",
                -sign, "W_out[1,1]", "W_out[1,1]", -sign, "W_out[2,1]", "W_out[2,1]");
    }

    @Test
    void aHiddenReluUnitsBalancednessIsProvedByItsRescaling() throws Exception {
        Network net = SpecParser.parse(RELU).network().orElseThrow();
        ConservationLaws.Law proved = certificate(net, 3).certify(balancedness(1)).orElseThrow();
        assertEquals(TangentCertificate.PROOF, proved.proof());
        assertEquals("dh[1] = 2*h[1], every other unit 0", proved.tangent());
    }

    @Test
    void nearMissesAreNotProved() throws Exception {
        Network net = SpecParser.parse(RELU).network().orElseThrow();
        TangentCertificate certificate = certificate(net, 3);
        assertTrue(certificate.certify(balancedness(-1)).isEmpty(), "wrong sign");
        assertTrue(certificate.certify(law(1, "W_h[1,1]", "W_h[1,1]", 1, "W_h[1,2]", "W_h[1,2]",
                -1, "W_out[1,1]", "W_out[1,1]", -1, "W_out[2,1]", "W_out[2,1]")).isEmpty(), "bias term missing");
        assertTrue(certificate.certify(law(1, "W_h[1,1]", null)).isEmpty(), "a weight that moves");
    }

    @Test
    void aLinearLayersRotationIsProvedByAMixingTangent() throws Exception {
        Network net = SpecParser.parse(LINEAR).network().orElseThrow();
        // (W_h W_hᵀ − W_outᵀ W_out)[1,2]: the off-diagonal entry, moved by mixing h[1] and h[2].
        ConservationLaws.Law offDiagonal = law(1, "W_h[1,1]", "W_h[2,1]", 1, "W_h[1,2]", "W_h[2,2]",
                -1, "W_out[1,1]", "W_out[1,2]");
        ConservationLaws.Law proved = certificate(net, 5).certify(offDiagonal).orElseThrow();
        assertEquals("dh[1] = h[2], dh[2] = h[1], every other unit 0", proved.tangent());
        assertTrue(certificate(net, 5).certify(law(1, "W_h[1,1]", "W_h[2,1]", 1, "W_h[1,2]", "W_h[2,2]",
                1, "W_out[1,1]", "W_out[1,2]")).isEmpty(), "wrong sign on the output side");
    }

    @Test
    void aLawOfOneRegionOnlyIsNotProved() throws Exception {
        // With the samples all in the region where h[1] is off, W_h[1,1] never moves there; but
        // the proof treats each piece as a free symbol, so it refuses a law that needs h[1] off.
        String spec = """
                input x
                target t
                h1 = relu(a*x)
                y = v*h1
                objective (y - t)^2
                """;
        Network net = SpecParser.parse(spec).network().orElseThrow();
        Tape tape = Tape.compile(net);
        RegionEvaluator evaluator = new RegionEvaluator(tape);
        Rational[] theta = {Rational.of(1), Rational.of(2)};
        List<Rational[]> points = new ArrayList<>();
        List<RegionEvaluator.Pieces> pieces = new ArrayList<>();
        for (int x = -5; x <= -1; x++) {
            Rational[] data = tape.dataValues(new ExactArithmetic(), new dev.netsym.model.Sample(
                    java.util.Map.of("x", Rational.of(x), "t", Rational.of(x * x)), null));
            points.add(data);
            pieces.add(evaluator.pieces(theta, data).orElseThrow());
        }
        TangentCertificate certificate = new TangentCertificate(net, tape, evaluator, new ModularArithmetic(9), points,
                pieces, new Random(9));
        assertTrue(certificate.certify(law(1, "a", null)).isEmpty());
        assertTrue(certificate.certify(law(1, "a", "a", -1, "v", "v")).isPresent());
    }
}
