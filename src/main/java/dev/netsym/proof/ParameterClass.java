package dev.netsym.proof;

import java.util.List;

/**
 * Parameters that gradient descent keeps equal at every step, or equal up to sign.
 *
 * @param symbol the name the proof gives the class's common value (c1, c2, ...), or the
 *               initial value for a frozen class
 * @param frozen whether the class never moves from its initial value
 * @param negated the members that hold the negative of the class's value (θ = −c), in
 *                member order; empty for a class of equal parameters
 */
public record ParameterClass(String symbol, List<String> members, boolean frozen, String initialValue,
                             Certificate certificate, List<String> negated) {
    public ParameterClass {
        members = List.copyOf(members);
        negated = List.copyOf(negated);
    }

    public ParameterClass(String symbol, List<String> members, boolean frozen, String initialValue,
                          Certificate certificate) {
        this(symbol, members, frozen, initialValue, certificate, List.of());
    }

    /** The members as a person writes the relation: w1, −w2 for w1 = −w2. */
    public List<String> signedMembers() {
        if (negated.isEmpty()) return members;
        return members.stream().map(m -> negated.contains(m) ? "−" + m : m).toList();
    }

    public ParameterClass withCertificate(Certificate c) {
        return new ParameterClass(symbol, members, frozen, initialValue, c, negated);
    }
}
