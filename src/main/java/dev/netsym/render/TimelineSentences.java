package dev.netsym.render;

import dev.netsym.model.Parameter;
import dev.netsym.proof.Proof;
import dev.netsym.proof.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline in words, shared by the text, Markdown and LaTeX proofs: parameters that share
 * a description share a line, and a tensor all of whose elements share it is named whole.
 */
final class TimelineSentences {
    /** One line: who, and what holds for each of them. */
    record Line(List<String> names, String description) {}

    private TimelineSentences() {}

    static List<Line> moves(Proof proof) {
        Map<String, List<String>> byDescription = new LinkedHashMap<>();
        List<Timeline.Move> byStep = new ArrayList<>(proof.timeline().moves());
        byStep.sort(java.util.Comparator.comparingInt(Timeline.Move::notBefore));
        for (Timeline.Move m : byStep) {
            byDescription.computeIfAbsent(moveDescription(m), k -> new ArrayList<>()).add(m.parameter());
        }
        return lines(proof, byDescription);
    }

    static List<Line> frozen(Proof proof) {
        Map<String, List<String>> byDescription = new LinkedHashMap<>();
        for (Timeline.Frozen f : proof.timeline().frozen()) {
            byDescription.computeIfAbsent(frozenDescription(f), k -> new ArrayList<>()).add(f.parameter());
        }
        return lines(proof, byDescription);
    }

    private static String moveDescription(Timeline.Move m) {
        // "Not before step 1" says nothing: every parameter waits for the first step.
        String when = m.exact() ? "from step " + m.notBefore()
                : m.witnessStep() != 0 ? "not before step " + m.notBefore() + "; a witness run moves it at step " + m.witnessStep()
                : m.notBefore() > 1 ? "not before step " + m.notBefore() + "; no witness run shows a move"
                : "undecided (no witness run shows a move)";
        return m.waitsFor().isEmpty() ? when
                : when + " (before that its gradient is 0 while " + String.join(", ", m.waitsFor())
                + (m.waitsFor().size() == 1 ? " is" : " are") + " still at the start)";
    }

    private static String frozenDescription(Timeline.Frozen f) {
        String named = String.join(", ", f.blockedBy());
        return switch (f.reason()) {
            case DISCONNECTED -> "disconnected: the objective does not depend on it at all";
            case ZERO_ON_INVARIANT_SET -> f.blockedBy().isEmpty() ? "zero gradient on the invariant set"
                    : "zero gradient on the invariant set, held at 0 by " + named + " (with "
                    + (f.blockedBy().size() == 1 ? "it" : "them") + " free, it would move)";
            case ASSUMPTION -> f.blockedBy().isEmpty() ? "blocked by the assumptions"
                    : "blocked by the assumption" + (f.blockedBy().size() == 1 ? " " : "s ") + named
                    + " (without " + (f.blockedBy().size() == 1 ? "it" : "them") + ", its gradient is not 0)";
            case NO_DEPENDENCE_FOUND -> "its gradient was 0 at every point tried, even with start values and"
                    + " assumptions freed";
            case NOT_EXAMINED -> "the objective depends on it; why its gradient stays 0 was not examined in the time budget";
        };
    }

    /** Names per line, a tensor named whole when every element of it is on that line. */
    private static List<Line> lines(Proof proof, Map<String, List<String>> byDescription) {
        Map<String, Integer> elements = new LinkedHashMap<>();
        for (Parameter p : proof.network().parameters()) elements.merge(tensorOf(p.name()), 1, Integer::sum);
        List<Line> lines = new ArrayList<>();
        byDescription.forEach((description, names) -> {
            Map<String, List<String>> byTensor = new LinkedHashMap<>();
            for (String name : names) byTensor.computeIfAbsent(tensorOf(name), k -> new ArrayList<>()).add(name);
            List<String> shown = new ArrayList<>();
            byTensor.forEach((tensor, members) -> {
                if (members.size() > 1 && members.size() == elements.get(tensor)) {
                    shown.add(tensor);
                } else {
                    shown.addAll(members);
                }
            });
            lines.add(new Line(shown, description));
        });
        return lines;
    }

    private static String tensorOf(String name) {
        int bracket = name.indexOf('[');
        return bracket > 0 && name.endsWith("]") ? name.substring(0, bracket) : name;
    }
}
