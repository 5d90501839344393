package dev.netsym.proof;

import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Unit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of the classes' common values: c1, c2, ..., or, when the spec already has a
 * name such as c1 (or c_1, which typesets the same), the first of q1, z1 whose letter it
 * leaves free, so "b1 = b2 = c1" never means two things. One letter for the whole proof.
 */
public final class ClassSymbols {
    private static final List<String> LETTERS = List.of("c", "q", "z");

    private final String letter;
    private final Set<String> taken;

    private ClassSymbols(String letter, Set<String> taken) {
        this.letter = letter;
        this.taken = taken;
    }

    public static ClassSymbols of(Network network) {
        Set<String> taken = new HashSet<>(network.inputs());
        taken.addAll(network.targets());
        network.units().stream().map(Unit::name).forEach(taken::add);
        network.parameters().stream().map(Parameter::name).forEach(taken::add);
        taken.addAll(network.initSymbols());
        taken.addAll(network.activations());
        for (String letter : LETTERS) {
            Pattern numbered = Pattern.compile(Pattern.quote(letter) + "_?[0-9]+");
            if (taken.stream().noneMatch(n -> numbered.matcher(n).matches())) return new ClassSymbols(letter, taken);
        }
        // Every letter in use: c1, with primes where a name is taken.
        return new ClassSymbols(LETTERS.get(0), taken);
    }

    /** The symbol of the k-th class (from 1). */
    public String symbol(int k) {
        String s = letter + k;
        while (taken.contains(s)) s = s + "′";
        return s;
    }
}
