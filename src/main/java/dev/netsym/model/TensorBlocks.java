package dev.netsym.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The building blocks of tensor networks (softmax, norms, attention, cross-entropy),
 * written as compositions of {@link Tensor} operations. A value used more than once
 * (softmax's normaliser, a norm's mean) is handed to the {@link Units} sink, which names it
 * as units of its own: the network computes it once and derivations show it by name.
 */
public final class TensorBlocks {

    /** Names an intermediate tensor as units and returns references to them. */
    public interface Units {
        Tensor define(String hint, Tensor value);
    }

    /** The ε PyTorch's LayerNorm adds to the variance by default. */
    public static final Rational LAYER_NORM_EPSILON = Rational.of(1, 100000);
    /** The ε of the RMSNorm of T5 and LLaMA. */
    public static final Rational RMS_NORM_EPSILON = Rational.of(1, 1000000);

    private final Units units;

    public TensorBlocks(Units units) {
        this.units = units;
    }

    /**
     * The tensor as units of its own unless its elements are already names or numbers: a block
     * uses its input many times, and a name keeps each use (and each displayed line) short.
     */
    private Tensor named(String hint, Tensor x) {
        for (int i = 0; i < x.size(); i++) {
            Expr e = x.element(i);
            if (!(e instanceof Expr.Ref) && !(e instanceof Expr.Num)) return units.define(hint, x);
        }
        return x;
    }

    public static Expr call(String function, Expr arg) {
        return new Expr.Call(function, List.of(arg));
    }

    /** exp(z) / Σ exp(z) along the axis. */
    public Tensor softmax(Tensor z, int axis) {
        return softmax(z, axis, null);
    }

    /**
     * The softmax along the axis of scores some of which are masked (−∞, as an attention mask
     * writes them; {@code masked} null when none is): a masked score's weight is exactly 0, and
     * its exponential is never computed.
     */
    public Tensor softmax(Tensor z, int axis, boolean[] masked) {
        z = named("in", z);
        Expr[] exps = new Expr[z.size()];
        for (int i = 0; i < exps.length; i++) exps[i] = masked != null && masked[i] ? Expr.Num.of(0) : call("exp", z.element(i));
        // On whole tensors a masked exponential is exp(z)·0: the same 0.
        Tensor exp = units.define("exp", masked == null ? z.map(e -> call("exp", e))
                : Tensor.of(z.shape(), exps, masking(z, masked, operand -> call("exp", operand))));
        // After naming, only the masked exponentials are numbers.
        Tensor total = units.define("sum", exp.reduce(axis, terms -> {
            List<Expr> kept = terms.stream().filter(e -> !(e instanceof Expr.Num)).toList();
            if (kept.isEmpty()) throw new Tensor.ShapeException("softmax: every score of a row is masked (−∞)");
            return Tensor.sum(kept);
        }));
        Tensor totals = z.keepAxis(total, axis).broadcastTo(z.shape());
        Expr[] out = new Expr[z.size()];
        for (int i = 0; i < out.length; i++) out[i] = exp.element(i) instanceof Expr.Num ? Expr.Num.of(0) : new Expr.Quotient(exp.element(i), totals.element(i));
        // A masked exponential is 0, and so is 0 divided by the row's total.
        Expr quotient = new Expr.Quotient(TensorNode.operand(0), TensorNode.operand(1));
        return Tensor.of(z.shape(), out, new TensorNode.Map(z.shape(), quotient, List.of(exp.node(), totals.node())));
    }

    /**
     * The operation on whole tensors of {@code f} applied where not masked and 0 where masked:
     * f(x)·m, m a constant tensor of 1s and 0s.
     */
    private static TensorNode masking(Tensor x, boolean[] masked, java.util.function.UnaryOperator<Expr> f) {
        Expr[] keep = new Expr[masked.length];
        for (int i = 0; i < keep.length; i++) keep[i] = Expr.Num.of(masked[i] ? 0 : 1);
        Expr formula = new Expr.Product(List.of(f.apply(TensorNode.operand(0)), TensorNode.operand(1)));
        return new TensorNode.Map(x.shape(), formula, List.of(x.node(), new TensorNode.Elements(x.shape(), keep)));
    }

    /**
     * A mixture of experts with a softmax router: Σ_k softmax(G)[…, k] · E_k, the router's
     * scores G along its last axis (one per expert). Each gate weight scales the elements of its
     * expert that share G's leading indices: G of shape [n] weighs whole experts, G of shape
     * [T, n] each expert's row t by its own weights. The caller checks the shapes.
     */
    public Tensor mixture(Tensor scores, List<Tensor> experts) {
        int last = scores.rank() - 1;
        Tensor gate = units.define("gate", softmax(scores, last));
        int[] expertShape = experts.get(0).shape();
        int[] padded = new int[expertShape.length];
        Arrays.fill(padded, 1);
        System.arraycopy(scores.shape(), 0, padded, 0, last);
        List<Tensor> terms = new ArrayList<>(experts.size());
        for (int k = 0; k < experts.size(); k++) {
            Tensor weight = gate.take(last, new int[0], new int[] {k}).reshape(padded).broadcastTo(expertShape);
            terms.add(Tensor.elementwise("mixture", List.of(weight, experts.get(k)), args -> Tensor.product(args.get(0), args.get(1))));
        }
        return Tensor.elementwise("mixture", terms, Tensor::sum);
    }

    /** log Σ exp(z) along the axis. */
    public Tensor logSumExp(Tensor z, int axis) {
        return z.map(e -> call("exp", e)).sum(axis).map(e -> call("log", e));
    }

    /** z − log Σ exp(z) along the axis. */
    public Tensor logSoftmax(Tensor z, int axis) {
        z = named("in", z);
        Tensor lse = units.define("lse", logSumExp(z, axis));
        return Tensor.elementwise("log_softmax", List.of(z, z.keepAxis(lse, axis)),
                args -> new Expr.Sum(List.of(args.get(0), Tensor.negate(args.get(1)))));
    }

    /**
     * The mean over the rows of −Σ t·log_softmax(z), classes along the last axis: PyTorch's
     * cross_entropy with probabilities (or one-hot rows) as targets.
     */
    public Tensor crossEntropy(Tensor z, Tensor t) {
        int last = z.rank() - 1;
        Tensor logProbabilities = logSoftmax(z, Math.max(last, 0));
        Tensor terms = Tensor.elementwise("cross_entropy", List.of(t, logProbabilities), args -> Tensor.product(args.get(0), args.get(1)));
        int rows = z.rank() <= 1 ? 1 : z.size() / z.shape()[last];
        return Tensor.scalar(Tensor.negate(Tensor.divide(terms.sumAll().scalarValue(), rows)));
    }

    /**
     * (x − mean) / √(variance + ε) over the last axis, then times the gain and plus the bias
     * when given (null when not).
     */
    public Tensor layerNorm(Tensor x, Tensor gain, Tensor bias) {
        return layerNorm(x, gain, bias, LAYER_NORM_EPSILON);
    }

    /** The layer norm with another ε (an imported model's own). */
    public Tensor layerNorm(Tensor x, Tensor gain, Tensor bias, Rational epsilon) {
        int last = lastAxis(x, "layer_norm");
        x = named("in", x);
        Tensor mean = units.define("mean", x.mean(last));
        Tensor centred = units.define("centred", Tensor.elementwise("layer_norm", List.of(x, x.keepAxis(mean, last)),
                args -> new Expr.Sum(List.of(args.get(0), Tensor.negate(args.get(1))))));
        Tensor variance = units.define("var", centred.map(e -> new Expr.Power(e, Expr.Num.of(2))).mean(last));
        Tensor scale = variance.map(v -> inverseRoot(v, epsilon));
        Tensor normalised = Tensor.elementwise("layer_norm", List.of(centred, x.keepAxis(scale, last)),
                args -> Tensor.product(args.get(0), args.get(1)));
        return affine(normalised, gain, bias);
    }

    /** x / √(mean(x²) + ε) over the last axis, times the gain when given. */
    public Tensor rmsNorm(Tensor x, Tensor gain) {
        int last = lastAxis(x, "rms_norm");
        x = named("in", x);
        Tensor meanSquare = units.define("ms", x.map(e -> new Expr.Power(e, Expr.Num.of(2))).mean(last));
        Tensor scale = meanSquare.map(v -> inverseRoot(v, RMS_NORM_EPSILON));
        Tensor normalised = Tensor.elementwise("rms_norm", List.of(x, x.keepAxis(scale, last)),
                args -> Tensor.product(args.get(0), args.get(1)));
        return affine(normalised, gain, null);
    }

    /**
     * softmax(Q·Kᵀ/√d)·V for one head, queries and keys as rows; with {@code causal}, query i
     * attends only to keys 1..i.
     */
    public Tensor attention(Tensor q, Tensor k, Tensor v, boolean causal) {
        if (q.rank() != 2 || k.rank() != 2 || v.rank() != 2) {
            throw new Tensor.ShapeException("attention takes matrices Q, K, V (one row per position); the shapes are "
                    + Tensor.describe(q.shape()) + ", " + Tensor.describe(k.shape()) + " and " + Tensor.describe(v.shape()));
        }
        if (q.shape()[1] != k.shape()[1]) {
            throw new Tensor.ShapeException("attention: Q " + Tensor.describe(q.shape()) + " and K " + Tensor.describe(k.shape())
                    + " need the same number of columns");
        }
        if (k.shape()[0] != v.shape()[0]) {
            throw new Tensor.ShapeException("attention: K " + Tensor.describe(k.shape()) + " and V " + Tensor.describe(v.shape())
                    + " need the same number of rows");
        }
        if (causal && q.shape()[0] != k.shape()[0]) {
            throw new Tensor.ShapeException("causal attention needs as many queries as keys: Q " + Tensor.describe(q.shape())
                    + ", K " + Tensor.describe(k.shape()));
        }
        Expr scale = Tensor.inverseSquareRoot(q.shape()[1]);
        Tensor raw = Tensor.matmul(q, k.transpose());
        int n = raw.shape()[1];
        Expr[] scaled = new Expr[raw.size()];
        // Scores a causal mask hides are never computed.
        for (int i = 0; i < scaled.length; i++) scaled[i] = causal && i % n > i / n ? Expr.Num.of(0) : Tensor.product(raw.element(i), scale);
        boolean[] hidden = null;
        if (causal) {
            hidden = new boolean[scaled.length];
            for (int i = 0; i < hidden.length; i++) hidden[i] = i % n > i / n;
        }
        TensorNode scaling = hidden == null
                ? new TensorNode.Map(raw.shape(), Tensor.product(TensorNode.operand(0), scale), List.of(raw.node()))
                : masking(raw, hidden, operand -> Tensor.product(operand, scale));
        Tensor scores = units.define("scores", Tensor.of(raw.shape(), scaled, scaling));
        Tensor weights = units.define("weights", softmax(scores, 1, hidden));
        return Tensor.matmul(weights, v);
    }

    /**
     * Multi-head attention: the columns of Q, K and V split into {@code heads} equal groups,
     * each head attending on its own, the results side by side again.
     */
    public Tensor multiHeadAttention(Tensor q, Tensor k, Tensor v, int heads, boolean causal) {
        if (heads == 1) return attention(q, k, v, causal);
        if (q.rank() != 2 || k.rank() != 2 || v.rank() != 2 || q.shape()[1] % heads != 0 || v.shape()[1] % heads != 0) {
            throw new Tensor.ShapeException("attention with " + heads + " heads needs matrices whose columns split into " + heads
                    + " equal parts; the shapes are " + Tensor.describe(q.shape()) + ", " + Tensor.describe(k.shape())
                    + " and " + Tensor.describe(v.shape()));
        }
        int dk = q.shape()[1] / heads;
        int dv = v.shape()[1] / heads;
        List<Tensor> outputs = new ArrayList<>(heads);
        for (int h = 0; h < heads; h++) {
            String prefix = "head" + (h + 1) + ".";
            TensorBlocks head = new TensorBlocks((hint, value) -> units.define(prefix + hint, value));
            outputs.add(head.attention(q.slice(1, h * dk, (h + 1) * dk, 1), k.slice(1, h * dk, (h + 1) * dk, 1),
                    v.slice(1, h * dv, (h + 1) * dv, 1), causal));
        }
        return Tensor.concatenate(1, outputs);
    }

    /**
     * Batch normalisation in training mode: each channel (axis 2) normalised with the mean and
     * the biased variance over the batch (axis 1) and every position, ε = 1e-5 as in PyTorch;
     * then times the gain and plus the bias of its channel (both optional, shape [channels]).
     */
    public Tensor batchNorm(Tensor x, Tensor gain, Tensor bias) {
        return batchNorm(x, gain, bias, LAYER_NORM_EPSILON);
    }

    /** The batch norm with another ε (an imported model's own). */
    public Tensor batchNorm(Tensor x, Tensor gain, Tensor bias, Rational epsilon) {
        if (x.rank() < 2) {
            throw new Tensor.ShapeException("batch_norm takes a batch [N, channels, ...], not a tensor of shape " + Tensor.describe(x.shape()));
        }
        x = named("in", x);
        // Channels first: [C, N·positions], so that each channel's statistics are one row's.
        int[] shape = x.shape();
        int batch = shape[0];
        int channels = shape[1];
        int positions = x.size() / (batch * channels);
        int[] exchange = {1, 0, 2};
        Tensor rows = x.reshape(new int[] {batch, channels, positions}).permute(exchange).reshape(new int[] {channels, batch * positions});
        Tensor normalised = layerNorm(rows, null, null, epsilon);
        Tensor out = normalised.reshape(new int[] {channels, batch, positions}).permute(exchange).reshape(shape);
        // The gain and bias of channel c apply along axis 2: shape them [C, 1, ..., 1].
        int[] channelShape = new int[shape.length - 1];
        Arrays.fill(channelShape, 1);
        channelShape[0] = channels;
        return affine(out, perChannel(gain, channelShape, "gain"), perChannel(bias, channelShape, "bias"));
    }

    private static Tensor perChannel(Tensor t, int[] channelShape, String what) {
        if (t == null) return null;
        if (t.rank() != 1 || t.size() != channelShape[0]) {
            throw new Tensor.ShapeException("batch_norm: the " + what + " has shape " + Tensor.describe(t.shape())
                    + "; it needs one value per channel, [" + channelShape[0] + "]");
        }
        return t.reshape(channelShape);
    }

    private static Tensor affine(Tensor x, Tensor gain, Tensor bias) {
        Tensor out = x;
        if (gain != null) out = Tensor.elementwise("the gain", List.of(out, gain), args -> Tensor.product(args.get(0), args.get(1)));
        if (bias != null) out = Tensor.elementwise("the bias", List.of(out, bias), args -> new Expr.Sum(List.of(args.get(0), args.get(1))));
        return out;
    }

    /** (v + ε)^(−1/2). */
    private static Expr inverseRoot(Expr v, Rational epsilon) {
        return new Expr.Power(new Expr.Sum(List.of(v, new Expr.Num(epsilon))), new Expr.Num(Rational.of(-1, 2)));
    }

    private static int lastAxis(Tensor x, String block) {
        if (x.isScalar()) throw new Tensor.ShapeException(block + " normalises a vector or the rows of a matrix, not a single number");
        return x.rank() - 1;
    }
}
