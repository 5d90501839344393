#!/usr/bin/env python3
"""Makes the ONNX fixture models in this folder: small PyTorch networks with deliberate starting
values (constants, zeros, copies) exported to NAME.onnx, for netsym's ONNX importer.

Run: /usr/bin/python3 examples/onnx/export.py   (needs PyTorch 1.13 and the onnx package)

Every model is exported in training mode without constant folding, so each parameter stays its own
initializer under its PyTorch name (`base.weight`, `experts.0.bias`, ...) and BatchNorm computes with
batch statistics. Shapes are fixed (batch 2) except in `dynamic_batch`; `eval_merged` and
`eval_experts` are exported the way an inference user would (eval mode, constant folding on), to show
what that does to the initializers. Seeds are fixed: a re-run writes
byte-identical files. The script ends by printing each file's opset, operators, initializers and
graph inputs/outputs (the summary in README.md).
"""
import math
import sys
import warnings
from collections import Counter
from pathlib import Path

import onnx
import torch
from torch import nn
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
BATCH = 2


class MlpConstant(nn.Module):
    """The cs231n question, with a tanh: x[2] -> tanh(hidden x)[3] -> out[1], no biases, and every
    weight starting at the same constant 0.5 (a constant that is exact in float32)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 3, bias=False)
        self.out = nn.Linear(3, 1, bias=False)
        for p in self.parameters():
            nn.init.constant_(p, 0.5)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


class Lora(nn.Module):
    """y = base(x) + lora_B(lora_A(x)); base random, lora_B zero, lora_A random or zero."""

    def __init__(self, zero_a):
        super().__init__()
        self.base = nn.Linear(4, 3, bias=False)
        self.lora_A = nn.Linear(4, 2, bias=False)
        self.lora_B = nn.Linear(2, 3, bias=False)
        nn.init.zeros_(self.lora_B.weight)
        if zero_a:
            nn.init.zeros_(self.lora_A.weight)

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(x))


class ReZero(nn.Module):
    """x + alpha * tanh(f(x)), alpha a 0-d parameter starting at 0."""

    def __init__(self):
        super().__init__()
        self.f = nn.Linear(3, 3)
        self.alpha = nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return x + self.alpha * torch.tanh(self.f(x))


class Experts(nn.Module):
    """Two tanh experts, the second a copy of the first, mixed by a softmax gate that starts at 0."""

    def __init__(self):
        super().__init__()
        self.gate = nn.Linear(3, 2)
        self.experts = nn.ModuleList([nn.Linear(3, 2), nn.Linear(3, 2)])
        nn.init.zeros_(self.gate.weight)
        nn.init.zeros_(self.gate.bias)
        self.experts[1].load_state_dict(self.experts[0].state_dict())

    def forward(self, x):
        weights = torch.softmax(self.gate(x), dim=-1)                            # [batch, 2]
        outputs = torch.stack([torch.tanh(e(x)) for e in self.experts], dim=1)   # [batch, 2, 2]
        return (weights.unsqueeze(-1) * outputs).sum(dim=1)


class AttentionZeroQuery(nn.Module):
    """Single-head self-attention on 3 positions of width 4, residual, then LayerNorm; the query
    projection (weight and bias) starts at 0, so the attention starts uniform."""

    def __init__(self):
        super().__init__()
        self.q = nn.Linear(4, 4)
        self.k = nn.Linear(4, 4)
        self.v = nn.Linear(4, 4)
        self.o = nn.Linear(4, 4)
        self.norm = nn.LayerNorm(4)
        nn.init.zeros_(self.q.weight)
        nn.init.zeros_(self.q.bias)

    def forward(self, x):                                                        # x [batch, 3, 4]
        scores = self.q(x) @ self.k(x).transpose(-2, -1) / math.sqrt(4)
        attended = torch.softmax(scores, dim=-1) @ self.v(x)
        return self.norm(x + self.o(attended))


class CnnBn(nn.Module):
    """conv -> BatchNorm -> relu -> maxpool -> conv -> BatchNorm with gamma 0 (ResNet's zero-init
    residual) -> residual add -> relu -> global average pool -> flatten -> linear. The convolutions
    keep their biases on purpose: in training mode BatchNorm subtracts the batch mean, so a bias in
    front of it gets a zero gradient."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(2)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(2, 2, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(2)
        self.head = nn.Linear(2, 1)
        nn.init.zeros_(self.bn2.weight)

    def forward(self, x):                                                        # x [batch, 1, 6, 6]
        h = self.pool(torch.relu(self.bn1(self.conv1(x))))                       # [batch, 2, 3, 3]
        h = torch.relu(h + self.bn2(self.conv2(h)))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


class EmbeddingTied(nn.Module):
    """Token ids -> embedding rows -> tanh(body) -> logits against the same embedding matrix."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(6, 4)
        self.body = nn.Linear(4, 4)

    def forward(self, tokens):                                                   # tokens [batch, 3]
        h = torch.tanh(self.body(self.embed(tokens)))
        return h @ self.embed.weight.t()                                         # [batch, 3, 6]


class GptBlock(nn.Module):
    """One pre-norm GPT block at toy size: vocabulary 6, 3 positions, width 4, 2 heads, causal mask,
    exact (erf) GELU with a 4x MLP, a final LayerNorm and a head tied to the token embedding the way
    GPT-2 code ties it (head.weight = wte.weight). Sizes are Python constants, so the export has no
    shape arithmetic."""

    VOCAB, POSITIONS, WIDTH, HEADS = 6, 3, 4, 2

    def __init__(self):
        super().__init__()
        c = self.WIDTH
        self.wte = nn.Embedding(self.VOCAB, c)
        self.wpe = nn.Parameter(0.1 * torch.randn(self.POSITIONS, c))
        self.ln1 = nn.LayerNorm(c)
        self.q = nn.Linear(c, c)
        self.k = nn.Linear(c, c)
        self.v = nn.Linear(c, c)
        self.proj = nn.Linear(c, c)
        self.ln2 = nn.LayerNorm(c)
        self.fc = nn.Linear(c, 4 * c)
        self.fc_out = nn.Linear(4 * c, c)
        self.ln_f = nn.LayerNorm(c)
        self.head = nn.Linear(c, self.VOCAB, bias=False)
        self.head.weight = self.wte.weight

    def split_heads(self, t):                                                    # [B,T,C] -> [B,H,T,C/H]
        return t.reshape(BATCH, self.POSITIONS, self.HEADS, self.WIDTH // self.HEADS).transpose(1, 2)

    def attention(self, x):
        q, k, v = self.split_heads(self.q(x)), self.split_heads(self.k(x)), self.split_heads(self.v(x))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.WIDTH // self.HEADS)
        causal = torch.ones(self.POSITIONS, self.POSITIONS).tril()
        scores = scores.masked_fill(causal == 0, float("-inf"))
        attended = torch.softmax(scores, dim=-1) @ v                              # [B,H,T,C/H]
        return self.proj(attended.transpose(1, 2).reshape(BATCH, self.POSITIONS, self.WIDTH))

    def forward(self, tokens):                                                   # tokens [batch, 3]
        h = self.wte(tokens) + self.wpe
        h = h + self.attention(self.ln1(h))
        h = h + self.fc_out(F.gelu(self.fc(self.ln2(h))))
        return self.head(self.ln_f(h))                                           # [batch, 3, 6]


class SmallMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 4)
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


class Fixture:
    """One exported file: how to build the model, its example inputs, opset and the loss the
    reference verdicts train it with ("mse" against random targets, or "cross_entropy" against
    random next tokens)."""

    def __init__(self, name, build, inputs, opset, question, loss="mse", output="y", verdicts=True,
                 eval_export=False, dynamic_batch=False):
        self.name, self.build, self.inputs, self.opset, self.question = name, build, inputs, opset, question
        self.loss, self.output, self.verdicts = loss, output, verdicts
        self.eval_export, self.dynamic_batch = eval_export, dynamic_batch

    def model(self):
        """The model at its starting values (seeded, so every call gives the same values)."""
        torch.manual_seed(0)
        return self.build()

    def example_inputs(self, generator):
        """(name, tensor) pairs: floats standard normal, tokens uniform over the vocabulary."""
        out = []
        for name, shape, vocab in self.inputs:
            if vocab:
                out.append((name, torch.randint(vocab, shape, generator=generator)))
            else:
                out.append((name, torch.randn(shape, generator=generator)))
        return out


def floats(name, *shape):
    return (name, shape, None)


def tokens(name, vocab, *shape):
    return (name, shape, vocab)


FIXTURES = [
    Fixture("mlp_constant", MlpConstant, [floats("x", BATCH, 2)], 13,
            "every weight starts at 0.5: which weights stay tied (cs231n)?"),
    Fixture("lora_zero", lambda: Lora(zero_a=True), [floats("x", BATCH, 4)], 13,
            "LoRA with both adapters at 0: is the adapter stuck?"),
    Fixture("lora", lambda: Lora(zero_a=False), [floats("x", BATCH, 4)], 13,
            "LoRA as the paper starts it (A random, B = 0): does it train?"),
    Fixture("rezero", ReZero, [floats("x", BATCH, 3)], 13,
            "a residual branch scaled by a 0-d alpha = 0: does alpha move?"),
    Fixture("experts", Experts, [floats("x", BATCH, 3)], 13,
            "two identical experts, gate at 0: do the experts stay copies, does the gate move?"),
    Fixture("attention_zero_query", AttentionZeroQuery, [floats("x", BATCH, 3, 4)], 14,
            "attention with the query projection at 0: does it stay uniform?"),
    Fixture("cnn_bn", CnnBn, [floats("x", BATCH, 1, 6, 6)], 15,
            "BatchNorm in training mode, ResNet zero gamma: which parameters never move?"),
    Fixture("embedding_tied", EmbeddingTied, [tokens("tokens", 6, BATCH, 3)], 13,
            "an embedding used twice (lookup and tied output head)", loss="cross_entropy", output="logits"),
    Fixture("gpt_block", GptBlock, [tokens("tokens", 6, BATCH, 3)], 17,
            "a GPT block with tied embeddings, causal mask, GELU: anything tied or stuck?",
            loss="cross_entropy", output="logits"),
    Fixture("dynamic_batch", SmallMlp, [floats("x", BATCH, 3)], 13,
            "the batch axis is symbolic: the importer needs a fixed shape", verdicts=False,
            dynamic_batch=True),
    Fixture("eval_merged", MlpConstant, [floats("x", BATCH, 2)], 13,
            "mlp_constant exported for inference (eval, constant folding): what do initializers become?",
            verdicts=False, eval_export=True),
    Fixture("eval_experts", Experts, [floats("x", BATCH, 3)], 13,
            "experts exported for inference: equal initializers merged behind Identity nodes",
            verdicts=False, eval_export=True),
]


def export(fixture):
    model = fixture.model()
    inputs = fixture.example_inputs(torch.Generator().manual_seed(1))
    names = [n for n, _ in inputs]
    args = tuple(t for _, t in inputs)
    path = HERE / (fixture.name + ".onnx")
    options = dict(opset_version=fixture.opset, input_names=names, output_names=[fixture.output])
    if fixture.eval_export:  # the inference user's defaults
        model.eval()
        torch.onnx.export(model, args, str(path), **options)
    else:
        model.train()
        if fixture.dynamic_batch:
            options["dynamic_axes"] = {names[0]: {0: "batch"}, fixture.output: {0: "batch"}}
        torch.onnx.export(model, args, str(path), training=torch.onnx.TrainingMode.TRAINING,
                          do_constant_folding=False, **options)
    onnx.checker.check_model(onnx.load(str(path)))
    return path


def dims(value_info):
    shape = value_info.type.tensor_type.shape.dim
    return "[" + ",".join(d.dim_param or str(d.dim_value) for d in shape) + "]"


def summary(path):
    """The facts the importer needs about one file, as a dict of printable strings."""
    m = onnx.load(str(path))
    g = m.graph
    dtype = onnx.TensorProto.DataType.Name
    ops = Counter(n.op_type for n in g.node)
    initializers = {t.name for t in g.initializer}
    aliases = ["%s = Identity(%s)" % (n.output[0], n.input[0]) for n in g.node
               if n.op_type == "Identity" and n.input[0] in initializers]
    return {
        "opset": ",".join("%s%d" % (o.domain or "", o.version) for o in m.opset_import),
        "ops": ", ".join("%s %d" % kv if kv[1] > 1 else kv[0] for kv in sorted(ops.items())),
        "initializers": ", ".join("%s %s %s" % (t.name, list(t.dims), dtype(t.data_type).lower())
                                  for t in g.initializer),
        "inputs": ", ".join("%s %s %s" % (i.name, dims(i), dtype(i.type.tensor_type.elem_type).lower())
                            for i in g.input),
        "outputs": ", ".join("%s %s" % (o.name, dims(o)) for o in g.output),
        "aliases": ", ".join(aliases) or "none",
        "bytes": path.stat().st_size,
    }


def main():
    if not hasattr(torch.onnx, "TrainingMode"):
        sys.exit("export.py: this PyTorch has no torch.onnx.TrainingMode")
    torch.set_default_dtype(torch.float32)
    # Expected in training mode: BatchNorm's num_batches_tracked counter is not part of the graph.
    warnings.filterwarnings("ignore", message="ONNX Preprocess - Removing mutation", category=UserWarning)
    for fixture in FIXTURES:
        path = export(fixture)
        s = summary(path)
        print("== %s.onnx (%d bytes, opset %s)" % (fixture.name, s["bytes"], s["opset"]))
        for key in ("ops", "initializers", "aliases", "inputs", "outputs"):
            print("  %-12s %s" % (key, s[key]))


if __name__ == "__main__":
    main()
