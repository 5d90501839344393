package dev.netsym.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated network: everything the later stages need, with no trace of the parser.
 * Units are in an order where each comes after every unit it uses. Parameters are in
 * natural order of their names (w2 before w10). Vector inputs are already expanded into {@code x[1]..x[n]}.
 * {@code tensors} is the same network on whole tensors as the spec wrote it, for display;
 * {@code graph} the operations on whole tensors that compute it.
 */
public record Network(
        String name,
        List<String> inputs,
        List<String> targets,
        List<Unit> units,
        Expr objective,
        List<Parameter> parameters,
        Set<String> activations,
        List<Layer> layers,
        List<Sample> data,
        List<Assumption> assumptions,
        String optimizer,
        TensorProgram tensors,
        TensorGraph graph) {

    /** The name of a spec without a {@code network NAME} line. */
    public static final String UNNAMED = "network";

    /** The same network with this view on whole tensors. */
    public Network withTensors(TensorProgram view) {
        return new Network(name, inputs, targets, units, objective, parameters, activations, layers, data, assumptions,
                optimizer, view, graph);
    }

    /** The same network computed by these operations on whole tensors. */
    public Network withGraph(TensorGraph operations) {
        return new Network(name, inputs, targets, units, objective, parameters, activations, layers, data, assumptions,
                optimizer, tensors, operations);
    }

    /** Whether the spec gave the network a name of its own. */
    public boolean named() {
        return !name.equals(UNNAMED);
    }

    /** A network with no tensor-level view or graph (built element by element, or copied for a proof). */
    public Network(String name, List<String> inputs, List<String> targets, List<Unit> units, Expr objective,
                   List<Parameter> parameters, Set<String> activations, List<Layer> layers, List<Sample> data,
                   List<Assumption> assumptions, String optimizer) {
        this(name, inputs, targets, units, objective, parameters, activations, layers, data, assumptions, optimizer,
                TensorProgram.NONE, TensorGraph.NONE);
    }

    public Network {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        units = List.copyOf(units);
        parameters = List.copyOf(parameters);
        activations = Set.copyOf(activations);
        layers = List.copyOf(layers);
        data = List.copyOf(data);
        assumptions = List.copyOf(assumptions);
    }

    /** The objective's name as results show it: the name it is written as, or L for an expression. */
    public String objectiveName() {
        return objective instanceof Expr.Ref r ? r.name() : "L";
    }

    /** Whether some parameter learns at a rate of its own (the spec's 'lr' lines). */
    public boolean hasLearningRateGroups() {
        return parameters.stream().anyMatch(p -> !p.learningRate().equals(Rational.ONE));
    }

    /** The symbols used as initial values ({@code a} in {@code init all = a}), in order of first use. */
    public List<String> initSymbols() {
        return parameters.stream()
                .map(Parameter::init)
                .filter(i -> i instanceof Init.Symbolic)
                .map(i -> ((Init.Symbolic) i).symbol())
                .distinct()
                .toList();
    }

    /**
     * Parameter names grouped by how they start, groups in order of first appearance; all
     * random-initialised parameters share the one {@link Init.Random} group.
     */
    public Map<Init, List<String>> parametersByInit() {
        Map<Init, List<String>> groups = new java.util.LinkedHashMap<>();
        for (Parameter p : parameters) groups.computeIfAbsent(p.init(), k -> new java.util.ArrayList<>()).add(p.name());
        return groups;
    }

    public Map<String, Unit> unitsByName() {
        Map<String, Unit> map = new java.util.LinkedHashMap<>();
        for (Unit u : units) map.put(u.name(), u);
        return map;
    }
}
