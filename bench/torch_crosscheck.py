#!/usr/bin/env python3
"""Cross-checks netsym's proofs of the tensor examples against real PyTorch training.

Usage: python3 bench/torch_crosscheck.py [EXAMPLE ...]   (default: all six tensor examples)
Needs a Python with PyTorch (Debian: apt-get install python3-torch, then /usr/bin/python3); not part of
`mvn test`.

For each example the script reads the spec's declarations (param shapes, inputs, targets, init lines),
builds the same model in PyTorch (the forward pass is written by hand below, one function per example),
runs `netsym prove EXAMPLE --format json`, then trains in float64, full batch, with SGD and with Adam on
several random data sets (fresh random start values per seed, zeros and copies as the spec says),
checking after every step:
  classes  every member of a netsym class equals the others (a "-q" member, their negative);
  frozen   every frozen parameter keeps its start value;
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


def attention_block(p, d):
    X = d["X"]
    Q, K, V = X @ p["Wq"], X @ p["Wk"], X @ p["Wv"]
    attention = torch.softmax(Q @ K.T / math.sqrt(Q.shape[-1]), dim=-1) @ V
    H = X + attention @ p["Wo"]
    Y = F.layer_norm(H, (H.shape[-1],), p["g"], p["b"], eps=1e-5)
    return ((Y - d["T"]) ** 2).sum()


EXAMPLES = {
    "lora-zero": lora,
    "lora": lora,
    "rezero": rezero,
    "identical-experts": identical_experts,
    "attention-zero-query": attention_block,
    "attention-zero-qk": attention_block,
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
            name, value = (s.strip() for s in words[1].split("=", 1))
            inits.append((name, value))
    return params, data, inits


def start_values(params, inits, gen):
    """Start tensors as the init lines say: 'all' first, then each line in order; random by default."""
    how = {name: "random" for name in params}
    for name, value in inits:
        for target in (params if name == "all" else [name]):
            how[target] = value
    values = {}
    for name in sorted(params, key=lambda n: how[n] in params):  # copies after their sources
        shape, value = params[name], how[name]
        if value == "random":
            values[name] = torch.randn(shape, generator=gen)
        elif value in params:
            values[name] = values[value].clone()
        else:
            values[name] = torch.full(shape, float(value))
    return values


ELEMENT = re.compile(r"^(-?)([A-Za-z_]\w*)(?:\[([\d,]+)\])?$")


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


def prove(path):
    out = subprocess.run([str(HOME / "netsym"), "prove", str(path), "--format", "json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def check(example):
    path = HOME / "examples" / (example + ".net")
    params, data_shapes, inits = declarations(path.read_text())
    forward = EXAMPLES[example]
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

    # Observations across every run.
    class_dev = [0.0] * len(classes)           # largest relative spread inside each class
    frozen_dev = {n: 0.0 for n in frozen}      # largest relative change of each frozen parameter
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
            dataset = [{n: torch.randn(s, generator=gen) for n, s in data_shapes.items()} for _ in range(SAMPLES)]
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
            for step in range(STEPS + 1):
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
                                          "" if complete else ", INCOMPLETE proof", runs, STEPS))
    rows = [
        ("classes", "%d with >1 member, worst spread %.1e" % (len(multi), max([class_dev[k] for k in multi],
                                                                          default=0.0)), verdict(class_bad)),
        ("frozen", "%d, worst change %.1e" % (len(frozen), max(frozen_dev.values(), default=0.0)),
         verdict(frozen_bad)),
        ("moves", "%d claimed, %d seen" % (len(moves), len(moves) - len(moves_unseen)), verdict(moves_unseen)),
        ("separate", "%d claimed, %d seen" % (len(separate), len(separate) - len(separate_unseen)),
         verdict(separate_unseen)),
        ("implied", "%d unfrozen classes move, %d class pairs equal at start come apart"
         % (len(classes) - len(frozen_classes), len(start_equal)),
         verdict(implied_still or implied_together) if complete else "n/a"),
    ]
    for row in rows:
        print("  %-9s %-68s %s" % row)
    for k in class_bad:
        problems.append("class %s spreads by %.3e" % (classes[k], class_dev[k]))
    for n in frozen_bad:
        problems.append("frozen %s changes by %.3e (relative)" % (n, frozen_dev[n]))
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
    print("PyTorch %s, float64, seeds %s, %d samples, %d steps, SGD lr 0.01 and Adam lr 0.01, full batch"
          % (torch.__version__, list(SEEDS), SAMPLES, STEPS))
    failed = [e for e in chosen if not check(e)]
    print("agree: all %d of %d examples" % (len(chosen), len(chosen)) if not failed else "DISAGREEMENT in: " + ", ".join(failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
