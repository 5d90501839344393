package dev.netsym.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.SpecResult;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of bad specs and the exact diagnostics a user sees for each. */
class SpecErrorsTest {
    private static final String OK_TAIL = "\nobjective y\n";

    static Stream<Arguments> badSpecs() {
        return Stream.of(
            Arguments.of("dangling operator", "input x\ny = w*x +\nobjective y\n",
                "2:10: error: the statement ends too early: expected more after this point"),
            Arguments.of("unclosed parenthesis", "input x\ny = w*(x + 1\nobjective y\n",
                "2:13: error: unclosed '(': expected ')' before the end of the line"),
            Arguments.of("unknown function", "input x\ny = foo(w*x)" + OK_TAIL,
                "2:5: error: unknown function 'foo' (known: relu, leaky_relu, tanh, sigmoid, softplus, exp, log, "
                    + "sqrt, abs, max, min, elu, erf, gelu, gelu_tanh, silu; "
                    + "on tensors: sum, mean, transpose, softmax, log_softmax, logsumexp, flatten, layer_norm, rms_norm, "
                    + "batch_norm, cross_entropy, attention, causal_attention, conv1d, conv2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d, reshape, permute, concat, mixture; "
                    + "declare your own with 'activation foo')"),
            Arguments.of("wrong arity", "input x\ny = tanh(w, x)" + OK_TAIL,
                "2:5: error: tanh takes 1 argument, not 2"),
            Arguments.of("unit defined twice", "input x\ny = w*x\ny = v*x" + OK_TAIL,
                "3:1: error: unit 'y' is defined twice (line 2)"),
            Arguments.of("cycle", "input x\na1 = w*a2\na2 = v*a1 + x\ny = a1" + OK_TAIL,
                "2:1: error: the units form a cycle: a1 -> a2 -> a1"),
            Arguments.of("no objective", "input x\ny = w*x\n",
                "2:1: error: no objective: add a line 'objective EXPR'"),
            Arguments.of("two objectives", "input x\ny = w*x\nobjective y\nobjective y^2\n",
                "4:1: error: a second objective (the first is on line 3)"),
            Arguments.of("input and unit", "input x, y\ny = w*x" + OK_TAIL,
                "2:1: error: 'y' is used as both an input and a unit (line 1)"),
            Arguments.of("selector matching nothing", "input x\ny = w*x\nobjective y\ninit v* = 0\n",
                "4:6: error: init selector 'v*' matches no parameter"),
            Arguments.of("selector naming a unit", "input x\ny = w*x\nobjective y\ninit y = 0\n",
                "4:6: error: init selector 'y' matches no parameter ('y' is not a parameter)"),
            Arguments.of("lr selector matching nothing", "input x\ny = w*x\nobjective y\nlr v* = 1/2\n",
                "4:4: error: lr selector 'v*' matches no parameter"),
            Arguments.of("lr selector naming an input", "input x\ny = w*x\nobjective y\nlr w, x = 2\n",
                "4:7: error: lr selector 'x' matches no parameter ('x' is not a parameter)"),
            Arguments.of("zero learning rate", "input x\ny = w*x" + OK_TAIL + "lr w = 0\n",
                "4:8: error: a learning rate must be positive, not 0 (it multiplies the optimizer's learning rate)"),
            Arguments.of("negative learning rate", "input x\ny = w*x" + OK_TAIL + "lr w = -0.5\n",
                "4:8: error: a learning rate must be positive, not -0.5 (it multiplies the optimizer's learning rate)"),
            Arguments.of("learning rate divided by zero", "input x\ny = w*x" + OK_TAIL + "lr w = 1/0\n",
                "4:10: error: division by zero"),
            Arguments.of("bad rate and bad selector on one lr line", "input x\ny = w*x" + OK_TAIL + "lr y = -1\n",
                "4:4: error: lr selector 'y' matches no parameter ('y' is not a parameter)\n"
                    + "4:8: error: a learning rate must be positive, not -1 (it multiplies the optimizer's learning rate)"),
            Arguments.of("lr without a value", "input x\ny = w*x" + OK_TAIL + "lr w\n",
                "4:5: error: the statement ends too early: expected more after this point"),
            Arguments.of("misspelt lr", "input x\ny = w*x" + OK_TAIL + "lrr w = 1/2\n",
                "4:1: error: unknown statement 'lrr'; did you mean 'lr'?"),
            Arguments.of("empty file", "\n# only a comment\n",
                "1:1: error: the spec is empty: it needs at least a unit or an objective"),
            Arguments.of("stray character", "input x\ny = w*x $ 2" + OK_TAIL,
                "2:9: error: unexpected character '$'"),
            Arguments.of("deep nesting", "input x\ny = " + "(".repeat(300) + "x" + ")".repeat(300) + OK_TAIL,
                "2:205: error: brackets nested more than 200 deep"),
            Arguments.of("huge number", "input x\ny = 1e999999*x" + OK_TAIL,
                "2:5: error: the number 1e999999 is too large or too precise (at most 1000 digits)"),
            Arguments.of("division by zero", "input x\ny = w*x/0" + OK_TAIL,
                "2:9: error: division by zero"),
            Arguments.of("init division by zero", "input x\ny = w*x" + OK_TAIL + "init w = 1/0\n",
                "4:12: error: division by zero"),
            Arguments.of("init value names a unit", "input x\ny = w*x" + OK_TAIL + "init w = y\n",
                "4:10: error: 'y' already names something in the network; an initial value is a number, "
                    + "'random', or a new symbol such as 'a'"),
            Arguments.of("vector out of range", "input x[3]\ny = w*x[4]" + OK_TAIL,
                "2:7: error: 'x' has 3 elements; x[4] does not exist"),
            Arguments.of("vector objective", "input x[3]\ny = w*x" + OK_TAIL,
                "3:11: error: the objective must be a single number, but 'y' has shape [3]; add it up with sum(...) or mean(...)"),
            Arguments.of("dense outside a layer", "input x[3]\ny = dense(x)" + OK_TAIL,
                "2:5: error: dense(...) can only be used in a 'layer' statement"),
            Arguments.of("unknown optimizer", "input x\ny = w*x" + OK_TAIL + "optimizer lbfgs\n",
                "4:11: error: unknown optimizer 'lbfgs' (known: adadelta, adagrad, adam, adamw, momentum, "
                    + "nesterov, rmsprop, sgd)"),
            Arguments.of("data line missing an input", "input x1, x2\ny = w*x1 + v*x2" + OK_TAIL + "data x1 = 1\n",
                "4:1: error: this data line gives no value for x2"),
            Arguments.of("assumption on an unknown name", "input x\ny = w*x" + OK_TAIL + "assume z >= 0\n",
                "4:8: error: cannot assume anything about 'z': it is not an input, a target, a parameter or an "
                    + "initial-value symbol"),
            Arguments.of("network not first", "input x\nnetwork n\ny = w*x" + OK_TAIL,
                "2:1: error: 'network' must be the first statement"),
            Arguments.of("several errors in one run", "input x\ny = w*x +\nz = (x\nobjective y\n",
                "2:10: error: the statement ends too early: expected more after this point\n"
                    + "3:7: error: unclosed '(': expected ')' before the end of the line"),
            Arguments.of("misspelt keyword", "input x\ny = w*x\nobjectve y\n",
                "3:1: error: unknown statement 'objectve'; did you mean 'objective'?"),
            Arguments.of("python power", "input x\ny = w**2*x" + OK_TAIL,
                "2:7: error: '**' is not an operator; use ^ for powers: w^2"),
            Arguments.of("number before a name", "input x\ny = 2w*x" + OK_TAIL,
                "2:6: error: '2w' is not a name; for a product write 2*w"),
            Arguments.of("missing operator", "input x2\ny = w4 x2" + OK_TAIL,
                "2:8: error: missing operator between w4 and x2"),
            Arguments.of("missing operator after a bracket", "input x\ny = (w + 1) x" + OK_TAIL,
                "2:13: error: missing operator between ) and x"),
            Arguments.of("missing comma", "input x1 x2\ny = w*x1" + OK_TAIL,
                "1:10: error: missing ',' between x1 and x2"),
            // check promises every error in one run: an unknown optimizer hides none of the others.
            Arguments.of("unknown optimizer and an unknown function", "input x\noptimizer adamm\ny = foo(w*x)" + OK_TAIL,
                "2:11: error: unknown optimizer 'adamm' (known: adadelta, adagrad, adam, adamw, momentum, "
                    + "nesterov, rmsprop, sgd)\n"
                    + "3:5: error: unknown function 'foo' (known: relu, leaky_relu, tanh, sigmoid, softplus, exp, log, "
                    + "sqrt, abs, max, min, elu, erf, gelu, gelu_tanh, silu; "
                    + "on tensors: sum, mean, transpose, softmax, log_softmax, logsumexp, flatten, layer_norm, rms_norm, "
                    + "batch_norm, cross_entropy, attention, causal_attention, conv1d, conv2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d, reshape, permute, concat, mixture; "
                    + "declare your own with 'activation foo')"),
            Arguments.of("unknown optimizer and a syntax error", "input x\ny = w*x +\nobjective y\noptimizer lbfgs\n",
                "2:10: error: the statement ends too early: expected more after this point\n"
                    + "4:11: error: unknown optimizer 'lbfgs' (known: adadelta, adagrad, adam, adamw, momentum, "
                    + "nesterov, rmsprop, sgd)"),
            Arguments.of("vector data of the wrong length", "input x[3]\ny = w*x[1]" + OK_TAIL + "data x = [1, 2]\n",
                "4:10: error: 'x' has 3 elements; the list gives 2"),
            Arguments.of("vector data given one number", "input x[3]\ny = w*x[1]" + OK_TAIL + "data x = 1\n",
                "4:6: error: 'x' is a vector of 3; give all its elements as x = [v1, ..., v3] or each as x[i] = v"),
            Arguments.of("a list for a scalar input", "input x\ny = w*x" + OK_TAIL + "data x = [1]\n",
                "4:6: error: 'x' is not a vector input or target; a list [...] gives the elements of one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void reportsExactly(String what, String spec, String expected) {
        assertEquals(expected, errorsOf(what, spec));
    }

    /** The spec's errors as a user sees them, one per line, without the file name. */
    static String errorsOf(String what, String spec) {
        SpecResult result = SpecParser.parse(spec.getBytes(StandardCharsets.UTF_8));
        assertTrue(result.hasErrors(), what + " should be an error");
        return result.diagnostics().stream().filter(Diagnostic::isError)
                .map(d -> d.format("f").substring(2)).collect(Collectors.joining("\n"));
    }

    @ParameterizedTest(name = "not UTF-8")
    @MethodSource("notUtf8")
    void refusesBytesThatAreNotUtf8(byte[] bytes, String expected) {
        SpecResult result = SpecParser.parse(bytes);
        assertEquals(expected, result.diagnostics().get(0).format("f"));
    }

    static Stream<Arguments> notUtf8() {
        byte[] latin1 = "input x\ny = w\u00e9*x\n".getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(Arguments.of(latin1,
                "f:2:6: error: the file is not UTF-8 text (byte 0xE9 at offset 13)"));
    }
}
