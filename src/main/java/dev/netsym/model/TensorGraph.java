package dev.netsym.model;

import java.util.LinkedHashMap;

/**
 * The network as operations on whole tensors: each unit tensor's node (a unit written as a
 * single number is a tensor of shape []) and the objective's. A {@link TensorNode.Named} that
 * names a unit here stands for that unit's node; the units' elements are named with indices
 * from {@code first} (1 in a spec, 0 in a model from PyTorch). {@link #NONE} when a network was
 * not built from tensors this way (or was rewritten since, as a proof rewrites it).
 */
public record TensorGraph(java.util.Map<String, TensorNode> units, TensorNode objective, int first) {

    public static final TensorGraph NONE = new TensorGraph(java.util.Map.of(), null, 1);

    public TensorGraph {
        units = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(units));
    }

    public boolean present() {
        return objective != null;
    }
}
