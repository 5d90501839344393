package dev.netsym.render;

import dev.netsym.model.Expr;
import dev.netsym.model.Layer;
import dev.netsym.model.Network;
import dev.netsym.model.Parameter;
import dev.netsym.model.Tensor;
import dev.netsym.model.TensorGraph;
import dev.netsym.model.TensorNode;
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
     * @param shape for a block that is a whole tensor, its shape ("[4,64]"); empty for a layer or vector
     */
    public record Node(String id, String name, Kind kind, int column, int row, List<String> members,
                       List<String> ownParameters, boolean inputBlock, String shape) {
        public Node {
            members = List.copyOf(members);
            ownParameters = List.copyOf(ownParameters);
        }
    }

    /**
     * An arrow from a source to a node that uses it, with the parameters on it (maybe none) and,
     * in a picture of whole tensors, the names of the parameter tensors they belong to.
     */
    public record Edge(Node from, Node to, List<String> parameters, List<String> tensors) {
        public Edge {
            parameters = List.copyOf(parameters);
            tensors = List.copyOf(tensors);
        }
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
        if (TensorBuilder.applies(network, blockThreshold)) return new TensorBuilder(network).build();
        return new Builder(network, blockThreshold).build();
    }

    public List<Node> nodes() { return nodes; }

    public List<Edge> edges() { return edges; }

    public int columnCount() { return columns; }

    public boolean hasBlocks() { return nodes.stream().anyMatch(n -> n.kind() == Kind.BLOCK); }

    /** The tensors elements belong to, once each in order: W for W[2,3], the name itself for a single number. */
    static List<String> tensorsOf(List<String> elements) {
        Set<String> tensors = new LinkedHashSet<>();
        for (String e : elements) tensors.add(TensorBuilder.tensorOf(e));
        return List.copyOf(tensors);
    }

    /** Whether its blocks are whole tensors (a picture of tensor statements), not layers or vectors. */
    public boolean ofTensors() { return nodes.stream().anyMatch(n -> !n.shape().isEmpty()); }

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
                edges.add(new Edge(pair.get(0), pair.get(1), List.copyOf(e.getValue()), List.of()));
            }
            List<Node> withOwn = new ArrayList<>();
            Map<Node, Node> replaced = new HashMap<>();
            for (Node n : nodes) {
                Set<String> own = new LinkedHashSet<>();
                for (String m : n.members()) own.addAll(ownByNode.getOrDefault(m, List.of()));
                Node updated = new Node(n.id(), n.name(), n.kind(), n.column(), n.row(), n.members(),
                        List.copyOf(own), n.inputBlock(), n.shape());
                withOwn.add(updated);
                replaced.put(n, updated);
            }
            edges.replaceAll(e -> new Edge(replaced.get(e.from()), replaced.get(e.to()), e.parameters(), e.tensors()));
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
            Node n = new Node("n" + nodes.size(), name, kind, column, row, members, List.of(), inputBlock, "");
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
    /**
     * The picture of a network written as statements on tensors: one node per tensor (an input, a
     * statement's value, the objective) and one edge per tensor a statement reads, labelled with
     * the parameter tensors in the same term of its sum (X @ W + b: an edge X → H carrying W, and b
     * as H's own). Element by element, a small transformer is a node per activation and hundreds
     * of thousands of edges; this way it is a node per line of its spec. The intermediate values a
     * block names owner.hint (softmax's normaliser …) belong to their owner's node.
     */
    private static final class TensorBuilder {
        private final Network network;
        private final TensorGraph graph;
        private final Set<String> parameterNames = new HashSet<>();
        private final Set<String> inputNames;
        private final Set<String> targetNames;
        private final Map<String, Node> nodeOf = new HashMap<>();
        private final Map<String, Integer> depth = new HashMap<>();
        private final Map<String, String> shapeOf = new HashMap<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Map<Integer, Integer> rowsUsed = new HashMap<>();
        private final Map<String, List<String>> ownOf = new HashMap<>();

        /** The parameters, sources and parameter tensors of one term of a statement's sum. */
        private static final class Term {
            final Set<String> sources = new LinkedHashSet<>();
            final Set<String> tensors = new LinkedHashSet<>();
            final Set<String> parameters = new LinkedHashSet<>();
        }

        TensorBuilder(Network network) {
            this.network = network;
            this.graph = network.graph();
            for (Parameter p : network.parameters()) parameterNames.add(p.name());
            inputNames = new HashSet<>(network.inputs());
            targetNames = new HashSet<>(network.targets());
        }

        /**
         * Whether every unit is an element of a tensor the graph computes, and some tensor other
         * than a dense layer is too big to draw element by element: small tensor networks keep
         * their picture of single units, layer networks their picture of layer blocks.
         */
        static boolean applies(Network network, int threshold) {
            TensorGraph graph = network.graph();
            if (!graph.present()) return false;
            for (Unit u : network.units()) if (!graph.units().containsKey(tensorOf(u.name()))) return false;
            Set<String> layers = new HashSet<>();
            for (Layer l : network.layers()) layers.add(l.name());
            for (var u : graph.units().entrySet()) {
                if (!layers.contains(u.getKey()) && Tensor.size(u.getValue().shape()) > threshold) return true;
            }
            return false;
        }

        /** The tensor an element's name belongs to: W for W[2,3], the name itself for a single number. */
        private static String tensorOf(String name) {
            int bracket = name.lastIndexOf('[');
            return bracket > 0 && name.endsWith("]") ? name.substring(0, bracket) : name;
        }

        /** An intermediate value of a block (owner.hint), drawn as part of its owner (a unit or the objective). */
        private boolean isPart(String unit) {
            int dot = unit.indexOf('.');
            if (dot <= 0) return false;
            String owner = unit.substring(0, dot);
            return owner.equals("objective") || graph.units().containsKey(owner);
        }

        NetworkLayout build() {
            Map<String, List<String>> inputGroups = new LinkedHashMap<>();
            for (String input : network.inputs()) inputGroups.computeIfAbsent(tensorOf(input), k -> new ArrayList<>()).add(input);
            Map<String, List<String>> unitGroups = new LinkedHashMap<>();
            for (Unit u : network.units()) {
                String tensor = tensorOf(u.name());
                if (!isPart(tensor)) unitGroups.computeIfAbsent(tensor, k -> new ArrayList<>()).add(u.name());
            }
            Map<String, List<Term>> termsOf = new LinkedHashMap<>();
            for (String unit : unitGroups.keySet()) termsOf.put(unit, terms(graph.units().get(unit)));
            List<Term> objectiveTerms = graph.objective() instanceof TensorNode.Named n && unitGroups.containsKey(n.name())
                    ? null : terms(graph.objective());

            for (var g : inputGroups.entrySet()) {
                depth.put(g.getKey(), 0);
                nodeOf.put(g.getKey(), add(g.getKey(), Kind.INPUT, 0, g.getValue()));
            }
            Map<List<String>, Term> edges = new LinkedHashMap<>();
            for (var u : termsOf.entrySet()) {
                int d = 1;
                for (Term t : u.getValue()) for (String s : t.sources) d = Math.max(d, depth.getOrDefault(s, 0) + 1);
                depth.put(u.getKey(), d);
                nodeOf.put(u.getKey(), add(u.getKey(), Kind.UNIT, d, unitGroups.get(u.getKey())));
                collect(u.getKey(), u.getValue(), edges);
            }
            if (objectiveTerms != null) {
                int d = 1;
                for (Term t : objectiveTerms) for (String s : t.sources) d = Math.max(d, depth.getOrDefault(s, 0) + 1);
                Set<String> used = new LinkedHashSet<>();
                for (Term t : objectiveTerms) used.addAll(t.sources);
                Map<String, List<String>> targetGroups = new LinkedHashMap<>();
                for (String t : network.targets()) targetGroups.computeIfAbsent(tensorOf(t), k -> new ArrayList<>()).add(t);
                for (var t : targetGroups.entrySet()) {
                    if (used.contains(t.getKey())) nodeOf.put(t.getKey(), add(t.getKey(), Kind.TARGET, Math.max(0, d - 1), t.getValue()));
                }
                String key = "\u0000objective";
                nodeOf.put(key, addNode("L", Kind.OBJECTIVE, d, List.of(), false, ""));
                collect(key, objectiveTerms, edges);
            }

            List<Edge> drawn = new ArrayList<>();
            for (var e : edges.entrySet()) {
                Node from = nodeOf.get(e.getKey().get(0));
                Node to = nodeOf.get(e.getKey().get(1));
                if (from == null || to == null || from == to) continue;
                drawn.add(new Edge(from, to, List.copyOf(e.getValue().parameters), List.copyOf(e.getValue().tensors)));
            }
            List<Node> withOwn = new ArrayList<>();
            Map<String, Node> replaced = new HashMap<>();
            for (Node n : nodes) {
                Node updated = new Node(n.id(), n.name(), n.kind(), n.column(), n.row(), n.members(),
                        ownOf.getOrDefault(n.id(), List.of()), n.inputBlock(), n.shape());
                withOwn.add(updated);
                replaced.put(n.id(), updated);
            }
            drawn.replaceAll(e -> new Edge(replaced.get(e.from().id()), replaced.get(e.to().id()), e.parameters(), e.tensors()));
            return new NetworkLayout(withOwn, drawn);
        }

        /** Edges into a node from its terms' sources (a weighted and a plain use are two); a term with none is the node's own. */
        private void collect(String node, List<Term> terms, Map<List<String>, Term> edges) {
            for (Term t : terms) {
                if (t.sources.isEmpty()) {
                    String id = nodeOf.get(node).id();
                    List<String> own = new ArrayList<>(ownOf.getOrDefault(id, List.of()));
                    own.addAll(t.parameters);
                    ownOf.put(id, own);
                }
                for (String s : t.sources) {
                    Term edge = edges.computeIfAbsent(List.of(s, node, t.parameters.isEmpty() ? "plain" : "weighted"), k -> new Term());
                    edge.parameters.addAll(t.parameters);
                    edge.tensors.addAll(t.tensors);
                }
            }
        }

        /** A tensor's node: a block when it has several elements, else a single input, target or unit. */
        private Node add(String tensor, Kind kind, int column, List<String> members) {
            if (members.size() == 1 && members.get(0).equals(tensor)) return addNode(tensor, kind, column, members, false, "");
            TensorNode unit = graph.units().get(tensor);
            String shape = unit != null ? Tensor.describe(unit.shape()) : shapeOf.getOrDefault(tensor, shapeOfElements(members));
            return addNode(tensor, Kind.BLOCK, column, members, kind == Kind.INPUT || kind == Kind.TARGET, shape);
        }

        /** The shape the element names span: [4,64] for x[1,1] … x[4,64] (indices from the graph's first). */
        private String shapeOfElements(List<String> members) {
            int[] largest = null;
            for (String m : members) {
                int open = m.lastIndexOf('[');
                String[] parts = m.substring(open + 1, m.length() - 1).split(",");
                if (largest == null) largest = new int[parts.length];
                if (parts.length != largest.length) return "[" + members.size() + "]";
                for (int d = 0; d < parts.length; d++) largest[d] = Math.max(largest[d], Integer.parseInt(parts[d].trim()));
            }
            int[] shape = new int[largest.length];
            for (int d = 0; d < shape.length; d++) shape[d] = largest[d] - graph.first() + 1;
            return Tensor.describe(shape);
        }

        private Node addNode(String name, Kind kind, int column, List<String> members, boolean inputBlock, String shape) {
            int row = rowsUsed.merge(column, 1, Integer::sum) - 1;
            Node n = new Node("n" + nodes.size(), name, kind, column, row, members, List.of(), inputBlock, shape);
            nodes.add(n);
            return n;
        }

        /** A statement's value as the terms of its sum, when it is a sum of whole tensors; else one term. */
        private List<Term> terms(TensorNode top) {
            List<Term> out = new ArrayList<>();
            if (top instanceof TensorNode.Map m && m.formula() instanceof Expr.Sum sum) {
                for (Expr t : sum.terms()) {
                    Term term = new Term();
                    List<TensorNode> operands = new ArrayList<>();
                    for (String name : namesIn(t)) {
                        if (name.startsWith("#")) operands.add(m.operands().get(Integer.parseInt(name.substring(1))));
                        else name(name, term, operands);
                    }
                    walk(operands, term);
                    out.add(term);
                }
                return out;
            }
            Term term = new Term();
            walk(List.of(top), term);
            out.add(term);
            return out;
        }

        /** What the nodes read, down to named tensors: sources, and parameter tensors with all their elements. */
        private void walk(List<TensorNode> roots, Term term) {
            // Depth first, operands in order: the tensors come in the order the statement reads them.
            java.util.ArrayDeque<TensorNode> todo = new java.util.ArrayDeque<>();
            for (int i = roots.size() - 1; i >= 0; i--) todo.push(roots.get(i));
            Set<TensorNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            while (!todo.isEmpty()) {
                TensorNode node = todo.pop();
                if (!seen.add(node)) continue;
                List<TensorNode> next = new ArrayList<>();
                if (node instanceof TensorNode.Named n) {
                    named(n, term, next);
                } else if (node instanceof TensorNode.Elements e) {
                    for (Expr element : e.elements()) for (String name : namesIn(element)) name(name, term, next);
                } else if (node instanceof TensorNode.Gather g) {
                    next.addAll(g.sources());
                } else if (node instanceof TensorNode.Map m) {
                    next.addAll(m.operands());
                    for (String name : namesIn(m.formula())) if (!name.startsWith("#")) name(name, term, next);
                } else if (node instanceof TensorNode.Rows r) {
                    next.add(r.source());
                    for (String name : namesIn(r.formula())) if (!name.startsWith("#")) name(name, term, next);
                } else if (node instanceof TensorNode.MatMul p) {
                    next.add(p.left());
                    next.add(p.right());
                }
                for (int i = next.size() - 1; i >= 0; i--) todo.push(next.get(i));
            }
        }

        private void named(TensorNode.Named n, Term term, List<TensorNode> next) {
            String first = n.shape().length == 0 ? n.name() : Tensor.elementName(n.name(), n.shape(), 0, n.first());
            if (graph.units().containsKey(n.name())) {
                if (isPart(n.name())) next.add(graph.units().get(n.name()));
                else term.sources.add(n.name());
                return;
            }
            if (n.shape().length > 0) shapeOf.putIfAbsent(n.name(), Tensor.describe(n.shape()));
            if (parameterNames.contains(first)) {
                term.tensors.add(n.name());
                for (int flat = 0, size = Tensor.size(n.shape()); flat < size; flat++) {
                    term.parameters.add(n.shape().length == 0 ? n.name() : Tensor.elementName(n.name(), n.shape(), flat, n.first()));
                }
            } else if (inputNames.contains(first) || targetNames.contains(first)) {
                term.sources.add(n.name());
            }
        }

        /** A name a formula or an element uses: a parameter, an input or target, or an element of a unit. */
        private void name(String name, Term term, List<TensorNode> next) {
            String tensor = tensorOf(name);
            if (parameterNames.contains(name)) {
                term.tensors.add(tensor);
                term.parameters.add(name);
            } else if (inputNames.contains(name) || targetNames.contains(name)) {
                term.sources.add(tensor);
            } else if (graph.units().containsKey(tensor)) {
                if (isPart(tensor)) next.add(graph.units().get(tensor));
                else term.sources.add(tensor);
            }
        }

        /** The names an expression refers to, once each, in order of first use. */
        private static Set<String> namesIn(Expr e) {
            Set<String> names = new LinkedHashSet<>();
            Builder.collectNames(e, names, Collections.newSetFromMap(new IdentityHashMap<>()));
            return names;
        }
    }
}
