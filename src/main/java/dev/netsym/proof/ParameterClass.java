package dev.netsym.proof;

import java.util.List;

/**
 * Parameters that gradient descent keeps equal at every step.
 *
 * @param symbol the name the proof gives the class's common value (c1, c2, ...), or the
 *               initial value for a frozen class
 * @param frozen whether the class never moves from its initial value
 */
public record ParameterClass(String symbol, List<String> members, boolean frozen, String initialValue,
                             Certificate certificate) {
    public ParameterClass {
        members = List.copyOf(members);
    }
}
