package dev.netsym.render;

import dev.netsym.model.Network;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;

/**
 * The TikZ picture of a network: inputs on the left, units in columns by depth, every edge
 * labelled with its weight and coloured by its class, frozen edges dashed, and a legend.
 * Positions are computed here (not by a TikZ graph-drawing library, which needs LuaTeX).
 */
final class LatexNetworkPicture {
    /** Above this many edges the weight labels would cover each other: colours only. */
    static final int MAX_LABELLED_EDGES = 60;
    private static final int LEGEND_LINES = 16;
    /** Widest and tallest picture, in cm, that fits the article text block with its caption. */
    private static final double MAX_WIDTH_CM = 11.0;
    private static final double MAX_HEIGHT_CM = 12.0;

    private final PrintWriter out;
    private final LatexExprPrinter printer;
    /** Drawn from the top down (a picture of tensor statements), not from left to right. */
    private boolean down;

    LatexNetworkPicture(PrintWriter out, LatexExprPrinter printer) {
        this.out = out;
        this.printer = printer;
    }

    void render(Network network, Proof proof, NetworkLayout layout, ClassColours colours) {
        int columns = layout.columnCount();
        int tallest = layout.tallestColumn();
        // A network of tensor statements is a long chain of a few boxes per step: drawn from the
        // top down, a step per line, with the weights' labels to the right of the boxes.
        down = layout.ofTensors();
        double dx = down ? (tallest <= 1 ? 0 : Math.min(4.5, MAX_WIDTH_CM / (tallest - 1)))
                : columns <= 1 ? 0 : Math.min(layout.hasBlocks() ? 3.8 : 3.4, MAX_WIDTH_CM / (columns - 1));
        double dy = down ? (columns <= 1 ? 0 : Math.min(1.6, MAX_HEIGHT_CM / (columns - 1)))
                : tallest <= 1 ? 0 : Math.min(1.6, MAX_HEIGHT_CM / (tallest - 1));
        boolean labels = layout.edges().size() <= MAX_LABELLED_EDGES;
        // Downwards, every label stands in one column right of the boxes, level with its edge's middle.
        double labelX = down ? (tallest - 1) / 2.0 * dx + widestBlock(layout) / 2 + 0.2 : 0;
        java.util.Map<String, Double> yOf = new java.util.HashMap<>();
        // Small nodes when the columns are crowded, so circles do not overlap.
        boolean crowded = !down && dy > 0 && dy < 0.9;

        out.println("\\begin{figure}[htbp]");
        out.println("\\centering");
        out.println("\\begin{tikzpicture}[>=stealth, font=\\small,");
        out.println("  unit/.style={circle, draw, inner sep=1pt, minimum size=" + (crowded ? "4mm" : "8mm") + "},");
        out.println("  input/.style={rectangle, rounded corners, draw, inner sep=2pt, minimum size=" + (crowded ? "4mm" : "6mm") + "},");
        out.println("  objective/.style={circle, double, draw, inner sep=1pt, minimum size=8mm},");
        out.println("  block/.style={rectangle, draw, thick, align=center, inner sep=3pt, font=\\footnotesize},");
        out.println("  weight/.style={font=\\scriptsize, fill=white, inner sep=1pt}]");
        for (List<NetworkLayout.Node> column : layout.columns()) {
            for (NetworkLayout.Node n : column) {
                double x = down ? (n.row() - (column.size() - 1) / 2.0) * dx : n.column() * dx;
                double y = down ? -n.column() * dy : ((column.size() - 1) / 2.0 - n.row()) * dy;
                out.println("\\node[" + style(n) + bias(n, colours) + "] (" + n.id() + ") at ("
                        + cm(x) + "," + cm(y) + ") {" + nodeText(n, colours) + "};");
                yOf.put(n.id(), y);
                if (down && !n.ownParameters().isEmpty()) {
                    // Its own parameters (a bias, a position embedding) level with it, in the column of labels.
                    String own = "$" + (column.size() > 1 ? printer.name(n.name()) + "\\colon " : "") + "+"
                            + names(NetworkLayout.tensorsOf(n.ownParameters())) + "$: "
                            + LatexExprPrinter.escape(colours.classSummary(n.ownParameters()));
                    label(labelX, y, colours.shared(n.ownParameters()), own);
                }
            }
        }
        Set<List<String>> weighted = new HashSet<>();
        for (NetworkLayout.Edge e : layout.edges()) {
            if (!e.parameters().isEmpty()) weighted.add(List.of(e.from().id(), e.to().id()));
        }
        for (NetworkLayout.Edge e : layout.edges()) {
            // A skip connection next to a weighted edge between the same nodes (h + W·h) would
            // hide under it if straight: it bends.
            boolean twin = e.parameters().isEmpty() && weighted.contains(List.of(e.from().id(), e.to().id()));
            ClassColours.Colour colour = colours.shared(e.parameters());
            String drawStyle = "->, draw=" + colour.name() + (colour == ClassColours.FROZEN ? ", dashed" : "");
            String label = labels ? edgeLabel(e, colours) : "";
            boolean blockEdge = e.from().kind() == NetworkLayout.Kind.BLOCK || e.to().kind() == NetworkLayout.Kind.BLOCK;
            if (down && !label.isEmpty()) {
                label(labelX, (yOf.get(e.from().id()) + yOf.get(e.to().id())) / 2, colour, label);
                label = "";
            }
            // A block edge's label is two lines of words: above the edge, between the boxes.
            String place = blockEdge ? "midway, above, align=center, fill=none" : "pos=" + labelPosition(e);
            String node = label.isEmpty() ? ""
                    : " node[weight, text=" + colour.name() + ", " + place + "] {" + label + "}";
            // Downwards, a connection that skips a step (a residual) passes left of the boxes between.
            boolean skips = down && e.to().column() - e.from().column() > 1;
            if (skips) {
                out.println("\\draw[" + drawStyle + "] (" + e.from().id() + ".west) to[out=180, in=180]" + node + " ("
                        + e.to().id() + ".west);");
                continue;
            }
            String path = twin ? " to[bend left=35]" : " --";
            out.println("\\draw[" + drawStyle + "] (" + e.from().id() + ")" + path + node + " (" + e.to().id() + ");");
        }
        out.println("\\end{tikzpicture}");
        legend(proof, colours);
        String caption = LatexDocumentRenderer.title(network);
        if (proof != null) caption += ", edges coloured by parameter class; dashed edges never move";
        if (!labels) caption += " (" + layout.edges().size() + " edges: weight names left out, colours show the classes)";
        if (layout.hasBlocks()) caption += layout.ofTensors() ? "; a box is a whole tensor" : "; a box is a whole layer or input vector";
        out.println("\\caption{" + caption + ".}");
        out.println("\\end{figure}");
    }

    /**
     * Edges leaving one source towards several targets diverge near the source and edges
     * from several sources converge near the target: a label a third of the way along sits
     * where its edge is most apart from its neighbours, and away from crossings at the middle.
     */
    private static String labelPosition(NetworkLayout.Edge e) {
        return e.to().column() - e.from().column() > 1 ? "0.2" : "0.3";
    }

    private static String style(NetworkLayout.Node n) {
        return switch (n.kind()) {
            case INPUT, TARGET -> "input";
            case UNIT -> "unit";
            case OBJECTIVE -> "objective";
            case BLOCK -> "block";
        };
    }

    private String bias(NetworkLayout.Node n, ClassColours colours) {
        if (n.ownParameters().isEmpty() || n.kind() == NetworkLayout.Kind.BLOCK) return "";
        ClassColours.Colour colour = colours.shared(n.ownParameters());
        return ", label={[weight, text=" + colour.name() + "]below:$+" + names(n.ownParameters()) + "$}";
    }

    private String nodeText(NetworkLayout.Node n, ClassColours colours) {
        if (n.kind() != NetworkLayout.Kind.BLOCK) return "$" + printer.name(n.name()) + "$";
        boolean tensor = !n.shape().isEmpty();
        // A tensor's box is one line of name and shape: the boxes stack closely, a step per line.
        if (tensor) return "$" + printer.name(n.name()) + "$ " + LatexExprPrinter.escape(n.shape());
        String text = "$" + printer.element(n.name(), "1,\\dots," + n.members().size()) + "$\\\\" + n.members().size()
                + (n.inputBlock() ? " inputs" : " units");
        if (!n.ownParameters().isEmpty()) {
            text += "\\\\biases: " + LatexExprPrinter.escape(colours.classSummary(n.ownParameters()));
        }
        return text;
    }

    /** A label in the column right of a picture drawn downwards. */
    private void label(double x, double y, ClassColours.Colour colour, String text) {
        out.println("\\node[weight, anchor=west, fill=none, text=" + colour.name() + "] at (" + cm(x) + "," + cm(y) + ") {"
                + text + "};");
    }

    /** About how wide the widest box is, in cm (footnotesize, a character about 0.15 cm). */
    private static double widestBlock(NetworkLayout layout) {
        int longest = 0;
        for (NetworkLayout.Node n : layout.nodes()) {
            int own = n.ownParameters().isEmpty() ? 0 : String.join(", ", NetworkLayout.tensorsOf(n.ownParameters())).length() + 14;
            longest = Math.max(longest, Math.max(n.name().length() + n.shape().length() + 1, own));
        }
        return 0.15 * longest + 0.3;
    }

    private String edgeLabel(NetworkLayout.Edge e, ClassColours colours) {
        if (e.parameters().isEmpty()) return "";
        boolean block = e.from().kind() == NetworkLayout.Kind.BLOCK || e.to().kind() == NetworkLayout.Kind.BLOCK;
        if (block) {
            int n = e.parameters().size();
            String summary = LatexExprPrinter.escape(colours.classSummary(e.parameters()));
            // Drawn downwards, one line beside the chain: $W_1$: 64 weights, 64 classes.
            if (down && !e.tensors().isEmpty()) return "$" + names(e.tensors()) + "$: " + n + (n == 1 ? " weight, " : " weights, ") + summary;
            String tensors = e.tensors().isEmpty() ? "" : "$" + names(e.tensors()) + "$\\\\";
            return tensors + n + (n == 1 ? " weight\\\\" : " weights\\\\") + summary;
        }
        return "$" + names(e.parameters()) + "$";
    }

    private String names(List<String> parameters) {
        if (parameters.size() <= 3) {
            return String.join(", ", parameters.stream().map(printer::name).toList());
        }
        return printer.name(parameters.get(0)) + ", \\dots, " + printer.name(parameters.get(parameters.size() - 1));
    }

    private void legend(Proof proof, ClassColours colours) {
        if (proof == null) return;
        List<ParameterClass> classes = proof.classes();
        int shown = Math.min(classes.size(), LEGEND_LINES);
        out.println("\\par\\medskip");
        out.println("{\\footnotesize\\begin{tabular}{@{}l@{}}");
        for (int i = 0; i < shown; i++) {
            ParameterClass c = classes.get(i);
            ClassColours.Colour colour = colours.ofClass(c);
            String sample = "\\tikz[baseline=-0.6ex]\\draw[thick, " + colour.name() + (c.frozen() ? ", dashed" : "")
                    + "] (0,0) -- (2em,0);";
            String what = c.frozen() ? "frozen at $" + LatexDocumentRenderer.value(c.initialValue(), printer) + "$"
                    : "$" + printer.name(c.symbol()) + "$";
            out.println(sample + "~" + what + ": $" + LatexDocumentRenderer.memberList(c.signedMembers(), printer, ", ")
                    + "$" + (i + 1 < shown || classes.size() > shown ? "\\\\" : ""));
        }
        if (classes.size() > shown) out.println("\\dots{} and " + (classes.size() - shown) + " more classes");
        out.println("\\end{tabular}}");
    }

    private static String cm(double v) {
        return String.format(Locale.ROOT, "%.2fcm", v);
    }
}
