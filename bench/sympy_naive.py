#!/usr/bin/env python3
"""The naive way to answer netsym's question, for comparison: sympy_naive.py SIZES [tanh|linear].

Builds the objective of a dense network (tanh hidden layers by default, linear ones with
`linear`, as in examples/cs231n.net: `2-2-2-1 linear`; linear last layer, objective sum of outputs)
as one SymPy expression, differentiates it by every weight, puts every weight at a, expands
each gradient and groups weights whose expanded gradients are identical. Prints the number
of groups. Exponential in depth: this is the baseline, not a method.
"""
import sys
import sympy

def main():
    sizes = [int(s) for s in sys.argv[1].split("-")]
    linear = len(sys.argv) > 2 and sys.argv[2] == "linear"
    a = sympy.Symbol("a")
    values = list(sympy.symbols("x1:%d" % (sizes[0] + 1)))
    weights = []
    for k in range(1, len(sizes)):
        layer = []
        for j in range(sizes[k]):
            ws = sympy.symbols("w%d_%d_1:%d" % (k, j + 1, sizes[k - 1] + 1))
            weights.extend(ws)
            z = sum(w * v for w, v in zip(ws, values))
            layer.append(z if linear or k == len(sizes) - 1 else sympy.tanh(z))
        values = layer
    objective = sum(values)
    at_a = {w: a for w in weights}
    groups = {}
    for w in weights:
        g = sympy.expand(sympy.diff(objective, w).subs(at_a))
        groups.setdefault(g, []).append(w)
    print(len(groups))

if __name__ == "__main__":
    main()
