package dev.netsym.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad tensor specs and the exact diagnostics a user sees: each names the shapes involved. */
class TensorSpecErrorsTest {
    private static final String HEAD = "input x[3], X[2,3]\nparam W[4,3], V[2,2], g[3]\n";

    static Stream<Arguments> badSpecs() {
        return Stream.of(
            Arguments.of("matrix product of the wrong sizes", HEAD + "y = V @ x\nobjective sum(y)\n",
                "3:9: error: @: the shapes [2,2] and [3] do not fit (the left's last axis has 2, the right's first has 3)"),
            Arguments.of("element-wise shapes that do not broadcast", HEAD + "y = W @ x + x\nobjective sum(y)\n",
                "3:5: error: +: the shapes [4] and [3] do not fit together (an axis must have the same size in both, or size 1)"),
            Arguments.of("a tensor objective", HEAD + "y = W @ x\nobjective y\n",
                "4:11: error: the objective must be a single number, but 'y' has shape [4]; add it up with sum(...) or mean(...)"),
            Arguments.of("an axis that does not exist", HEAD + "y = sum(X, 3)\nobjective sum(y)\n",
                "3:12: error: axis 3 does not exist in a tensor of shape [2,3] (axes are 1 to 2, or -1 to -2 from the last)"),
            Arguments.of("an axis that is not a number", HEAD + "y = softmax(X, w)\nobjective sum(y)\n",
                "3:16: error: an axis is a whole number: 1 for the first, -1 for the last"),
            Arguments.of("a matrix indexed with one number", HEAD + "y = W[2]\nobjective y\n",
                "3:5: error: 'W' has shape [4,3]; index it with 2 numbers, as W[i,j]"),
            Arguments.of("an element outside the shape", HEAD + "y = W[5,1]\nobjective y\n",
                "3:5: error: 'W' has shape [4,3]; W[5,1] does not exist"),
            Arguments.of("a copy of another shape", HEAD + "y = sum(W @ x) + sum(V)\nobjective y\ninit V = W\n",
                "5:6: error: 'V' has shape [2,2] but 'W' has shape [4,3]: a copy needs the same shape"),
            Arguments.of("attention with mismatched keys", HEAD + "y = attention(X, W, X)\nobjective sum(y)\n",
                "3:5: error: attention: K [4,3] and V [2,3] need the same number of rows"),
            Arguments.of("layer norm of a number", HEAD + "y = layer_norm(w)\nobjective y\n",
                "3:5: error: layer_norm normalises a vector or the rows of a matrix, not a single number"),
            Arguments.of("too many arguments", HEAD + "y = transpose(X, 1)\nobjective sum(y)\n",
                "3:5: error: transpose takes 1 argument, not 2 (netsym help spec lists the functions)"),
            Arguments.of("a layer whose expression has another shape", HEAD + "layer h[4] = dense(x) + x\nobjective sum(h)\n",
                "3:14: error: +: the shapes [4] and [3] do not fit together (an axis must have the same size in both, or size 1)"),
            Arguments.of("matrix data of the wrong length", HEAD + "y = sum(X)\nobjective y\ndata x = [1, 2, 3], X = [1, 2]\n",
                "5:25: error: 'X' has 6 elements (shape [2,3], row by row); the list gives 2"),
            Arguments.of("a reshape to another size", HEAD + "y = reshape(X, 4, 2)\nobjective sum(y)\n",
                "3:5: error: reshape: [2,3] has 6 elements, [4,2] has 8"),
            Arguments.of("a permutation with an axis twice", HEAD + "y = permute(X, 1, 1)\nobjective sum(y)\n",
                "3:5: error: permute: [1, 1] is not an order of the 2 axes of [2,3] (write each axis 1 to 2 once)"),
            Arguments.of("a pooling window larger than the input", HEAD + "y = max_pool1d(x, 4)\nobjective sum(y)\n",
                "3:5: error: max_pool1d: a window of 4 does not fit in the shape [3]"),
            Arguments.of("a slice starting before the first element", HEAD + "y = x[0:2]\nobjective sum(y)\n",
                "3:7: error: x[0:2]: 0:2 is outside x of shape [3] (positions are 1 to 3)"),
            Arguments.of("a slice past the last column", HEAD + "y = W[:, 2:4]\nobjective sum(y)\n",
                "3:10: error: W[:,2:4]: 2:4 is outside W of shape [4,3] (positions of axis 2 are 1 to 3)"),
            Arguments.of("an empty range", HEAD + "y = x[3:2]\nobjective sum(y)\n",
                "3:7: error: x[3:2]: the range 3:2 is empty (a range a:b runs from a up to b, both included)"),
            Arguments.of("a slice with too few positions", HEAD + "y = W[1:2]\nobjective sum(y)\n",
                "3:5: error: W[1:2]: W has shape [4,3], so a slice needs 2 positions, one per axis, not 1"),
            Arguments.of("a slice of a number", HEAD + "y = w[1:2]\nobjective sum(y) + w\n",
                "3:5: error: 'w' is not a vector or matrix; w[1:2] slices nothing"),
            Arguments.of("a slice of an expression outside its shape", HEAD + "y = (W @ x)[2:5]\nobjective sum(y)\n",
                "3:13: error: (W@x)[2:5]: 2:5 is outside (W@x) of shape [4] (positions are 1 to 4)"),
            Arguments.of("concat of shapes that differ", HEAD + "y = concat(W, X)\nobjective sum(y)\n",
                "3:15: error: concat along axis 2: argument 2 has shape [2,3], argument 1 [4,3]; every axis but 2 must agree"),
            Arguments.of("concat of a matrix and a vector", HEAD + "y = concat(X, x, 1)\nobjective sum(y)\n",
                "3:15: error: concat along axis 1: argument 2 has shape [3], argument 1 [2,3]; they must have the same number of axes"),
            Arguments.of("concat along an axis that does not exist", HEAD + "y = concat(X, X, 3)\nobjective sum(y)\n",
                "3:18: error: axis 3 does not exist in a tensor of shape [2,3] (axes are 1 to 2, or -1 to -2 from the last)"),
            Arguments.of("concat of one tensor", HEAD + "y = concat(X, 2)\nobjective sum(y)\n",
                "3:5: error: concat takes two tensors or more, then the axis if not the last (concat(A, B) or concat(A, B, 1)), not 1 tensor"),
            Arguments.of("concat of a number", HEAD + "y = concat(x, w)\nobjective sum(y)\n",
                "3:15: error: concat: argument 2 is a single number; concat joins vectors and matrices"),
            Arguments.of("a mixture of one expert", HEAD + "y = mixture(x, W)\nobjective sum(y)\n",
                "3:5: error: mixture takes the router's scores and two experts or more (mixture(G, E1, E2)), not 2 arguments"),
            Arguments.of("a mixture with a score per expert missing", HEAD + "y = mixture(x, X, X)\nobjective sum(y)\n",
                "3:13: error: mixture: the router's scores have shape [3], 3 along the last axis, but 2 experts are given: one score per expert"),
            Arguments.of("a mixture of experts of two shapes", HEAD + "y = mixture(x, W, V, W)\nobjective sum(y)\n",
                "3:19: error: mixture: expert 2 has shape [2,2], expert 1 [4,3]; the experts must have one shape"),
            Arguments.of("a mixture whose router rows are not the experts' rows", HEAD + "y = mixture(X, W, W, W)\nobjective sum(y)\n",
                "3:13: error: mixture: the router's scores have shape [2,3], so the experts' shape must begin with [2] "
                    + "(one set of weights per leading index), but expert 1 has shape [4,3]"),
            Arguments.of("every slice and concat error in one run", HEAD + "y = x[1:4]\nz = concat(W, X)\nv = W[5, :]\n"
                    + "objective sum(y) + sum(z) + sum(v)\n",
                "3:7: error: x[1:4]: 1:4 is outside x of shape [3] (positions are 1 to 3)\n"
                    + "4:15: error: concat along axis 2: argument 2 has shape [2,3], argument 1 [4,3]; every axis but 2 must agree\n"
                    + "5:7: error: W[5,:]: 5 is outside W of shape [4,3] (positions of axis 1 are 1 to 4)"),
            Arguments.of("all errors in one run", HEAD + "y = V @ x\nz = x + W @ x\nobjective sum(y) + sum(z)\n",
                "3:9: error: @: the shapes [2,2] and [3] do not fit (the left's last axis has 2, the right's first has 3)\n"
                    + "4:5: error: +: the shapes [3] and [4] do not fit together (an axis must have the same size in both, or size 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void reportsExactly(String what, String spec, String expected) {
        assertEquals(expected, SpecErrorsTest.errorsOf(what, spec));
    }
}
