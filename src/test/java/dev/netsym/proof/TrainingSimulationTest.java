package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Network;
import dev.netsym.render.SimulationSummary;
import dev.netsym.spec.SpecParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check along the run must catch a false claim: here a proof with classes merged or pinned by hand. */
class TrainingSimulationTest {
    private static final String CS231N = """
            input x1, x2
            y1 = w1*x1 + w3*x2
            y2 = w2*x1 + w4*x2
            y3 = w5*y1 + w7*y2
            y4 = w6*y1 + w8*y2
            y  = w9*y3 + w10*y4
            objective y
            init all = a
            """;
    private static final TrainingSimulation.Settings SETTINGS = new TrainingSimulation.Settings(30, 0.02, 2, 8);

    private static Proof proof() {
        Network network = SpecParser.parse(CS231N).network().orElseThrow();
        return ProofEngine.prove(network, ProofEngine.Options.defaults());
    }

    @Test
    void theTrueProofHoldsExactlyAlongTheRun() {
        TrainingSimulation.Result result = TrainingSimulation.run(proof(), SETTINGS);
        assertTrue(result.violations().isEmpty(), result.violations().toString());
        assertEquals(4, result.classesChecked());
        assertEquals(30, result.fromSpec().stepsTaken());
        assertEquals(31, result.fromSpec().steps().length, "every step recorded for a short run");
        // The random start trains every parameter apart: no two end equal.
        double[] end = result.fromRandom().values()[30];
        assertEquals(end.length, Arrays.stream(end).distinct().count());
    }

    @Test
    void aMergedClassThatSeparatesIsReportedWithItsNames() {
        Proof proof = proof();
        List<ParameterClass> classes = new ArrayList<>(proof.classes());
        ParameterClass first = classes.remove(0);
        ParameterClass second = classes.remove(0);
        List<String> members = new ArrayList<>(first.members());
        members.addAll(second.members());
        classes.add(0, new ParameterClass(first.symbol(), members, false, first.initialValue(), first.certificate()));
        Proof wrong = new Proof(proof.network(), classes, List.of(), List.of(), List.of(), proof.arithmetic(),
                proof.rounds(), false, List.of());

        TrainingSimulation.Result result = TrainingSimulation.run(wrong, SETTINGS);
        assertEquals(1, result.violations().size(), result.violations().toString());
        TrainingSimulation.Violation v = result.violations().get(0);
        assertEquals(List.of(first.members().get(0), second.members().get(0)), v.parameters());
        assertEquals(1, v.step(), "they separate at the first step");
        String line = new SimulationSummary(result, "cs231n").checkLine();
        assertTrue(line.startsWith("violated: " + first.members().get(0) + " and " + second.members().get(0)), line);
        assertTrue(line.contains("a bug in netsym"), line);
    }

    @Test
    void aFrozenClaimOnAParameterThatMovesIsReported() {
        Proof proof = proof();
        List<ParameterClass> classes = new ArrayList<>(proof.classes());
        ParameterClass last = classes.remove(classes.size() - 1);
        classes.add(new ParameterClass(last.symbol(), last.members(), true, last.initialValue(), last.certificate()));
        Proof wrong = new Proof(proof.network(), classes, List.of(), List.of(), List.of(), proof.arithmetic(),
                proof.rounds(), false, List.of());

        TrainingSimulation.Result result = TrainingSimulation.run(wrong, SETTINGS);
        assertEquals(1, result.violations().size());
        assertTrue(result.violations().get(0).frozen());
        assertTrue(new SimulationSummary(result, "cs231n").checkLine().contains("(frozen) moved from"));
    }
}
