package dev.netsym.render;

import dev.netsym.model.Network;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.io.PrintWriter;
import java.util.List;

/**
 * Graphviz DOT of a network: inputs on the left, units ranked by depth, one edge from every
 * input or unit to every unit that uses it, labelled with the parameters on it and coloured
 * by their class (frozen: grey and dashed), and a legend of the classes. Every user name
 * reaches the output only inside a quoted, escaped string; node identifiers are generated.
 */
public final class DotRenderer {
    /** Legend lines beyond this are summarised, so a 10 000-class proof still draws. */
    private static final int LEGEND_LINES = 16;
    /** Parameters named on one edge label before it is shortened. */
    private static final int LABEL_NAMES = 3;

    private final PrintWriter out;

    public DotRenderer(PrintWriter out) {
        this.out = out;
    }

    /** @param proof the classes to colour by, or null to draw the network alone */
    public void render(Network network, Proof proof) {
        render(network, proof, NetworkLayout.of(network));
    }

    public void render(Network network, Proof proof, NetworkLayout layout) {
        ClassColours colours = ClassColours.of(proof);
        out.println("digraph " + quote(network.name()) + " {");
        out.println("  rankdir=LR;");
        out.println("  graph [fontname=\"Helvetica\", nodesep=0.35, ranksep=1.1, label=" + quote(title(network, proof))
                + ", labelloc=t];");
        out.println("  node [fontname=\"Helvetica\", shape=circle, width=0.5, fixedsize=false];");
        out.println("  edge [fontname=\"Helvetica\", fontsize=10, arrowsize=0.7];");
        for (List<NetworkLayout.Node> column : layout.columns()) {
            StringBuilder rank = new StringBuilder("  { rank=same;");
            for (NetworkLayout.Node n : column) rank.append(' ').append(n.id()).append(';');
            // Graphviz reorders a rank to cut crossings (h[3], h[1], h[2], h[4]); invisible
            // edges along the column keep the layout's order, h[1] above h[2].
            if (column.size() > 1) {
                rank.append(' ').append(String.join(" -> ", column.stream().map(NetworkLayout.Node::id).toList()))
                        .append(" [style=invis];");
            }
            out.println(rank.append(" }"));
        }
        for (NetworkLayout.Node n : layout.nodes()) out.println("  " + n.id() + " [" + nodeAttributes(n, colours) + "];");
        for (NetworkLayout.Edge e : layout.edges()) {
            out.println("  " + e.from().id() + " -> " + e.to().id() + " [" + edgeAttributes(e, colours) + "];");
        }
        if (proof != null) legend(proof, colours);
        out.println("}");
        out.flush();
    }

    private static String title(Network network, Proof proof) {
        String t = (network.named() ? "network " + network.name() : "network (unnamed)") + ": " + network.parameters().size() + " parameters";
        if (proof != null) t += ", " + proof.trainableValues() + " trainable values";
        return t;
    }

    private String nodeAttributes(NetworkLayout.Node n, ClassColours colours) {
        return switch (n.kind()) {
            case INPUT, TARGET -> "label=" + quote(n.name()) + ", shape=box, style=rounded";
            case OBJECTIVE -> "label=" + quote(n.name()) + ", shape=doublecircle";
            case UNIT -> "label=" + quote(n.ownParameters().isEmpty() ? n.name()
                    : n.name() + "\n+ " + names(n.ownParameters()));
            case BLOCK -> "label=" + quote(blockLabel(n, colours)) + ", shape=box3d";
        };
    }

    private static String blockLabel(NetworkLayout.Node n, ClassColours colours) {
        boolean tensor = !n.shape().isEmpty();
        String text = (tensor ? n.name() + " " + n.shape() : n.name() + "[1.." + n.members().size() + "]") + "\n"
                + n.members().size() + (n.inputBlock() ? " inputs" : " units");
        if (!n.ownParameters().isEmpty()) {
            text += (tensor ? "\n+ " + names(NetworkLayout.tensorsOf(n.ownParameters())) + ": " : "\nbiases: ")
                    + colours.classSummary(n.ownParameters());
        }
        return text;
    }

    private String edgeAttributes(NetworkLayout.Edge e, ClassColours colours) {
        StringBuilder a = new StringBuilder();
        List<String> params = e.parameters();
        String label = !e.tensors().isEmpty() ? names(e.tensors()) + "\n" + blockEdgeLabel(params, colours)
                : e.from().kind() == NetworkLayout.Kind.BLOCK || e.to().kind() == NetworkLayout.Kind.BLOCK
                ? blockEdgeLabel(params, colours) : names(params);
        if (!label.isEmpty()) a.append("label=").append(quote(label));
        ClassColours.Colour c = colours.shared(params);
        if (c != ClassColours.NONE) {
            sep(a).append("color=").append(quote(c.hashHex())).append(", fontcolor=").append(quote(c.hashHex()));
        }
        if (c == ClassColours.FROZEN) sep(a).append("style=dashed");
        return a.toString();
    }

    private static String blockEdgeLabel(List<String> params, ClassColours colours) {
        if (params.isEmpty()) return "";
        return params.size() + (params.size() == 1 ? " weight, " : " weights, ") + colours.classSummary(params);
    }

    private static StringBuilder sep(StringBuilder a) {
        return a.length() == 0 ? a : a.append(", ");
    }

    static String names(List<String> names) {
        if (names.size() <= LABEL_NAMES) return String.join(", ", names);
        return String.join(", ", names.subList(0, LABEL_NAMES - 1)) + ", … (" + names.size() + ")";
    }

    /**
     * One plaintext node with an HTML-like table, one coloured row per class: compact, and
     * it stays one block however Graphviz ranks the rest. Every text is HTML-escaped.
     */
    private void legend(Proof proof, ClassColours colours) {
        out.println("  subgraph cluster_legend {");
        out.println("    label=\"classes: gradient descent keeps each equal forever\"; fontsize=11; color=\"#bbbbbb\";");
        StringBuilder rows = new StringBuilder();
        List<ParameterClass> classes = proof.classes();
        int shown = Math.min(classes.size(), LEGEND_LINES);
        for (int i = 0; i < shown; i++) {
            ParameterClass c = classes.get(i);
            ClassColours.Colour colour = colours.ofClass(c);
            String text = (c.frozen() ? "frozen at " + c.initialValue() : c.symbol()) + ": " + abbreviate(c.signedMembers());
            rows.append("<tr><td align=\"left\"><font color=\"").append(colour.hashHex()).append("\">")
                    .append(c.frozen() ? "- - -  " : "——  ").append(html(text)).append("</font></td></tr>");
        }
        if (classes.size() > shown) {
            rows.append("<tr><td align=\"left\">").append(html("… and " + (classes.size() - shown) + " more classes"))
                    .append("</td></tr>");
        }
        out.println("    legend [shape=plaintext, fontsize=10, label=<<table border=\"0\" cellspacing=\"0\" cellpadding=\"1\">"
                + rows + "</table>>];");
        out.println("  }");
    }

    /** Text for an HTML-like label: markup characters as entities, control characters dropped. */
    static String html(String text) {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> h.append("&amp;");
                case '<' -> h.append("&lt;");
                case '>' -> h.append("&gt;");
                case '"' -> h.append("&quot;");
                case '\'' -> h.append("&#39;");
                default -> h.append(c < 32 || c == 127 ? ' ' : c);
            }
        }
        return h.toString();
    }

    private static String abbreviate(List<String> members) {
        if (members.size() <= 8) return String.join(", ", members);
        return String.join(", ", members.subList(0, 6)) + ", …, " + members.get(members.size() - 1)
                + " (" + members.size() + ")";
    }

    /**
     * A DOT quoted string that shows the text as it is: backslashes doubled (so \N, \G, \l
     * and the like are not expanded), quotes escaped, line breaks as \n, other control
     * characters dropped. Nothing inside can close the string or start a statement.
     */
    public static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') q.append("\\\\");
            else if (c == '"') q.append("\\\"");
            else if (c == '\n') q.append("\\n");
            else if (c < 32 || c == 127) q.append(' ');
            else q.append(c);
        }
        return q.append('"').toString();
    }
}
