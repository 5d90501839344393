package dev.netsym.proof;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random small tensor specs: a chain of tensor statements over a matrix input (products with
 * parameter matrices, biases, element-wise functions, norms, softmaxes, attention, pooling,
 * reshapes and permutations, slices and concat, residual branches, two branches whose weights start as copies, added
 * or mixed by a router),
 * an objective of the result, and initialisations that make classes (one symbol, zeros, copies,
 * whole tensors at 0). The same seed gives the same spec.
 */
final class RandomTensorSpecs {
    private RandomTensorSpecs() {}

    static String generate(long seed) {
        return new Builder(new Random(seed)).build();
    }

    private static final class Builder {
        private final Random r;
        private final StringBuilder body = new StringBuilder();
        private final List<String> params = new ArrayList<>();
        private final List<String> inits = new ArrayList<>();
        private final List<String> matrices = new ArrayList<>();
        private final List<String> vectors = new ArrayList<>();
        private int rows;
        private int cols;
        private int units;

        Builder(Random r) {
            this.r = r;
        }

        String build() {
            rows = 1 + r.nextInt(2);
            cols = 2 + r.nextInt(2);
            int inputCols = cols;
            String h = "X";
            int steps = 2 + r.nextInt(3);
            // A first product, so that there is always a parameter before the first input-only step.
            int out = 2 + r.nextInt(2);
            body.append("H0 = X @ ").append(matrix(cols, out)).append('\n');
            cols = out;
            h = "H0";
            for (int s = 0; s < steps; s++) h = step(h);
            StringBuilder spec = new StringBuilder();
            spec.append("input X[").append(rows).append(',').append(inputCols).append("]\n");
            boolean target = r.nextBoolean();
            if (target) spec.append("target T[").append(rows).append(',').append(cols).append("]\n");
            spec.append("param ").append(String.join(", ", params)).append('\n');
            spec.append(body);
            spec.append("objective ").append(objective(h, target)).append('\n');
            initialisation(spec);
            return spec.toString();
        }

        private String step(String h) {
            String value;
            switch (r.nextInt(12)) {
                case 0, 1 -> {
                    int out = 2 + r.nextInt(2);
                    value = h + " @ " + matrix(cols, out);
                    cols = out;
                }
                case 2 -> value = activation(h);
                case 3 -> value = h + " + " + vector(cols);
                case 4 -> value = r.nextBoolean() ? "layer_norm(" + h + ", " + vector(cols) + ", " + vector(cols) + ")"
                        : "rms_norm(" + h + ", " + vector(cols) + ")";
                case 5 -> value = r.nextBoolean() ? "softmax(" + h + ")" : "softmax(" + h + ", 1)";
                case 6 -> {
                    int heads = cols % 2 == 0 && r.nextBoolean() ? 2 : 1;
                    String fn = r.nextBoolean() ? "attention" : "causal_attention";
                    value = h + " + " + fn + "(" + h + " @ " + matrix(cols, cols) + ", " + h + " @ " + matrix(cols, cols) + ", "
                            + h + " @ " + matrix(cols, cols) + (heads > 1 ? ", " + heads : "") + ")";
                }
                case 7 -> {
                    // Two branches whose weights start as copies of each other, added or mixed by a router.
                    String w1 = matrix(cols, cols);
                    String w2 = matrix(cols, cols);
                    inits.add("init " + w2 + " = " + w1);
                    value = r.nextBoolean()
                            ? activation(h + " @ " + w1) + " + " + activation(h + " @ " + w2)
                            : "mixture(" + h + " @ " + matrix(cols, 2) + ", " + activation(h + " @ " + w1) + ", "
                                    + activation(h + " @ " + w2) + ")";
                }
                case 8 -> {
                    if (cols >= 2) {
                        value = r.nextBoolean() ? "max_pool1d(" + h + ", 2, 1)" : "avg_pool1d(" + h + ", " + (cols % 2 == 0 ? 2 : 1) + ")";
                        cols = value.startsWith("max") ? cols - 1 : cols / (cols % 2 == 0 ? 2 : 1);
                        if (cols < 2) {
                            int out = 2 + r.nextInt(2);
                            value = "(" + value + ") @ " + matrix(cols, out);
                            cols = out;
                        }
                    } else {
                        value = activation(h);
                    }
                }
                case 9 -> {
                    // A reshape and its inverse around a product, or a permutation there and back.
                    value = r.nextBoolean()
                            ? "reshape(reshape(" + h + ", " + (rows * cols) + "), " + rows + ", " + cols + ")"
                            : "permute(" + activation("permute(" + h + ", 2, 1)") + ", 2, 1)";
                }
                case 10 -> {
                    // A fused product split by slices, or the columns rotated by a slice and concat.
                    if (r.nextBoolean() || cols < 2) {
                        String fused = "(" + h + " @ " + matrix(cols, 2 * cols) + ")";
                        value = fused + "[:, 1:" + cols + "] + " + activation(fused + "[:, " + (cols + 1) + ":]");
                    } else {
                        value = "concat(" + h + "[:, 2:], " + activation(h + "[:, 1:1]") + ")";
                    }
                }
                default -> value = h + " + " + activation(h + " @ " + matrix(cols, cols));
            }
            String unit = "H" + (++units);
            body.append(unit).append(" = ").append(value).append('\n');
            return unit;
        }

        private String matrix(int in, int out) {
            String name = "W" + (matrices.size() + 1);
            matrices.add(name);
            params.add(name + "[" + in + "," + out + "]");
            return name;
        }

        private String vector(int size) {
            String name = "b" + (vectors.size() + 1);
            vectors.add(name);
            params.add(name + "[" + size + "]");
            return name;
        }

        private String activation(String z) {
            String[] functions = {"tanh", "relu", "sigmoid", "gelu", "erf", "silu", "softplus", "elu", "abs", "SQUARE"};
            String f = functions[r.nextInt(functions.length)];
            return f.equals("SQUARE") ? "(" + z + ")^2" : f + "(" + z + ")";
        }

        private String objective(String h, boolean target) {
            if (target) {
                return switch (r.nextInt(3)) {
                    case 0 -> "sum((" + h + " - T)^2)";
                    case 1 -> "cross_entropy(" + h + ", T)";
                    default -> "sum(" + h + " * T)";
                };
            }
            return r.nextBoolean() ? "mean(" + h + ")" : "sum(" + h + "^2) / 2";
        }

        private void initialisation(StringBuilder spec) {
            switch (r.nextInt(5)) {
                case 0 -> spec.append("init all = a\n");
                case 1 -> spec.append("init all = a\n").append(vectors.isEmpty() ? "" : "init b* = 0\n");
                case 2 -> {
                    spec.append("init all = random\n");
                    if (!matrices.isEmpty()) spec.append("init ").append(matrices.get(r.nextInt(matrices.size()))).append(" = 0\n");
                }
                case 3 -> spec.append("init all = random\n").append(vectors.isEmpty() ? "" : "init b* = 1\n");
                default -> spec.append("init all = a\n").append(matrices.isEmpty() ? "" : "init W1 = random\n");
            }
            for (String copy : inits) spec.append(copy).append('\n');
        }
    }
}
