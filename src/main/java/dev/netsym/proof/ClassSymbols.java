package dev.netsym.proof;

import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Unit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The names of the classes' common values: c1, c2, ..., or, when the spec already has a
 * name such as c1 (or c_1, which typesets the same), the first of q1, z1 whose letter it
 * leaves free, so "b1 = b2 = c1" never means two things. One letter for the whole proof.
 * Names of repeated parts of shown expressions (u1, u2, ...) are chosen the same way.
 */
public final class ClassSymbols {
    private static final List<String> LETTERS = List.of("c", "q", "z");
    private static final List<String> PART_LETTERS = List.of("u", "r", "k", "g");

    private final String letter;
    private final Set<String> taken;

    private ClassSymbols(String letter, Set<String> taken) {
        this.letter = letter;
        this.taken = taken;
    }

    public static ClassSymbols of(Network network) {
        Set<String> taken = specNames(network);
        for (String letter : LETTERS) {
            Pattern numbered = Pattern.compile(Pattern.quote(letter) + "_?[0-9]+");
            if (noneMatches(taken, letter, numbered)) return new ClassSymbols(letter, taken);
        }
        // Every letter in use: c1, with primes where a name is taken.
        return new ClassSymbols(LETTERS.get(0), taken);
    }

    /**
     * Names for repeated parts of shown expressions: u1, u2, ... unless the spec (or
     * {@code alsoTaken}: class symbols, the objective's name) uses the letter, numbered or
     * alone or indexed (beside a unit s, a part s1 would read as related to it; u[1] typesets
     * as u1 does); then r, k or g.
     */
    public static ClassSymbols forParts(Network network, Collection<String> alsoTaken) {
        Set<String> taken = specNames(network);
        taken.addAll(alsoTaken);
        for (String letter : PART_LETTERS) {
            Pattern numbered = Pattern.compile(Pattern.quote(letter) + "(_?[0-9]+|\\[.*])?");
            if (noneMatches(taken, letter, numbered)) return new ClassSymbols(letter, taken);
        }
        return new ClassSymbols(PART_LETTERS.get(0), taken);
    }

    /** No name that starts with the letter matches: the cheap test first, as networks have millions of names. */
    private static boolean noneMatches(Set<String> names, String letter, Pattern pattern) {
        return names.stream().noneMatch(n -> n.startsWith(letter) && pattern.matcher(n).matches());
    }

    /** Symbol 1, 2, 3, ... one per call. */
    public Supplier<String> numbered() {
        int[] next = {0};
        return () -> symbol(++next[0]);
    }

    /**
     * The spec's names, each tensor element ({@code W[3,4]}) as its tensor's {@code W[]}: a symbol
     * (c1, u2) never has brackets, and {@code W[]} matches the patterns above as every element of
     * W does, so a network of millions of elements gives a set of hundreds.
     */
    private static Set<String> specNames(Network network) {
        Set<String> taken = new HashSet<>();
        String lastTensor = "";
        List<List<String>> groups = List.of(network.inputs(), network.targets(),
                network.units().stream().map(Unit::name).toList(), network.parameters().stream().map(Parameter::name).toList());
        for (List<String> names : groups) {
            for (String name : names) {
                int bracket = name.indexOf('[');
                if (bracket < 0) {
                    taken.add(name);
                } else if (bracket != lastTensor.length() - 2 || !name.regionMatches(0, lastTensor, 0, bracket)) {
                    lastTensor = name.substring(0, bracket) + "[]";
                    taken.add(lastTensor);
                }
            }
        }
        taken.addAll(network.initSymbols());
        taken.addAll(network.activations());
        return taken;
    }

    /** The symbol of the k-th class (from 1). */
    public String symbol(int k) {
        String s = letter + k;
        while (taken.contains(s)) s = s + "′";
        return s;
    }
}
