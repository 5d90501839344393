package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.model.Layer;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Unit;
import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.Proof;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network as a picture needs it, shared by the DOT and TikZ renderers: inputs in column
 * 0, each unit one column right of the deepest thing it uses, one edge per (source, unit)
 * pair labelled with the parameters that multiply that source in the unit's definition.
 * A dense layer (or input vector) larger than the block threshold becomes one block node,
 * and the edges into it merge, so a 784-256-10 network stays a picture of three blocks.
 */
public final class NetworkLayout {

    /** Dense layers and input vectors with more elements than this are drawn as one block. */
    public static final int DEFAULT_BLOCK_THRESHOLD = 40;

    public enum Kind { INPUT, TARGET, UNIT, OBJECTIVE, BLOCK }

    /**
     * A node of the picture.
     *
     * @param id a safe identifier (n0, n1, ...) for DOT and TikZ, never a user name
     * @param name the model name shown (a unit, an input, a layer or vector name for a block)
     * @param members the model names the node stands for (one, except for blocks)
     * @param ownParameters parameters used by the node with no source (biases)
     * @param inputBlock whether a block stands for inputs rather than units
     */
    public record Node(String id, String name, Kind kind, int column, int row, List<String> members,
                       List<String> ownParameters, boolean inputBlock) {
        public Node {
            members = List.copyOf(members);
            ownParameters = List.copyOf(ownParameters);
        }
    }

    /** An arrow from a source to a node that uses it, with the parameters on it (maybe none). */
    public record Edge(Node from, Node to, List<String> parameters) {
        public Edge { parameters = List.copyOf(parameters); }
    }

    private static final Pattern VECTOR_ELEMENT = Pattern.compile("(.+)\\[[0-9]+]");

    private final List<Node> nodes;
    private final List<Edge> edges;
    private final int columns;

    private NetworkLayout(List<Node> nodes, List<Edge> edges) {
        this.nodes = List.copyOf(nodes);
        this.edges = List.copyOf(edges);
        this.columns = nodes.stream().mapToInt(Node::column).max().orElse(0) + 1;
    }

    public static NetworkLayout of(Network network) {
        return of(network, DEFAULT_BLOCK_THRESHOLD);
    }

    public static NetworkLayout of(Network network, int blockThreshold) {
        return new Builder(network, blockThreshold).build();
    }

    public List<Node> nodes() { return nodes; }

    public List<Edge> edges() { return edges; }

    public int columnCount() { return columns; }

    public boolean hasBlocks() { return nodes.stream().anyMatch(n -> n.kind() == Kind.BLOCK); }

    /** Nodes per column, in row order. */
    public List<List<Node>> columns() {
        List<List<Node>> result = new ArrayList<>();
        for (int c = 0; c < columns; c++) result.add(new ArrayList<>());
        for (Node n : nodes) result.get(n.column()).add(n);
        return result;
    }

    public int tallestColumn() {
        return columns().stream().mapToInt(List::size).max().orElse(0);
    }

    private static final class Builder {
        private final Network network;
        private final int threshold;
        private final Set<String> parameterNames = new HashSet<>();
        private final Map<String, Node> nodeOf = new LinkedHashMap<>();
        private final Map<String, Integer> depth = new HashMap<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Map<Integer, Integer> rowsUsed = new HashMap<>();

        Builder(Network network, int threshold) {
            this.network = network;
            this.threshold = threshold;
            for (Parameter p : network.parameters()) parameterNames.add(p.name());
        }

        NetworkLayout build() {
            placeInputs();
            Map<String, Layer> bigLayers = new HashMap<>();
            for (Layer l : network.layers()) if (l.size() > threshold) bigLayers.put(l.name(), l);
            Map<String, List<String>> ownByNode = new LinkedHashMap<>();
            Map<List<String>, Set<String>> edgeParameters = new LinkedHashMap<>();

            for (Unit u : network.units()) {
                int d = 1;
                Map<Source, Set<String>> sources = sourcesWithParameters(u.definition(), ownByNode, u.name());
                for (Source s : sources.keySet()) d = Math.max(d, depth.getOrDefault(s.name(), 0) + 1);
                depth.put(u.name(), d);
                Layer big = u.layer() == null ? null : bigLayers.get(u.layer());
                if (big != null) {
                    Node block = nodeOf.get(big.unit(1));
                    if (block == null) {
                        List<String> members = new ArrayList<>();
                        for (int j = 1; j <= big.size(); j++) members.add(big.unit(j));
                        block = add(big.name(), Kind.BLOCK, d, members, false);
                        for (String m : members) nodeOf.put(m, block);
                    }
                } else {
                    nodeOf.put(u.name(), add(u.name(), Kind.UNIT, d, List.of(u.name()), false));
                }
                collectEdges(sources, u.name(), edgeParameters);
            }
            String output = network.objective() instanceof Expr.Ref r && nodeOf.containsKey(r.name())
                    && !network.inputs().contains(r.name()) ? r.name() : null;
            if (output == null) addObjective(ownByNode, edgeParameters);

            // Merge edges whose ends fall into the same nodes (blocks), keeping first-seen order.
            // Keyed by node ids: hashing a block node would hash all of its members, once per weight.
            Map<List<String>, Set<String>> merged = new LinkedHashMap<>();
            Map<List<String>, List<Node>> ends = new HashMap<>();
            for (var e : edgeParameters.entrySet()) {
                Node from = nodeOf.get(e.getKey().get(0));
                Node to = nodeOf.get(e.getKey().get(1));
                if (from == null || to == null || from == to) continue;
                List<String> key = List.of(from.id(), to.id(), e.getKey().get(2));
                ends.putIfAbsent(key, List.of(from, to));
                merged.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(e.getValue());
            }
            List<Edge> edges = new ArrayList<>();
            for (var e : merged.entrySet()) {
                List<Node> pair = ends.get(e.getKey());
                edges.add(new Edge(pair.get(0), pair.get(1), List.copyOf(e.getValue())));
            }
            List<Node> withOwn = new ArrayList<>();
            Map<Node, Node> replaced = new HashMap<>();
            for (Node n : nodes) {
                Set<String> own = new LinkedHashSet<>();
                for (String m : n.members()) own.addAll(ownByNode.getOrDefault(m, List.of()));
                Node updated = new Node(n.id(), n.name(), n.kind(), n.column(), n.row(), n.members(),
                        List.copyOf(own), n.inputBlock());
                withOwn.add(updated);
                replaced.put(n, updated);
            }
            edges.replaceAll(e -> new Edge(replaced.get(e.from()), replaced.get(e.to()), e.parameters()));
            return new NetworkLayout(withOwn, edges);
        }

        private void placeInputs() {
            Map<String, List<String>> groups = new LinkedHashMap<>();
            for (String input : network.inputs()) {
                Matcher m = VECTOR_ELEMENT.matcher(input);
                groups.computeIfAbsent(m.matches() ? m.group(1) + "[]" : input, k -> new ArrayList<>()).add(input);
            }
            for (var g : groups.entrySet()) {
                if (g.getKey().endsWith("[]") && g.getValue().size() > threshold) {
                    String base = g.getKey().substring(0, g.getKey().length() - 2);
                    Node block = add(base, Kind.BLOCK, 0, g.getValue(), true);
                    for (String m : g.getValue()) nodeOf.put(m, block);
                } else {
                    for (String m : g.getValue()) nodeOf.put(m, add(m, Kind.INPUT, 0, List.of(m), false));
                }
                for (String m : g.getValue()) depth.put(m, 0);
            }
        }

        /** The objective as its own node, when it is more than one unit (a loss with targets). */
        private void addObjective(Map<String, List<String>> ownByNode, Map<List<String>, Set<String>> edgeParameters) {
            String key = "\u0000objective";
            Map<Source, Set<String>> sources = sourcesWithParameters(network.objective(), ownByNode, key);
            int d = 1;
            for (Source s : sources.keySet()) d = Math.max(d, depth.getOrDefault(s.name(), 0) + 1);
            Set<String> used = new HashSet<>();
            for (Source s : sources.keySet()) used.add(s.name());
            for (String t : network.targets()) {
                if (used.contains(t)) nodeOf.put(t, add(t, Kind.TARGET, Math.max(0, d - 1), List.of(t), false));
            }
            nodeOf.put(key, add("L", Kind.OBJECTIVE, d, List.of(), false));
            collectEdges(sources, key, edgeParameters);
        }

        /** The edges from each source into one node; a weighted and a plain use of a source are two edges. */
        private static void collectEdges(Map<Source, Set<String>> sources, String node,
                                         Map<List<String>, Set<String>> edgeParameters) {
            for (var s : sources.entrySet()) {
                edgeParameters.computeIfAbsent(List.of(s.getKey().name(), node, s.getKey().kindOfUse()),
                        k -> new LinkedHashSet<>()).addAll(s.getValue());
            }
        }

        private Node add(String name, Kind kind, int column, List<String> members, boolean inputBlock) {
            int row = rowsUsed.merge(column, 1, Integer::sum) - 1;
            Node n = new Node("n" + nodes.size(), name, kind, column, row, members, List.of(), inputBlock);
            nodes.add(n);
            return n;
        }

        /** A source as one term of a sum uses it: through parameters (w·h), or plainly (a skip connection h). */
        private record Source(String name, boolean weighted) {
            String kindOfUse() { return weighted ? "weighted" : "plain"; }
        }

        /**
         * Each source (input, target or unit) the expression uses, with the parameters in the
         * same term of its sum: w1·x1 + w3·x2 gives x1 → {w1}, x2 → {w3}. Sums inside
         * function calls count as the unit's own terms (tanh(w·x + b)). Parameters in a term
         * with no source (a bias) are the unit's own. A source used both with and without
         * parameters (h + W·h, a residual connection) is two sources, so the skip is drawn.
         */
        private Map<Source, Set<String>> sourcesWithParameters(Expr definition, Map<String, List<String>> own,
                                                               String unit) {
            Map<Source, Set<String>> result = new LinkedHashMap<>();
            // a value the front end shares among many uses is looked at once per term, not per use
            List<Expr> terms = new ArrayList<>();
            addTerms(definition, Collections.newSetFromMap(new IdentityHashMap<>()), terms);
            for (Expr term : terms) {
                Set<String> names = new LinkedHashSet<>();
                if (term.isFlat()) collectNames(term, names, null);
                else collectNames(term, names, Collections.newSetFromMap(new IdentityHashMap<>()));
                List<String> params = names.stream().filter(parameterNames::contains).toList();
                List<String> sources = names.stream().filter(n -> !parameterNames.contains(n) && isSource(n)).toList();
                if (sources.isEmpty()) {
                    own.computeIfAbsent(unit, k -> new ArrayList<>()).addAll(params);
                }
                for (String s : sources) {
                    result.computeIfAbsent(new Source(s, !params.isEmpty()), k -> new LinkedHashSet<>()).addAll(params);
                }
            }
            return result;
        }

        private boolean isSource(String name) {
            return depth.containsKey(name) || network.targets().contains(name);
        }

        private static void addTerms(Expr e, Set<Expr> seen, List<Expr> out) {
            if (!(e instanceof Expr.Sum || e instanceof Expr.Neg || e instanceof Expr.Call)) out.add(e);
            else if (seen.add(e)) for (Expr child : e.children()) addTerms(child, seen, out);
        }

        /** The names in e; {@code seen} (null only for a flat e) holds the operations already looked into. */
        private static void collectNames(Expr e, Set<String> into, Set<Expr> seen) {
            if (e instanceof Expr.Ref r) into.add(r.name());
            else if (e.isFlat() || seen.add(e)) for (Expr child : e.children()) collectNames(child, into, seen);
        }
    }
}
