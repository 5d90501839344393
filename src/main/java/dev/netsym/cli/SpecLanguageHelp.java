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
              input X[3,4]                    a matrix input: X[1,1] ... X[3,4] (row, column)
              param W[3,4], b[3], s           parameters declared with their shape (see Tensors)
              NAME = EXPR                     a unit; units may come in any order but must not form a
                                              cycle; h[3] = EXPR defines one element of a vector h;
                                              when EXPR is a tensor, NAME is one unit per element
              layer h[256] = tanh(dense(x))   a dense layer: units h[1] ... h[256], weights W_h[j,i]
                                              (unit j, source element i); dense(x, bias) adds b_h[j]
              objective EXPR                  what gradient descent minimises; exactly one
              init SELECTOR = VALUE           how parameters start (see Initial values)
              activation f, g                 functions of unknown shape (see Activations)
              data x1 = 1, x2 = -2, t = 1/2   one sample per line (see Data)
              assume x1 >= 0, a < 0           sign facts (see Assumptions)
              optimizer adam                  recorded in the theorem: sgd (the default), momentum,
                                              nesterov, rmsprop, adagrad, adadelta, adam, adamw
                                              (adamw: proved under weight decay, see prove --optimizers)
              lr SELECTOR = FACTOR            parameter groups: what SELECTOR picks (as for init) learns at
                                              FACTOR > 0 times the optimizer's rate (lr w1, w2 = 1/2); the
                                              last line for a parameter wins; the rest keep 1

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

            Tensors
              A bare vector or matrix name stands for all its elements, and arithmetic applies element
              by element, broadcast as in NumPy (a number, or an axis of size 1, repeats to fit):
                param W[3,4], b[3]
                h = tanh(W @ x + b)           h[1] ... h[3]; W @ x is the matrix product
              Indices and axes count from 1 (W[2,3] is row 2, column 3; axis -1 is the last).
              @                               matrix product: [m,k]@[k,n] is [m,n], [m,k]@[k] is [m];
                                              leading axes are a batch: [b,m,k]@[k,n] is [b,m,n]
              transpose(A)                    rows and columns exchanged
              sum(X), mean(X)                 over all elements; sum(X, axis), mean(X, axis) over one
              softmax(X), log_softmax(X),     over the last axis, or over the axis given second:
                logsumexp(X)                  softmax(S, 1) normalises each column
              layer_norm(X, gain, bias)       each row (last axis) to mean 0 and variance 1, eps 1e-5,
                                              then times gain plus bias (both optional)
              rms_norm(X, gain)               each row divided by its root mean square (eps 1e-6)
              cross_entropy(Z, P)             mean over rows of -sum(P * log_softmax(Z)), P the target
                                              probabilities (or one-hot rows)
              attention(Q, K, V)              softmax(Q @ transpose(K) / sqrt(d)) @ V, one row per
                                              position, d the columns of Q; causal_attention(Q, K, V)
                                              lets position i attend to positions 1 ... i only
              attention(Q, K, V, heads)       multi-head: columns split into 'heads' equal groups
              conv2d(X, K, stride, padding)   X [C_in,H,W], K [C_out,C_in,kh,kw], as in PyTorch (stride
                                              and padding optional); conv1d on [C_in,L], [C_out,C_in,k]
              avg_pool2d(X, k), avg_pool1d    the mean of each k x k (or k) window, stride k
              max_pool2d(X, k, s), max_pool1d the largest of each k x k (or k) window, windows s apart
                                              (s optional: k)
              reshape(X, d1, ..., dn)         the same elements, row by row, in the shape [d1,...,dn]
              permute(X, a1, ..., an)         axis i of the result is axis ai of X
              batch_norm(X, gain, bias)       training mode: each channel (axis 2) over the batch
              flatten(X)                      the elements as one vector, row by row
              x[2:4], W[:,1:2], W[2,:]        slices: one position per axis, 1-based with both ends
                                              included (x[2:4] is x[2], x[3], x[4]); a:b, :b, a: or
                                              : keeps the axis, a single number drops it (W[2,:] is
                                              row 2 as a vector); (W @ x)[1:3] slices an expression
              concat(A, B, ..., axis)         A, B, ... joined along the axis (optional: the last),
                                              written last as a whole number; the other axes agree
              mixture(G, E1, E2, ...)         a mixture of experts: the sum of the Ek weighed by
                                              softmax(G), one score per expert along G's last axis;
                                              G [n] weighs whole experts, G [T,n] each row t
              Values used twice inside a function (softmax's normaliser, a norm's mean) become units
              of their own, named after the unit: h.sum, Y.mean, H.weights.
              init W = 0 sets every element of W; init W[1,*] = 0 one row; 'init E2 = E1' starts E2
              as an element-by-element copy of E1 (same shape), random or not: identical experts or
              heads. The objective must be a single number: sum(...) or mean(...) adds a tensor up.

            What becomes a parameter
              Every other name in a unit or the objective: with 'input x', the unit y = w*x + b has the
              parameters w and b (tensors of parameters are declared with 'param'). A misspelt input
              or a unit never defined becomes a parameter too, so 'netsym check' lists the parameters
              and warns about names that look like a slip: 'e'; a name that differs from an input's or
              target's only in its number (x2 beside input x1); a name used only in the objective
              ('objective y' with no unit y).

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
              input x[3] takes x = [1, 2, 3] (x[1] = 1, x[2] = 2, x[3] = 3) or x[1] = 1, x[2] = 2, ...;
              a matrix input takes its elements row by row: X = [1, 2, 3, 4, 5, 6] for X[2,3].

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
            every error as FILE:LINE:COL: error: message. 'netsym spec MODEL.onnx' writes an ONNX
            model as a spec (its options: netsym spec --help).
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
