#!/usr/bin/env python3
"""Reference verdicts for the ONNX fixtures (examples/onnx), measured by training them in PyTorch,
and a comparison of netsym's proofs of those files against them.

Usage (Debian's Python with PyTorch and onnx: /usr/bin/python3):
  /usr/bin/python3 bench/onnx_crosscheck.py                   print the verdicts
  /usr/bin/python3 bench/onnx_crosscheck.py --write           ... and write examples/onnx/expected.json
  /usr/bin/python3 bench/onnx_crosscheck.py --compare DIR/NAME.json ...
        compare netsym's `prove --format json` output for examples/onnx/NAME.onnx (saved as NAME.json)
        with expected.json; exits 1 when netsym claims something this training contradicts

How the verdicts are measured: each fixture's PyTorch model (built by examples/onnx/export.py, same
starting values as the .onnx file) is copied to float64 and trained with plain SGD (lr 0.1, 20 steps,
full batch) on one fixed random batch of the exported shape (inputs standard normal, token ids uniform;
targets standard normal of the output's shape for "mse" = F.mse_loss, mean; random next tokens for
"cross_entropy" = F.cross_entropy over all positions, mean). After every step:
  frozen   elements whose value never changed;
  classes  groups of >= 2 elements equal to each other at every step.
"Equal" and "unchanged" mean |a - b| <= 1e-12 * max(1, |a|, |b|). This is numeric evidence from one run,
not a proof: a class seen here could come apart on other data. Element names are the ONNX initializer
name with 0-based indices as in PyTorch ("base.weight[2,0]"; a 0-d tensor is just its name).
"""
import argparse
import importlib.util
import json
import sys
from pathlib import Path

try:
    import numpy as np
    import onnx
    import torch
    import torch.nn.functional as F
except ImportError as e:
    sys.exit("onnx_crosscheck: %s (needs PyTorch and onnx: run it with /usr/bin/python3)" % e)

HOME = Path(__file__).resolve().parent.parent
FIXTURES_DIR = HOME / "examples" / "onnx"
EXPECTED = FIXTURES_DIR / "expected.json"
STEPS = 20
LEARNING_RATE = 0.1
DATA_SEED = 7
TOLERANCE = 1e-12

LOSSES = {
    "mse": "F.mse_loss(output, target), mean over all elements; target standard normal, the output's shape",
    "cross_entropy": "F.cross_entropy(logits over the last axis, next token), mean over all positions; "
                     "next tokens uniform random ids of the input's shape",
}


def load_export():
    sys.dont_write_bytecode = True  # keep examples/onnx free of a __pycache__
    spec = importlib.util.spec_from_file_location("onnx_fixture_export", FIXTURES_DIR / "export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def element_names(name, shape):
    if not shape:
        return [name]
    return [name + "[" + ",".join(map(str, index)) + "]" for index in np.ndindex(*shape)]


def close(a, b):
    """Elementwise: |a - b| <= TOLERANCE * max(1, |a|, |b|)."""
    return np.abs(a - b) <= TOLERANCE * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))


def train(fixture):
    """The run: parameter and buffer shapes, element names, trajectories [elements, steps + 1], losses,
    and the reference point (data, output and gradient at the start) for checking an importer's
    forward and backward pass."""
    model = fixture.model().double().train()
    initializers = {t.name for t in onnx.load(str(FIXTURES_DIR / (fixture.name + ".onnx"))).graph.initializer}
    params = dict(model.named_parameters())  # a tied tensor appears once, under its first name
    missing = sorted(set(params) - initializers)
    if missing:
        raise SystemExit("%s.onnx has no initializer for %s" % (fixture.name, ", ".join(missing)))
    buffers = {n: list(b.shape) for n, b in model.named_buffers() if n in initializers}

    gen = torch.Generator().manual_seed(DATA_SEED)
    named_inputs = [(n, t if t.dtype == torch.int64 else t.double()) for n, t in fixture.example_inputs(gen)]
    inputs = [t for _, t in named_inputs]
    with torch.no_grad():
        start_output = model(*inputs)
    output_shape = start_output.shape
    if fixture.loss == "mse":
        target = torch.randn(output_shape, generator=gen, dtype=torch.float64)
        loss_of = lambda out: F.mse_loss(out, target)
    else:
        vocab = output_shape[-1]
        target = torch.randint(vocab, inputs[0].shape, generator=gen)
        loss_of = lambda out: F.cross_entropy(out.reshape(-1, vocab), target.reshape(-1))

    def snapshot():
        return np.concatenate([p.detach().numpy().ravel() for p in params.values()])

    optimizer = torch.optim.SGD(params.values(), lr=LEARNING_RATE)
    states, losses, start_gradient = [snapshot()], [], None
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_of(model(*inputs))
        loss.backward()
        if start_gradient is None:
            start_gradient = {n: p.grad.tolist() for n, p in params.items()}
        optimizer.step()
        losses.append(float(loss))
        states.append(snapshot())
    losses.append(float(loss_of(model(*inputs))))
    return {
        "shapes": {n: list(p.shape) for n, p in params.items()},
        "buffers": buffers,
        "names": [e for n, p in params.items() for e in element_names(n, list(p.shape))],
        "trajectories": np.stack(states, axis=1),
        "losses": losses,
        "reference_point": {"inputs": {n: t.tolist() for n, t in named_inputs}, "target": target.tolist(),
                            "output": start_output.tolist(), "loss": losses[0], "gradient": start_gradient},
    }


def verdicts(fixture):
    run = train(fixture)
    names, T, losses = run["names"], run["trajectories"], run["losses"]
    frozen_mask = close(T, T[:, :1]).all(axis=1)
    classes = []  # lists of element indices; each element joins the first class it stays equal to
    for i in range(len(names)):
        for c in classes:
            if close(T[i], T[c[0]]).all():
                c.append(i)
                break
        else:
            classes.append([i])
    for c in classes:  # the tolerance is not transitive: every pair must be equal, not just to the first
        assert all(close(T[a], T[b]).all() for a in c for b in c), "class not closed: %s" % c
    reps = np.stack([T[c[0]] for c in classes])
    opposite = [[names[classes[a][0]], names[classes[b][0]]]
                for a in range(len(classes)) for b in range(a + 1, len(classes))
                if close(reps[a], -reps[b]).all() and not close(reps[a], 0.0).all()]
    scale = np.maximum(1.0, np.abs(reps).max(axis=1))
    gaps = np.abs(reps[:, None, :] - reps[None, :, :]).max(axis=2) / np.minimum.outer(scale, scale)
    np.fill_diagonal(gaps, np.inf)
    moves = np.abs(T - T[:, :1]).max(axis=1) / np.maximum(1.0, np.abs(T[:, 0]))
    return {
        "file": fixture.name + ".onnx",
        "question": fixture.question,
        "loss": fixture.loss,
        "loss_definition": LOSSES[fixture.loss],
        "loss_start": losses[0],
        "loss_end": losses[-1],
        "parameters": run["shapes"],
        "buffers": run["buffers"],
        "elements": len(names),
        "frozen": [names[i] for i in range(len(names)) if frozen_mask[i]],
        "classes": [[names[i] for i in c] for c in classes if len(c) > 1],
        "opposite_classes": opposite,
        "distinct_values": len(classes),
        "trainable_values": sum(1 for c in classes if not frozen_mask[c[0]]),
        # how far from the tolerance the verdicts are: the smallest relative movement of an element
        # that moved, and the smallest largest-gap between two classes
        "weakest_move": float(moves[~frozen_mask].min()) if (~frozen_mask).any() else None,
        "closest_classes": float(gaps.min()) if len(classes) > 1 else None,
        "reference_point": run["reference_point"],
    }


def all_verdicts():
    export = load_export()
    return {f.name: verdicts(f) for f in export.FIXTURES if f.verdicts}


# ---- ADAPTER: the one place that reads netsym's JSON ----
# `prove --format json` on a model: "parameters" (a list of element names, or their count), "frozen"
# (element names), "classes" (lists of element names, "-name" for a member equal to minus the others);
# imported elements are named INITIALIZER[i,j] with 0-based indices, as in PyTorch and this script.
def netsym_verdicts(proof):
    """(element count, set of frozen elements, list of classes as (members, negated members) sets)."""
    def unsigned(name):
        return name[1:] if name.startswith(("-", "\u2212")) else name

    classes = [({m for m in c if unsigned(m) == m}, {unsigned(m) for m in c if unsigned(m) != m})
               for c in proof["classes"]]
    count = proof["parameters"] if isinstance(proof["parameters"], int) else len(proof["parameters"])
    return count, set(proof["frozen"]), classes
# ---- end of adapter ----


def compare(expected, proof):
    """(problems, notes): problems are netsym claims this run contradicts; notes are equalities this
    run saw that netsym does not claim (possible on one data set, worth a look on generic data)."""
    count, frozen, classes = netsym_verdicts(proof)
    buffer_elements = {e for n, s in expected["buffers"].items() for e in element_names(n, s)}
    problems, notes = [], []
    if count not in (expected["elements"], expected["elements"] + len(buffer_elements)):  # buffers: either way
        problems.append("netsym counts %d parameter elements, PyTorch has %d" % (count, expected["elements"]))
    observed_class = {}
    for k, c in enumerate(expected["classes"]):
        for m in c:
            observed_class[m] = k
    observed_frozen = set(expected["frozen"])
    for f in sorted(frozen - buffer_elements - observed_frozen):
        problems.append("netsym: %s never moves; it moved in PyTorch" % f)
    for f in sorted(observed_frozen - frozen):
        notes.append("%s never moved in PyTorch; netsym does not say it is frozen" % f)
    opposite = {frozenset(p) for p in expected["opposite_classes"]}
    for members, negated in classes:
        members, negated = members - buffer_elements, negated - buffer_elements
        for part in (members, negated):
            if len({observed_class.get(m, m) for m in part}) > 1:
                problems.append("netsym: %s stay equal; they came apart in PyTorch" % sorted(part))
        if members and negated:
            a, b = min(members), min(negated)
            rep = lambda e: expected["classes"][observed_class[e]][0] if e in observed_class else e
            if frozenset((rep(a), rep(b))) not in opposite and not {a, b} <= observed_frozen:
                problems.append("netsym: %s = -%s; not so in PyTorch" % (a, b))
    for c in expected["classes"]:
        if not any(set(c) <= members for members, _ in classes):
            notes.append("equal throughout in PyTorch, not one netsym class: %s" % c)
    return problems, notes


def dump(value, indent=""):
    """JSON with one item a line, except that a list of numbers or strings stays on one line."""
    inner = indent + " "
    if isinstance(value, dict) and value:
        items = ",\n".join(inner + json.dumps(k) + ": " + dump(v, inner) for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
        return "[\n" + ",\n".join(inner + dump(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value)


def print_verdicts(results):
    for name, v in results.items():
        print("== %s (%s, %d elements): %d distinct values, %d trainable; loss %.6g -> %.6g"
              % (name, v["loss"], v["elements"], v["distinct_values"], v["trainable_values"],
                 v["loss_start"], v["loss_end"]))
        print("  frozen   %s" % (", ".join(v["frozen"]) or "none"))
        for c in v["classes"]:
            print("  class    %s" % ", ".join(c))
        for a, b in v["opposite_classes"]:
            print("  opposite %s = -%s" % (a, b))
        print("  margins  weakest move %s, closest classes %s" % (v["weakest_move"], v["closest_classes"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write examples/onnx/expected.json")
    parser.add_argument("--compare", nargs="+", metavar="NAME.json", help="netsym prove JSON files")
    args = parser.parse_args()
    if args.compare:
        expected = json.loads(EXPECTED.read_text())["models"]
        failed = False
        for path in map(Path, args.compare):
            if path.stem not in expected:
                sys.exit("%s: error: no fixture named %s in %s" % (path, path.stem, EXPECTED.name))
            try:
                proof = json.loads(path.read_text())
            except (OSError, ValueError) as e:
                sys.exit("%s: error: cannot read netsym's JSON: %s" % (path, e))
            problems, notes = compare(expected[path.stem], proof)
            print("== %s: %s" % (path.stem, "DISAGREE" if problems else "agree"))
            for p in problems:
                print("  problem  " + p)
            for n in notes:
                print("  note     " + n)
            failed = failed or bool(problems)
        sys.exit(1 if failed else 0)
    torch.set_default_dtype(torch.float32)  # the models are built in float32, as exported
    results = all_verdicts()
    print_verdicts(results)
    if args.write:
        document = {
            "about": "Reference verdicts for the ONNX fixtures, measured by training each model in PyTorch "
                     "(bench/onnx_crosscheck.py). Numeric evidence from one run on one data set, not a proof: "
                     "a class seen here could come apart on other data.",
            "training": {"optimizer": "SGD", "learning_rate": LEARNING_RATE, "steps": STEPS, "dtype": "float64",
                         "batch": "one fixed random batch of the exported shape, full batch every step",
                         "data_seed": DATA_SEED, "torch": torch.__version__},
            "equal_means": "|a - b| <= %g * max(1, |a|, |b|) at every step" % TOLERANCE,
            "element_names": "ONNX initializer name with 0-based indices as in PyTorch: W[i,j]; a 0-d tensor is "
                             "its name",
            "fields": {"frozen": "elements that never changed", "classes": "groups of >= 2 elements equal at "
                       "every step (frozen ones included)", "distinct_values": "number of classes, singletons "
                       "included", "trainable_values": "classes that moved", "buffers": "initializers that are "
                       "not parameters (BatchNorm running statistics)", "opposite_classes": "class "
                       "representatives a, b with a = -b at every step", "reference_point": "the training "
                       "batch (inputs, target: next token ids for cross_entropy), the output and the loss at the "
                       "starting values, and the loss's gradient there (float64), to check an importer's forward "
                       "and backward pass"},
            "models": results,
        }
        EXPECTED.write_text(dump(document) + "\n")
        print("wrote %s" % EXPECTED.relative_to(HOME))


if __name__ == "__main__":
    main()
