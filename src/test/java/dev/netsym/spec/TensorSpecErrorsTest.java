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
