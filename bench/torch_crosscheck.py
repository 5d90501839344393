#!/usr/bin/env python3
"""Cross-checks netsym's proofs of the tensor examples against real PyTorch training.

Usage: python3 bench/torch_crosscheck.py [EXAMPLE ...]   (default: all nine tensor examples)
Needs a Python with PyTorch (Debian: apt-get install python3-torch, then /usr/bin/python3); not part of
`mvn test`.

For each example the script reads the spec's declarations (param shapes, inputs, targets, init lines),
builds the same model in PyTorch (the forward pass is written by hand below, one function per example),
runs `netsym prove EXAMPLE --format json`, then trains in float64, full batch, with SGD and with Adam on
several random data sets (fresh random start values per seed, zeros and copies as the spec says, one random
nonzero value per seed for a symbol such as `init all = c`; one-hot rows where an example's data are tokens),
checking after every step:
  classes  every member of a netsym class equals the others (a "-q" member, their negative);
  frozen   every frozen parameter keeps its start value;
  tensors  each tensor netsym says never moves keeps its start values, each "copy_of" tensor equals its
           source element by element, and each "identical_along_axes" axis's slices stay identical;
  moved    every "moves" claim of netsym shows as a move, and every "separate" claim as a difference,
           in at least one run; and, the partition being complete, every class that is not frozen
           moves and every two classes that start equal come apart.
Equal means a relative difference of at most 1e-9 (|a-b| <= 1e-9·max(|a|,|b|): 0 must stay exactly 0).
Different means |a-b| > 1e-9·max(1,|a|,|b|), so rounding noise around 0 never counts as a move.
Prints a table per example and exits 1 on any disagreement.
"""
import json
import math
import re
from fnmatch import fnmatchcase
from fractions import Fraction
from functools import lru_cache
import subprocess
import sys
from itertools import combinations
from pathlib import Path

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("torch_crosscheck: this Python has no PyTorch (Debian: apt-get install python3-torch, "
             "then run it with /usr/bin/python3)")

HOME = Path(__file__).resolve().parent.parent
EQUAL_TOL = 1e-9
SEEDS = (1, 2, 3)
SAMPLES = 4
STEPS = 40
SETTINGS = {  # per example: fewer steps for a slow one; data that are one-hot rows (tokens)
    "gpt2-tiny": {"steps": 10, "one_hot": ("tok", "next")},
}
OPTIMIZERS = {"sgd": lambda ps: torch.optim.SGD(ps, lr=0.01), "adam": lambda ps: torch.optim.Adam(ps, lr=0.01)}

torch.set_default_dtype(torch.float64)


# ---- the models: one forward pass per sample, objective as the spec writes it ----

def lora(p, d):
    y = p["W"] @ d["x"] + p["B"] @ (p["A"] @ d["x"])
    return ((y - d["t"]) ** 2).sum()


def rezero(p, d):
    h = d["x"] + p["alpha"] * torch.tanh(p["W"] @ d["x"])
    return ((h - d["t"]) ** 2).sum()


def identical_experts(p, d):
    x = d["x"]
    gate = torch.softmax(p["R"] @ x, dim=-1)
    y = gate[0] * torch.tanh(p["E1"] @ x) + gate[1] * torch.tanh(p["E2"] @ x)
    return ((y - d["t"]) ** 2).sum()


def attention(Q, K, V, heads=1, causal=False):
    """The columns split into `heads` equal groups, softmax(Q_h K_h^T / sqrt(d_h)) V_h each, side by side;
    causal: position i attends to positions 1..i only."""
    n, d_h = Q.shape[0], Q.shape[1] // heads
    out = []
    for h in range(heads):
        cols = slice(h * d_h, (h + 1) * d_h)
        scores = Q[:, cols] @ K[:, cols].T / math.sqrt(d_h)
        if causal:
            scores = scores.masked_fill(~torch.ones(n, n, dtype=torch.bool).tril(), -math.inf)
        out.append(torch.softmax(scores, dim=-1) @ V[:, cols])
    return torch.cat(out, dim=1)


def layer_norm(H, g, b):  # over the last axis, biased variance
    return F.layer_norm(H, (H.shape[-1],), g, b, eps=1e-5)


def batch_norm(Z, g, b):  # training mode: each column over the batch (axis 1), biased variance
    return F.batch_norm(Z, None, None, g, b, training=True, eps=1e-5)


def attention_block(p, d):
    X = d["X"]
    H = X + attention(X @ p["Wq"], X @ p["Wk"], X @ p["Wv"]) @ p["Wo"]
    Y = layer_norm(H, p["g"], p["b"])
    return ((Y - d["T"]) ** 2).sum()


def resnet_block(p, d):
    X = d["X"]
    H = torch.relu(batch_norm(X @ p["W1"], p["g1"], p["b1"]))
    Y = X + batch_norm(H @ p["W2"], p["g2"], p["b2"])
    return ((Y - d["T"]) ** 2).sum()


def lenet(p, d):  # X [C,H,W]: a batch of one for PyTorch's conv2d
    H1 = torch.tanh(F.conv2d(d["X"][None], p["K1"]))
    P1 = F.avg_pool2d(H1, 2)
    H2 = torch.tanh(F.conv2d(P1, p["K2"]))[0]
    z = p["Wd"] @ H2.flatten()
    return ((z - d["t"]) ** 2).sum()


def gelu_tanh(Z):  # as the spec writes it
    return 0.5 * Z * (1 + torch.tanh(0.7978845608 * (Z + 0.044715 * Z ** 3)))


def gpt2_tiny(p, d):
    H = d["tok"] @ p["E"] + p["P"]
    for i in "12":
        A = layer_norm(H, p["ga" + i], p["ba" + i])
        H = H + attention(A @ p["Wq" + i], A @ p["Wk" + i], A @ p["Wv" + i], 2, causal=True) @ p["Wo" + i] \
            + p["bo" + i]
        Z = layer_norm(H, p["gm" + i], p["bm" + i]) @ p["Wf" + i] + p["bf" + i]
        H = H + gelu_tanh(Z) @ p["Wp" + i] + p["bp" + i]
    logits = layer_norm(H, p["gf"], p["bf"]) @ p["E"].T
    return -(d["next"] * torch.log_softmax(logits, dim=-1)).sum(dim=-1).mean()  # cross_entropy


EXAMPLES = {
    "lora-zero": lora,
    "lora": lora,
    "rezero": rezero,
    "identical-experts": identical_experts,
    "attention-zero-query": attention_block,
    "attention-zero-qk": attention_block,
    "resnet-zero-gamma": resnet_block,
    "lenet-constant": lenet,
    "gpt2-tiny": gpt2_tiny,
}


# ---- the spec's declarations ----

DECL = re.compile(r"([A-Za-z_]\w*)(?:\[([\d,\s]+)\])?")


def declarations(text):
    """(params, data, inits): name -> shape for params and for inputs/targets; init lines in order."""
    params, data, inits = {}, {}, []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        words = line.split(None, 1)
        if len(words) < 2:
            continue
        if words[0] in ("param", "input", "target"):
            into = params if words[0] == "param" else data
            for m in DECL.finditer(words[1]):
                into[m.group(1)] = tuple(int(n) for n in m.group(2).split(",")) if m.group(2) else ()
        elif words[0] == "init":
            selector, value = (s.strip() for s in words[1].split("=", 1))
            inits.append(([s.strip() for s in selector.split(",")], value))
    return params, data, inits


SYMBOL_VALUE = re.compile(r"(-?)(?:([\d.]+)\*)?([A-Za-z_]\w*)(?:/([\d.]+))?")


def start_values(params, inits, gen):
    """Start tensors as the init lines say, later lines overriding earlier ones; random by default.
    A selector is 'all', a name or a glob; a value 'random', a number, a parameter to copy, or a symbol
    (times a number: '-a', '2*a', 'a/2'), one random nonzero value per symbol."""
    how = {name: "random" for name in params}
    for selectors, value in inits:
        for selector in selectors:
            chosen = [n for n in params if selector == "all" or fnmatchcase(n, selector)]
            if not chosen:
                raise ValueError("init selector %s: not handled here (no parameter matches)" % selector)
            for name in chosen:
                how[name] = value
    values, symbols = {}, {}
    for name in sorted(params, key=lambda n: how[n] in params):  # copies after their sources
        shape, value = params[name], how[name]
        symbolic = SYMBOL_VALUE.fullmatch(value)
        if value == "random":
            values[name] = torch.randn(shape, generator=gen)
        elif value in params:
            values[name] = values[value].clone()
        elif symbolic:
            sign, factor, symbol, divisor = symbolic.groups()
            if symbol not in symbols:  # |value| in [0.2, 1), either sign
                symbols[symbol] = (0.2 + 0.8 * float(torch.rand((), generator=gen))) \
                    * (1.0 if torch.rand((), generator=gen) < 0.5 else -1.0)
            values[name] = torch.full(shape, (-1.0 if sign else 1.0) * float(Fraction(factor or "1"))
                                      * symbols[symbol] / float(Fraction(divisor or "1")))
        else:
            values[name] = torch.full(shape, float(Fraction(value)))
    return values


def random_data(shapes, one_hot, gen):
    """One sample: standard normal values, or one-hot rows (a random column each) for the names in one_hot."""
    sample = {}
    for name, shape in shapes.items():
        if name in one_hot:
            sample[name] = torch.eye(shape[-1])[torch.randint(shape[-1], shape[:-1], generator=gen)]
        else:
            sample[name] = torch.randn(shape, generator=gen)
    return sample


ELEMENT = re.compile(r"^(-?)([A-Za-z_]\w*)(?:\[([\d,]+)\])?$")


@lru_cache(maxsize=None)
def element(name):
    """netsym's 'W[2,3]' (1-based) as (sign, tensor name, 0-based index); '-q' members carry sign -1."""
    m = ELEMENT.match(name.replace("\u2212", "-"))
    if not m:
        raise ValueError("unexpected element name " + name)
    index = tuple(int(i) - 1 for i in m.group(3).split(",")) if m.group(3) else ()
    return (-1.0 if m.group(1) else 1.0), m.group(2), index


def all_elements(params):
    out = []
    for name, shape in params.items():
        for index in torch.cartesian_prod(*[torch.arange(n) for n in shape]).reshape(-1, len(shape)).tolist() \
                if shape else [[]]:
            out.append(name + ("[" + ",".join(str(i + 1) for i in index) + "]" if shape else ""))
    return out


# ---- comparing ----

def rel(a, b):
    scale = max(abs(a), abs(b))
    return 0.0 if a == b else (abs(a - b) / scale if scale > 0 else math.inf)


def differs(a, b):
    return abs(a - b) > EQUAL_TOL * max(1.0, abs(a), abs(b))


def rel_tensor(a, b):
    """rel() of the worst pair of elements of two same-shaped tensors."""
    scale = torch.maximum(a.abs(), b.abs())
    spread = torch.where(a == b, torch.zeros_like(a), (a - b).abs() / scale)
    return float(spread.max()) if spread.numel() else 0.0


def tensor_claims(proof):
    """netsym's per-tensor claims as (label, name, kind, detail) with kind never_moves, copy_of or axis."""
    claims = []
    for t in proof["tensors"]:
        if t["frozen"]:
            claims.append(("%s never moves" % t["name"], t["name"], "never_moves", None))
        if t["copy_of"]:
            claims.append(("%s = %s" % (t["name"], t["copy_of"]), t["name"], "copy_of", t["copy_of"]))
        for axis in t["identical_along_axes"]:
            claims.append(("%s's slices along axis %d" % (t["name"], axis), t["name"], "axis", axis))
    return claims


def tensor_spread(claim, now, start):
    _, name, kind, detail = claim
    if kind == "never_moves":
        return rel_tensor(now[name], start[name])
    if kind == "copy_of":
        return rel_tensor(now[name], now[detail])
    t = now[name].movedim(detail - 1, 0)  # netsym's axes count from 1
    return max((rel_tensor(t[k], t[0]) for k in range(1, t.shape[0])), default=0.0)


def prove(path):
    out = subprocess.run([str(HOME / "netsym"), "prove", str(path), "--format", "json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def check(example):
    path = HOME / "examples" / (example + ".net")
    params, data_shapes, inits = declarations(path.read_text())
    forward = EXAMPLES[example]
    steps = SETTINGS.get(example, {}).get("steps", STEPS)
    one_hot = SETTINGS.get(example, {}).get("one_hot", ())
    proof = prove(path)
    names = all_elements(params)
    problems = []
    if proof["parameters"] != len(names):
        problems.append("netsym counts %d parameters, the spec declares %d" % (proof["parameters"], len(names)))
    classes = proof["classes"]
    listed = sorted(element(m)[1:] for c in classes for m in c)
    if listed != sorted(element(n)[1:] for n in names):
        problems.append("netsym's classes do not list each declared parameter exactly once")
    frozen = proof["frozen"]
    moves = [s for s in proof["separations"] if s["kind"] == "moves"]
    separate = [s for s in proof["separations"] if s["kind"] == "separate"]
    tensors = tensor_claims(proof)

    # Observations across every run.
    class_dev = [0.0] * len(classes)           # largest relative spread inside each class
    frozen_dev = {n: 0.0 for n in frozen}      # largest relative change of each frozen parameter
    tensor_dev = [0.0] * len(tensors)          # largest relative spread behind each tensor claim
    moved = set()                              # elements seen away from their start
    apart = set()                              # (first, second, opposite) seen different
    class_moved = [False] * len(classes)
    start_equal = set()                        # class pairs that start equal in some run
    class_apart = set()
    bad_numbers = []
    runs = 0

    for seed in SEEDS:
        for opt_name, make_opt in OPTIMIZERS.items():
            gen = torch.Generator().manual_seed(seed)
            start = start_values(params, inits, gen)
            dataset = [random_data(data_shapes, one_hot, gen) for _ in range(SAMPLES)]
            p = {n: v.clone().requires_grad_(True) for n, v in start.items()}
            opt = make_opt(list(p.values()))
            runs += 1

            def value(name, tensors):
                sign, t, index = element(name)
                return sign * float(tensors[t][index])

            def rep(i, tensors):  # a class's value: its first member, sign-adjusted
                return value(classes[i][0], tensors)

            for i, j in combinations(range(len(classes)), 2):
                if not differs(rep(i, start), rep(j, start)):
                    start_equal.add((i, j))
            for step in range(steps + 1):
                if step > 0:
                    opt.zero_grad()
                    loss = sum(forward(p, d) for d in dataset)
                    loss.backward()
                    opt.step()
                now = {n: v.detach() for n, v in p.items()}
                if not all(torch.isfinite(v).all() for v in now.values()):
                    bad_numbers.append("seed %d %s step %d: non-finite values" % (seed, opt_name, step))
                    break
                for k, c in enumerate(classes):
                    first = value(c[0], now)
                    for m in c[1:]:
                        class_dev[k] = max(class_dev[k], rel(first, value(m, now)))
                    if differs(first, value(c[0], start)):
                        class_moved[k] = True
                for n in frozen:
                    frozen_dev[n] = max(frozen_dev[n], rel(value(n, now), value(n, start)))
                for k, claim in enumerate(tensors):
                    tensor_dev[k] = max(tensor_dev[k], tensor_spread(claim, now, start))
                for n in names:
                    if differs(value(n, now), value(n, start)):
                        moved.add(n)
                for s in separate:
                    b = value(s["second"], now) * (-1.0 if s["opposite"] else 1.0)
                    if differs(value(s["first"], now), b):
                        apart.add((s["first"], s["second"], s["opposite"]))
                for i, j in start_equal:
                    if differs(rep(i, now), rep(j, now)):
                        class_apart.add((i, j))

    # Verdicts.
    multi = [k for k, c in enumerate(classes) if len(c) > 1]
    class_bad = [k for k in multi if class_dev[k] > EQUAL_TOL]
    frozen_bad = [n for n in frozen if frozen_dev[n] > EQUAL_TOL]
    tensor_bad = [k for k in range(len(tensors)) if tensor_dev[k] > EQUAL_TOL]
    moves_unseen = [s["first"] for s in moves if s["first"] not in moved]
    separate_unseen = [(s["first"], s["second"]) for s in separate
                       if (s["first"], s["second"], s["opposite"]) not in apart]
    frozen_elements = {element(f)[1:] for f in frozen}
    frozen_classes = {k for k, c in enumerate(classes) if all(element(m)[1:] in frozen_elements for m in c)}
    implied_still = [k for k in range(len(classes)) if k not in frozen_classes and not class_moved[k]]
    implied_together = sorted(start_equal - class_apart)
    complete = proof["complete"] and not proof["undecided"]

    def verdict(bad):
        return "agree" if not bad else "DISAGREE"

    print("== %s  (netsym: %d parameters, %d classes, %d frozen, %d moves + %d separate claims%s; "
          "torch: %d runs x %d steps)" % (example, len(names), len(classes), len(frozen), len(moves), len(separate),
                                          "" if complete else ", INCOMPLETE proof", runs, steps))
    rows = [
        ("classes", "%d with >1 member, worst spread %.1e" % (len(multi), max([class_dev[k] for k in multi],
                                                                          default=0.0)), verdict(class_bad)),
        ("frozen", "%d, worst change %.1e" % (len(frozen), max(frozen_dev.values(), default=0.0)),
         verdict(frozen_bad)),
        ("tensors", "%d claims (never moves, copy, identical slices), worst spread %.1e"
         % (len(tensors), max(tensor_dev, default=0.0)), verdict(tensor_bad)),
        ("moves", "%d claimed, %d seen" % (len(moves), len(moves) - len(moves_unseen)), verdict(moves_unseen)),
        ("separate", "%d claimed, %d seen" % (len(separate), len(separate) - len(separate_unseen)),
         verdict(separate_unseen)),
        ("implied", "%d unfrozen classes move, %d class pairs equal at start come apart"
         % (len(classes) - len(frozen_classes), len(start_equal)),
         verdict(implied_still or implied_together) if complete else "n/a"),
    ]
    for row in rows:
        print("  %-9s %-72s %s" % row)
    for k in class_bad:
        problems.append("class %s spreads by %.3e" % (classes[k], class_dev[k]))
    for n in frozen_bad:
        problems.append("frozen %s changes by %.3e (relative)" % (n, frozen_dev[n]))
    for k in tensor_bad:
        problems.append("tensor claim '%s' is off by %.3e (relative)" % (tensors[k][0], tensor_dev[k]))
    for n in moves_unseen:
        problems.append("netsym says %s moves; it never moved in any run" % n)
    for a, b in separate_unseen:
        problems.append("netsym says %s and %s separate; they never differed in any run" % (a, b))
    if complete:
        for k in implied_still:
            problems.append("class %s is not frozen, yet never moved" % classes[k])
        for i, j in implied_together:
            problems.append("classes %s and %s start equal and never came apart" % (classes[i], classes[j]))
    problems += bad_numbers
    for msg in problems:
        print("  !! " + msg)
    return not problems


def main():
    chosen = sys.argv[1:] or list(EXAMPLES)
    unknown = [e for e in chosen if e not in EXAMPLES]
    if unknown:
        sys.exit("torch_crosscheck: no PyTorch model for %s (have: %s)" % (", ".join(unknown), ", ".join(EXAMPLES)))
    print("PyTorch %s, float64, seeds %s, %d samples, %d steps (gpt2-tiny %d), SGD lr 0.01 and Adam lr 0.01, "
          "full batch" % (torch.__version__, list(SEEDS), SAMPLES, STEPS, SETTINGS["gpt2-tiny"]["steps"]))
    failed = [e for e in chosen if not check(e)]
    print("agree: all %d of %d examples" % (len(chosen), len(chosen)) if not failed else "DISAGREEMENT in: " + ", ".join(failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
