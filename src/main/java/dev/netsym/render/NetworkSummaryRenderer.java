package dev.netsym.render;

import dev.netsym.model.Init;
import dev.netsym.model.Layer;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Rational;
import dev.netsym.model.Unit;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The short summary that {@code netsym check} prints. */
public final class NetworkSummaryRenderer {
    /** Lists longer than this show their first few names and a count. */
    private static final int SHOWN = 8;

    private final PrintWriter out;

    public NetworkSummaryRenderer(PrintWriter out) {
        this.out = out;
    }

    public void render(Network n) {
        out.println((n.named() ? "network " + n.name() : "network (unnamed)") + ": ok");
        row("inputs", n.inputs());
        if (!n.targets().isEmpty()) row("targets", n.targets());
        row("units", n.units().stream().map(Unit::name).toList());
        for (Layer l : n.layers()) {
            out.printf("  %-12s %s[%d] = dense(%s[%d]%s): %d weights%s%n", "layer", l.name(), l.size(),
                    l.source(), l.sourceSize(), l.bias() ? ", bias" : "", l.size() * l.sourceSize(),
                    l.bias() ? " and " + l.size() + " biases" : "");
        }
        row("parameters", n.parameters().stream().map(Parameter::name).toList());
        if (!n.activations().isEmpty()) row("activations", n.activations().stream().sorted().toList());
        if (!n.data().isEmpty()) out.printf("  %-12s %d samples%n", "data", n.data().size());
        if (!n.assumptions().isEmpty()) {
            row("assumptions", n.assumptions().stream().map(Object::toString).toList());
        }
        out.printf("  %-12s %s%n", "optimizer", n.optimizer());
        Map<Rational, List<String>> groups = new java.util.TreeMap<>();
        for (Parameter p : n.parameters()) {
            if (!p.learningRate().equals(Rational.ONE)) groups.computeIfAbsent(p.learningRate(), r -> new ArrayList<>()).add(p.name());
        }
        if (!groups.isEmpty()) {
            out.println("  learning rates (times the optimizer's; the rest at 1):");
            groups.forEach((rate, names) -> listed(String.format("    %-21s ", rate), names));
        }
        out.println("  initial values:");
        for (var g : n.parametersByInit().entrySet()) {
            String how = g.getKey() instanceof Init.Random ? "random (each its own)" : NumberText.initial(g.getKey());
            listed(String.format("    %-21s ", how), g.getValue());
        }
        out.flush();
    }

    private void row(String label, List<String> names) {
        listed(String.format("  %-12s ", label), names);
    }

    /** "48: K1[1,1,1,1], ..., Wd[2,3]" after the label, continued lines under the first name. */
    private void listed(String head, List<String> names) {
        List<String> items = new ArrayList<>();
        List<String> shown = names.size() <= SHOWN ? names
                : new ArrayList<>(names.subList(0, SHOWN - 2));
        if (shown != names) {
            shown.add("...");
            shown.add(names.get(names.size() - 1));
        }
        for (int i = 0; i < shown.size(); i++) {
            String item = (i == 0 ? names.size() + ": " : "") + shown.get(i);
            items.add(i + 1 < shown.size() ? item + "," : item);
        }
        String under = " ".repeat(head.length() + (names.size() + ": ").length());
        TextLines.print(out, TextLines.items(head, under, items, " "));
    }
}
