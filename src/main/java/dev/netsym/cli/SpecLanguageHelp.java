package dev.netsym.cli;

import dev.netsym.model.Builtin;

/** {@code netsym help spec}: the spec language in the terminal, the same facts as README.md. */
final class SpecLanguageHelp {
    private SpecLanguageHelp() {}

    static final String TEXT = """
            The netsym spec language

            A spec describes one network: its inputs, its units, one objective, and how the parameters
            start. One statement per line (or several separated by ';'); '#' starts a comment; a line
            ending in '\\' continues on the next. Names are letters, digits and '_', not starting with a
            digit, and case-sensitive (W1 and w1 differ); keywords can be used as names.

              network cs231n_toy
              input x1, x2
              y1 = w1*x1 + w3*x2
              y2 = w2*x1 + w4*x2
              y  = w5*y1 + w6*y2
              objective y
              init all = a

            Statements
              network NAME                    optional, first: the network's name
              input x1, x2  /  input x[784]   data inputs; x[784] declares x[1] ... x[784]
              target t  /  target t[10]       data targets, for objectives such as (y - t)^2
              NAME = EXPR                     a unit; units may come in any order but must not form a
                                              cycle; h[3] = EXPR defines one element of a vector h
              layer h[256] = tanh(dense(x))   a dense layer: units h[1] ... h[256], weights W_h[j,i]
                                              (unit j, source element i); dense(x, bias) adds b_h[j]
              objective EXPR                  what gradient descent minimises; exactly one
              init SELECTOR = VALUE           how parameters start (see Initial values)
              activation f, g                 functions of unknown shape (see Activations)
              data x1 = 1, x2 = -2, t = 1/2   one sample per line (see Data)
              assume x1 >= 0, a < 0           sign facts (see Assumptions)
              optimizer adam                  recorded in the theorem: sgd (the default), momentum,
                                              nesterov, rmsprop, adagrad, adadelta, adam, adamw

            Expressions
              Numbers (2, 0.25, 1/2, 1e-3), names, + - * / ^, unary minus and parentheses.
              Powers are w^2, not w**2; a product needs its '*': 2*w, not 2w; w4*x2, not w4 x2.
              Functions, and the declared activations (e is a name like any other: for e^z write exp(z)):
            %s
              sum(EXPR) adds EXPR over the elements of the vectors it names: objective sum(out),
              objective sum((out - t)^2). In a layer, a bare vector of the layer's size stands for its
              element: layer r[4] = h + dense(h) is a residual connection.
              At kinks the convention is PyTorch's: relu'(0) = 0, leaky_relu'(0) is the slope, abs'(0) = 0,
              elu'(0) = 1, and where the two arguments of max or min are equal each gets half the slope.

            What becomes a parameter
              Every other name in a unit or the objective: with 'input x', the unit y = w*x + b has the
              parameters w and b. A misspelt input or a unit never defined becomes a parameter too, so
              'netsym check' lists the parameters and warns about names that look like a slip: 'e'; a
              name that differs from an input's or target's only in its number (x2 beside input x1);
              a name used only in the objective ('objective y' with no unit y).

            Initial values
              init SELECTOR = VALUE. SELECTOR is all, a comma list of parameter names, or a glob (w*,
              b?, W_h1*). VALUE is a number (0, -2, 1/2, 0.25), a new symbol (init all = a: every
              parameter it selects starts at the same unknown value a), or random (each its own
              independent value). Later lines override earlier ones; a parameter no line selects is
              random.

            Activations
              'activation f' declares f as a differentiable function of unknown shape, called as f(z):
              results then hold for every such function. derive writes its derivative f'(z).

            Data
              Without data lines, results hold for every dataset. Each data line is one sample and
              gives every input and target a number; results then hold for that dataset. A vector
              input x[3] takes x = [1, 2, 3] (x[1] = 1, x[2] = 2, x[3] = 3) or x[1] = 1, x[2] = 2, ...

            Assumptions
              assume NAME OP NUMBER, OP one of < <= > >=, about inputs, targets, initial-value symbols
              or initial values of parameters. With 'assume x1 >= 0, x2 >= 0, a < 0' prove can show
              that a ReLU never fires (examples/dead-relu.net).

            What prove reports
              classes      {w1, w2} ...: parameters gradient descent keeps equal at every step, for
                           every dataset, batch order and learning-rate schedule; each class is one
                           trainable value. Frozen parameters never move from their initial value.
              c1, c2, ...  the value of each class, in "What the network really is": the objective
                           written with one symbol per class.
              separations  pairs shown to differ, each with a witness: a concrete run of gradient
                           descent and the first step at which the two values differ.
              undecided    a pair that "might stay equal" or a parameter that "might never move":
                           neither a proof nor a witness was found, so it is kept apart and every
                           claim stays sound.

            Examples of every feature are in examples/; 'netsym check FILE' reads a spec and reports
            every error as FILE:LINE:COL: error: message.
            """.formatted(functions());

    /** One line per builtin function, from the table of functions: its call and what it is. */
    private static String functions() {
        StringBuilder table = new StringBuilder();
        for (Builtin f : Builtin.values()) {
            String line = "    " + f.signature();
            if (!f.help().isEmpty()) line = String.format("%-26s%s", line, f.help());
            table.append(table.length() == 0 ? "" : "\n").append(line);
        }
        return table.toString();
    }
}
