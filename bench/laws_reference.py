#!/usr/bin/env python3
"""The two experiment families of Marcotte, Gribonval and Peyre (NeurIPS 2023) for `netsym laws`.

50 random ReLU MLPs (depth 2-4, widths 2-9, half with biases) and 50 linear MLPs (widths 2-5),
square loss. Known answers, computed here independently of netsym:
  ReLU:   the sum of the hidden widths (one balancedness law per hidden unit);
  linear: the rank, at a random integer point and in exact rational arithmetic, of the gradients
          of the entries of W_l W_l^T - W_{l+1}^T W_{l+1} for every hidden layer l.
For each network it checks the count, that `exact` is true, that every listed law has a
certificate, and times the whole process; `netsym check` on the same file is the baseline (the
start-up floor of the JVM), run in the same loop.

Usage: bench/laws_reference.py [--seed N] [--count N]
"""
import argparse, json, os, random, subprocess, sys, tempfile, time
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETSYM = os.path.join(ROOT, "netsym")


def spec(widths, relu, bias):
    lines = ["network mlp", f"input x[{widths[0]}]", f"target t[{widths[-1]}]"]
    source = "x"
    for l, w in enumerate(widths[1:], start=1):
        last = l == len(widths) - 1
        name = "out" if last else f"h{l}"
        dense = f"dense({source}, bias)" if bias else f"dense({source})"
        body = dense if last or not relu else f"relu({dense})"
        lines.append(f"layer {name}[{w}] = {body}")
        source = name
    lines.append("objective sum((out - t)^2)")
    return "\n".join(lines) + "\n"


def rank(rows):
    rows = [r[:] for r in rows]
    r = 0
    cols = len(rows[0]) if rows else 0
    for c in range(cols):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c] / rows[r][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        r += 1
    return r


def linear_known(widths, rng):
    # W[l][j][i]: layer l (1-based), unit j, source i; parameters indexed in one flat list.
    index, W = {}, {}
    for l in range(1, len(widths)):
        for j in range(widths[l]):
            for i in range(widths[l - 1]):
                index[(l, j, i)] = len(index)
                W[(l, j, i)] = Fraction(rng.randint(-9, 9))
    rows = []
    for l in range(1, len(widths) - 1):
        n = widths[l]
        for a in range(n):
            for b in range(a, n):
                g = [Fraction(0)] * len(index)
                # (W_l W_l^T)_ab = sum_i W_l[a,i] W_l[b,i]
                for i in range(widths[l - 1]):
                    g[index[(l, a, i)]] += W[(l, b, i)]
                    g[index[(l, b, i)]] += W[(l, a, i)]
                # (W_{l+1}^T W_{l+1})_ab = sum_j W_{l+1}[j,a] W_{l+1}[j,b]
                for j in range(widths[l + 1]):
                    g[index[(l + 1, j, a)]] -= W[(l + 1, j, b)]
                    g[index[(l + 1, j, b)]] -= W[(l + 1, j, a)]
                rows.append(g)
    return rank(rows)


def run(args):
    start = time.perf_counter()
    p = subprocess.run([NETSYM] + args, capture_output=True, text=True)
    return p, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--count", type=int, default=50)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    run(["--version"])  # builds once if needed, outside the timings
    nets = []
    for k in range(a.count):
        depth = rng.randint(2, 4)
        widths = [rng.randint(2, 9) for _ in range(depth + 1)]
        nets.append(("relu", widths, k % 2 == 0, sum(widths[1:-1])))
    for k in range(a.count):
        depth = rng.randint(2, 4)
        widths = [rng.randint(2, 5) for _ in range(depth + 1)]
        nets.append(("linear", widths, False, linear_known(widths, rng)))
    failures, times, floors = 0, {"relu": [], "linear": []}, {"relu": [], "linear": []}
    with tempfile.TemporaryDirectory() as d:
        for n, (kind, widths, bias, known) in enumerate(nets):
            path = os.path.join(d, f"{kind}{n}.net")
            with open(path, "w") as f:
                f.write(spec(widths, kind == "relu", bias))
            p, seconds = run(["laws", "--format", "json", path])
            _, floor = run(["check", path])
            times[kind].append(seconds)
            floors[kind].append(floor)
            ok = p.returncode == 0
            if ok:
                out = json.loads(p.stdout)
                ok = (out["count"] == known and out["exact"] and out["complete"]
                      and all(l["certificate"] for l in out["laws"]))
            if not ok:
                failures += 1
                print(f"FAIL {kind} widths={widths} bias={bias} known={known}: rc={p.returncode} "
                      f"{p.stdout[:300]} {p.stderr[:300]}")
            else:
                print(f"ok   {kind:6} widths={widths} bias={bias!s:5} count={known:3} {seconds:5.2f} s "
                      f"(check {floor:4.2f} s)")
    for kind in ("relu", "linear"):
        t, f = sorted(times[kind]), sorted(floors[kind])
        print(f"{kind}: median {t[len(t)//2]:.2f} s, max {t[-1]:.2f} s per network, whole process; "
              f"median ratio to 'netsym check' {sorted(x / y for x, y in zip(times[kind], floors[kind]))[len(t)//2]:.1f}x")
    within = sum(1 for kind in times for t in times[kind] if t <= 1.0)
    print(f"{within}/{len(nets)} networks within 1 s, whole process")
    print(f"{len(nets) - failures}/{len(nets)} networks: count equal to the known answer, exact, every law proved")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
