package dev.netsym.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The spec's tensor statements as written, on whole tensors: what a person reads
 * backpropagation in. The scalar units remain what netsym computes and proves with; this view
 * only names them by tensor. {@link #NONE} when the spec has no such view (a model from ONNX,
 * or units written element by element).
 *
 * @param parameters every parameter tensor (a dense layer's W_h and b_h among them) and every
 *     scalar parameter, with its shape
 * @param statements one per unit statement or layer, each after the statements it uses
 * @param objective the objective on whole tensors, or null for {@link #NONE}
 * @param layers the names of the dense layers, whose weights are W_NAME and b_NAME
 */
public record TensorProgram(List<TensorExpr.Name> parameters, List<Statement> statements, TensorExpr objective,
                            Set<String> layers) {

    /** One statement: NAME = VALUE on whole tensors; {@code layer} when it is a dense layer. */
    public record Statement(String name, TensorExpr value, boolean layer) {}

    public static final TensorProgram NONE = new TensorProgram(List.of(), List.of(), null, Set.of());

    public TensorProgram {
        parameters = List.copyOf(parameters);
        statements = List.copyOf(statements);
        layers = Set.copyOf(layers);
    }

    public boolean present() {
        return objective != null;
    }

    /**
     * The same program with every tensor's name mapped (a model's own names for those of the spec
     * written for it); empty when some statement writes an element on its own, whose index follows
     * the spec's count from 1.
     */
    public Optional<TensorProgram> renamed(UnaryOperator<String> rename) {
        if (!present()) return Optional.of(this);
        if (objective.hasElements() || statements.stream().anyMatch(s -> s.value().hasElements())) return Optional.empty();
        List<TensorExpr.Name> renamedParameters = new ArrayList<>();
        for (TensorExpr.Name p : parameters) renamedParameters.add((TensorExpr.Name) p.renamed(rename));
        List<Statement> renamedStatements = new ArrayList<>();
        for (Statement s : statements) renamedStatements.add(new Statement(rename.apply(s.name()), s.value().renamed(rename), s.layer()));
        Set<String> renamedLayers = new HashSet<>();
        for (String layer : layers) renamedLayers.add(rename.apply(layer));
        return Optional.of(new TensorProgram(renamedParameters, renamedStatements, objective.renamed(rename), renamedLayers));
    }

    /** Whether some parameter is a tensor (a vector, matrix or more), not only single numbers. */
    public boolean hasTensorParameters() {
        return parameters.stream().anyMatch(p -> p.rank() > 0);
    }
}
