#!/usr/bin/env python3
"""Writes a dense tanh network spec: gen_dense.py SIZES STYLE > FILE.

SIZES is input-hidden...-output, e.g. 784-256-128-10. STYLE is 'layer' (the dense-layer
shorthand) or 'units' (every unit written out as an explicit equation, with the same
parameter names W_<layer>[j,i] the shorthand gives, so that the partitions compare).
The last layer is linear, the objective is the sum of the outputs, every weight starts at a.
"""
import sys

def main():
    sizes = [int(s) for s in sys.argv[1].split("-")]
    style = sys.argv[2] if len(sys.argv) > 2 else "layer"
    out = sys.stdout
    out.write("network dense_%s\n" % "_".join(map(str, sizes)))
    out.write("input x[%d]\n" % sizes[0])
    names = ["x"] + ["h%d" % k for k in range(1, len(sizes) - 1)] + ["out"]
    for k in range(1, len(sizes)):
        name, source, n, m = names[k], names[k - 1], sizes[k], sizes[k - 1]
        last = k == len(sizes) - 1
        if style == "layer":
            body = "dense(%s)" % source if last else "tanh(dense(%s))" % source
            out.write("layer %s[%d] = %s\n" % (name, n, body))
        else:
            for j in range(1, n + 1):
                terms = "+".join("W_%s[%d,%d]*%s[%d]" % (name, j, i, source, i) for i in range(1, m + 1))
                out.write("%s[%d] = %s\n" % (name, j, terms if last else "tanh(" + terms + ")"))
    out.write("objective sum(out)\n" if style == "layer" else
              "objective " + " + ".join("out[%d]" % j for j in range(1, sizes[-1] + 1)) + "\n")
    out.write("init all = a\n")

if __name__ == "__main__":
    main()
