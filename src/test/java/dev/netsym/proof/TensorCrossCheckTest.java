package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netsym.Netsym;
import dev.netsym.model.Network;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random tensor networks (see {@link RandomTensorSpecs}): every claim the proof makes about
 * them survives the independent checks of {@link ProofCrossCheckTest} (fresh points, steps of
 * gradient descent, every witness replayed). {@code -Dnetsym.tensorcheck.count/seed} runs more.
 */
class TensorCrossCheckTest {
    private static final int DEFAULT_COUNT = 30;

    @Test
    void everyClaimOnRandomTensorNetworksSurvivesAnIndependentCheck() {
        int count = Integer.getInteger("netsym.tensorcheck.count", DEFAULT_COUNT);
        long firstSeed = Long.getLong("netsym.tensorcheck.seed", 1L);
        ProofCrossCheckTest.Tally tally = new ProofCrossCheckTest.Tally();
        for (long seed = firstSeed; seed < firstSeed + count; seed++) {
            String spec = RandomTensorSpecs.generate(seed);
            var parsed = Netsym.parse(spec);
            if (parsed.network().isEmpty()) fail("the generator wrote a bad spec (seed " + seed + "):\n" + spec + parsed.diagnostics());
            Network network = parsed.network().get();
            tally.specs++;
            Proof proof = ProofEngine.prove(network, new ProofEngine.Options(Duration.ofSeconds(10), List.of()));
            ProofCrossCheckTest.checkProof(network, proof, spec, new Random(seed * 31 + 7), tally);
        }
        System.out.println(ProofCrossCheckTest.report(tally));
        if (!tally.failures.isEmpty()) fail(ProofCrossCheckTest.report(tally));
        assertTrue(tally.classesChecked >= count / 4, "too few classes checked: " + tally.classesChecked);
        assertTrue(tally.witnessesReplayed >= count / 2, "too few witnesses replayed: " + tally.witnessesReplayed);
    }
}
