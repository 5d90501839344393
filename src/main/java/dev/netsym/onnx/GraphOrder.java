package dev.netsym.onnx;

import dev.netsym.onnx.OnnxImporter.ImportError;
import dev.netsym.onnx.proto.OnnxProto.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The nodes of a graph in an order where every node comes after the nodes whose outputs it
 * uses: the file's own order when it already is one (ONNX requires it, exporters keep it).
 * Values that nothing produces, values produced twice, and cycles are refused, naming the node.
 */
final class GraphOrder {
    private GraphOrder() {}

    static List<NodeProto> of(List<NodeProto> nodes, Set<String> given) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) {
                if (out.isEmpty()) continue;
                if (given.contains(out) || producer.putIfAbsent(out, i) != null) {
                    throw new ImportError("two values are called " + OnnxImporter.quote(out) + " (node "
                            + OnnxImporter.describe(nodes.get(i)) + " computes one of them)");
                }
            }
        }
        // How many inputs of each node are still to be computed, and who waits for each node.
        int[] waiting = new int[nodes.size()];
        List<List<Integer>> users = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) users.add(new ArrayList<>());
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).getInputList()) {
                if (in.isEmpty() || given.contains(in)) continue;
                Integer from = producer.get(in);
                if (from == null) {
                    throw new ImportError("node " + OnnxImporter.describe(nodes.get(i)) + " uses " + OnnxImporter.quote(in)
                            + ", which is not an input or initializer and no node computes it");
                }
                waiting[i]++;
                users.get(from).add(i);
            }
        }
        // Ready nodes by their place in the file, so a file already in order keeps it.
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) if (waiting[i] == 0) ready.add(i);
        List<NodeProto> ordered = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            ordered.add(nodes.get(i));
            for (int user : users.get(i)) if (--waiting[user] == 0) ready.add(user);
        }
        if (ordered.size() < nodes.size()) throw new ImportError(cycle(nodes, producer, waiting, given));
        return ordered;
    }

    /** A message naming one cycle among the nodes left waiting. */
    private static String cycle(List<NodeProto> nodes, Map<String, Integer> producer, int[] waiting, Set<String> given) {
        int start = 0;
        while (waiting[start] == 0) start++;
        // Walk back along inputs still waiting: in a finite graph the walk repeats a node, on a cycle.
        List<Integer> path = new ArrayList<>();
        Map<Integer, Integer> seenAt = new HashMap<>();
        int at = start;
        while (!seenAt.containsKey(at)) {
            seenAt.put(at, path.size());
            path.add(at);
            int next = -1;
            for (String in : nodes.get(at).getInputList()) {
                Integer from = in.isEmpty() || given.contains(in) ? null : producer.get(in);
                if (from != null && waiting[from] > 0) {
                    next = from;
                    break;
                }
            }
            at = next;
        }
        // The walk went against the data's flow; say it along the flow, from the cycle's first node in the file.
        List<Integer> loop = new ArrayList<>(path.subList(seenAt.get(at), path.size()));
        java.util.Collections.reverse(loop);
        java.util.Collections.rotate(loop, -loop.indexOf(java.util.Collections.min(loop)));
        StringBuilder b = new StringBuilder("the graph has a cycle: ");
        for (int k = 0; k < Math.min(loop.size(), 6); k++) b.append("node ").append(OnnxImporter.describe(nodes.get(loop.get(k)))).append(" → ");
        if (loop.size() > 6) b.append("… → ");
        b.append("node ").append(OnnxImporter.describe(nodes.get(loop.get(0))));
        return b.toString();
    }
}
