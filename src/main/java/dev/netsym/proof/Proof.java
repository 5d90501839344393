package dev.netsym.proof;

import dev.netsym.model.Network;
import java.util.List;

/**
 * What {@code netsym prove} established: the greatest invariant state (P, F) containing the
 * initialisation, every class with its certificate, and the evidence that it is not coarser.
 *
 * @param classes every parameter in exactly one class, in natural order of first member
 * @param separations why classes are not merged and why unpinned parameters move
 * @param undecided pairs that were kept apart because neither proof nor witness was found
 * @param unitClasses units that compute one and the same value on the subspace (size ≥ 2 only)
 * @param arithmetic how random points were evaluated ("modular", "exact", "decimal")
 * @param rounds how many refinement rounds the fixed point took
 * @param timedOut whether the time budget ran out before everything was decided
 */
public record Proof(Network network, List<ParameterClass> classes, List<Separation> separations,
                    List<List<String>> undecided, List<List<String>> unitClasses, String arithmetic,
                    int rounds, boolean timedOut, List<SpecialValue> specialValues) {
    public Proof {
        classes = List.copyOf(classes);
        separations = List.copyOf(separations);
        undecided = List.copyOf(undecided);
        unitClasses = List.copyOf(unitClasses);
        specialValues = List.copyOf(specialValues);
    }

    /** The number of values training really adjusts: one per class that is not frozen. */
    public long trainableValues() {
        return classes.stream().filter(c -> !c.frozen()).count();
    }

    public List<String> frozen() {
        return classes.stream().filter(ParameterClass::frozen).flatMap(c -> c.members().stream()).toList();
    }

    public Proof withSpecialValues(List<SpecialValue> values) {
        return new Proof(network, classes, separations, undecided, unitClasses, arithmetic, rounds, timedOut, values);
    }
}
