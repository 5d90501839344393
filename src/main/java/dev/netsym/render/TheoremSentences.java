package dev.netsym.render;

import dev.netsym.proof.OptimiserScope;
import dev.netsym.proof.Proof;
import java.util.List;
import java.util.function.Function;

/**
 * The sentences of the theorem that every format states alike, made from the proof's data:
 * which optimisers it covers, and how exact the count of trainable values is.
 */
final class TheoremSentences {
    private TheoremSentences() {}

    /** The optimiser scope in plain text, names as they are. */
    static String optimiserScope(Proof proof) {
        return optimiserScope(proof, name -> name, text -> text);
    }

    /**
     * The optimiser scope; {@code name} formats a parameter name and {@code text} the words
     * around the names (escaping them) for the target format.
     */
    static String optimiserScope(Proof proof, Function<String, String> name, Function<String, String> text) {
        OptimiserScope scope = proof.optimiserScope();
        String optimizer = proof.network().optimizer();
        StringBuilder s = new StringBuilder(text.apply("This holds for plain gradient descent and for every optimiser"
                + " that updates each parameter by one shared rule from its own gradient history: "
                + String.join(", ", scope.covered()) + "; the spec names '" + optimizer + "'."));
        if (!scope.decayMoves().isEmpty()) {
            List<String> moved = scope.decayMoves();
            String names = moved.size() <= 6 ? String.join(", ", moved.stream().map(name).toList())
                    : String.join(", ", moved.subList(0, 3).stream().map(name).toList()) + text.apply(", and "
                    + (moved.size() - 3) + " more");
            s.append(text.apply(" It is not claimed for weight decay or AdamW: decay would move ")).append(names)
                    .append(text.apply(moved.size() == 1 ? ", which is frozen here but does not start at 0."
                            : ", which are frozen here but do not start at 0."));
        }
        if (proof.classes().stream().anyMatch(c -> !c.negated().isEmpty())) {
            s.append(text.apply(" Each of these rules is odd in the gradient (a negated gradient history gives the"
                    + " negated update), which parameters kept as each other's negatives need."));
        }
        s.append(text.apply(" It is not claimed for " + listWithOr(scope.outside())
                + " ('prove --optimizers' decides optimisers one by one)."));
        return s.toString();
    }

    /** "4 trainable values" when every pair was decided, "at most 4 trainable values" otherwise. */
    static String trainableValues(Proof proof) {
        long n = proof.trainableValues();
        return (proof.complete() ? "" : "at most ") + n + " trainable value" + (n == 1 ? "" : "s");
    }

    static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** What a time limit cut short, on one line: the first {@code limit}, then how many more. */
    static String cutShort(List<String> cut, int limit) {
        return String.join("; ", cut.subList(0, Math.min(cut.size(), limit)))
                + (cut.size() > limit ? "; and " + (cut.size() - limit) + " more" : "");
    }

    private static String listWithOr(List<String> items) {
        if (items.size() == 1) return items.get(0);
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }
}
