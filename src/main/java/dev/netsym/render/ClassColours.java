package dev.netsym.render;

import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One colour per parameter class, the same in the LaTeX picture and the DOT graph. Classes
 * that move take the palette in the proof's class order (so the same proof always gets
 * the same colours), cycling when there are more classes than colours; frozen classes are
 * grey, and drawn dashed by the renderers, since grey alone is not enough to tell them apart.
 */
public final class ClassColours {

    /** An RGB colour with a name that is safe as a LaTeX colour name (letters only). */
    public record Colour(String name, String hex) {
        /** "#0072B2", for Graphviz. */
        public String hashHex() { return "#" + hex; }
    }

    /**
     * Okabe and Ito's colour-blind-safe palette (without its yellow, too light on white),
     * extended with darker tones from Paul Tol's, so that neighbours stay distinguishable.
     */
    static final List<String> PALETTE = List.of(
            "0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9",
            "882255", "117733", "332288", "AA4499", "44AA99", "999933");

    public static final Colour FROZEN = new Colour("netsymfrozen", "999999");
    /** Edges whose parameters are in no class (no proof, or a mixture of classes). */
    public static final Colour NONE = new Colour("netsymplain", "333333");

    /** Whether there is a proof at all: without one, parameters are in no class. */
    private final boolean hasProof;
    /** Per parameter its class's index in the proof's order; built once, for networks of millions of weights. */
    private final Map<String, Integer> classOfParameter = new HashMap<>();
    /** By class index. Classes are looked up by identity: hashing a record hashes all its members. */
    private final Map<ParameterClass, Integer> indexOfClass = new IdentityHashMap<>();
    private final List<Colour> byClass = new ArrayList<>();
    private final List<Boolean> frozen = new ArrayList<>();
    /** A set: a network of 10^5 classes would otherwise search the list once per class. */
    private final java.util.Set<Colour> used = new java.util.LinkedHashSet<>();

    private ClassColours(boolean hasProof, List<ParameterClass> classes) {
        this.hasProof = hasProof;
        int next = 0;
        for (ParameterClass c : classes) {
            Colour colour;
            if (c.frozen()) {
                colour = FROZEN;
            } else {
                int index = next++;
                colour = new Colour("netsymclass" + letters(index), PALETTE.get(index % PALETTE.size()));
            }
            int index = byClass.size();
            indexOfClass.put(c, index);
            byClass.add(colour);
            frozen.add(c.frozen());
            used.add(colour);
            for (String member : c.members()) classOfParameter.put(member, index);
        }
    }

    public static ClassColours of(Proof proof) {
        return new ClassColours(proof != null, proof == null ? List.of() : proof.classes());
    }

    /** The colour every one of these parameters has; NONE when they differ or there are none. */
    public Colour shared(List<String> parameters) {
        Colour shared = null;
        for (String p : parameters) {
            Integer c = classOfParameter.get(p);
            Colour colour = c == null ? NONE : byClass.get(c);
            if (shared != null && !shared.equals(colour)) return NONE;
            shared = colour;
        }
        return shared == null ? NONE : shared;
    }

    public Colour ofClass(ParameterClass c) {
        Integer index = indexOfClass.get(c);
        return index == null ? NONE : byClass.get(index);
    }

    /**
     * How the proof splits some parameters, in words: "1 class", "3 classes (1 frozen)"; without
     * a proof, how many parameters there are. For block nodes and block edges.
     */
    public String classSummary(List<String> parameters) {
        if (!hasProof) return parameters.size() + (parameters.size() == 1 ? " parameter" : " parameters");
        BitSet seen = new BitSet();
        for (String p : parameters) {
            Integer c = classOfParameter.get(p);
            if (c != null) seen.set(c);
        }
        int classes = seen.cardinality();
        long frozenClasses = seen.stream().filter(frozen::get).count();
        String s = classes + (classes == 1 ? " class" : " classes");
        if (frozenClasses > 0 && frozenClasses == classes) return s + " (frozen)";
        return frozenClasses > 0 ? s + " (" + frozenClasses + " frozen)" : s;
    }

    /** Every distinct colour handed out, in order: what a document must define. */
    public List<Colour> used() {
        return List.copyOf(used);
    }

    /** 0 → a, 25 → z, 26 → ba: LaTeX colour names must not contain digits to be safe everywhere. */
    private static String letters(int index) {
        StringBuilder out = new StringBuilder();
        do {
            out.insert(0, (char) ('a' + index % 26));
            index /= 26;
        } while (index > 0);
        return out.toString();
    }
}
