#!/usr/bin/python3
"""The scale benchmark (issue #14, "Scale to the models people train"): proves a ResNet-18-shaped CNN
and a GPT-2-small-shaped transformer end to end through `./netsym prove`, as tensor specs and as ONNX
exports, next to the time of one PyTorch training step of the same model, and a growth series of the
GPT-2 shape by depth and width. It measures where netsym stands; it is not part of `mvn test`.

Run with Debian's Python, the one that has PyTorch 1.13 and onnx 1.12:

  /usr/bin/python3 bench/scale.py                 quick: toy checks, ResNet-18, GPT-2 small (3 inits),
                                                  growth series up to ~8M weights (well under 15 min)
  /usr/bin/python3 bench/scale.py --full          growth series up to GPT-2 small (123.7M weights)
  options: --timeout S (per netsym run, default 300), --run-on (do not stop a growth series at its
           first failure), --only toy,resnet,gpt2,growth-small,growth,simulate (simulate: seconds per gradient
           of `simulate` on the small growth series, not in the default run), --no-onnx, --keep DIR (keep the generated
           specs and ONNX files there; default: a temporary directory, removed at the end),
           --torch-runs N (timed PyTorch steps, median; default 3)

The models (written out in bench/scale_models.py):
  ResNet-18, CIFAR style: 3x3 conv 64, four stages of two basic blocks (64/128/256/512, stride 2 and a
    1x1 projection shortcut at the start of stages 2-4), batch norm in training mode, relu, global
    average pool, linear 10; input 3x32x32, batch 1; 11,173,962 weights. Differences from the usual
    code: in the spec, batch norm of a [C,H,W] map is batch_norm of it reshaped to [1,C,H,W] (the same
    thing as BatchNorm2d on a batch of one) and the average pool is a mean over the map reshaped to
    [C,H*W] (exact); the loss is cross-entropy against a random target distribution.
  GPT-2 small: 12 pre-norm blocks, 12 heads, d = 768, vocabulary 50,257, sequence length 16, tied
    embeddings, tanh GELU; 123,665,664 weights. Differences: only the 16 positions a run of 16 tokens
    uses are parameters (GPT-2 has 1024 rows: 124,439,808 weights); q, k and v are three projections
    (GPT-2 fuses them into c_attn; same weights); tokens are one-hot rows times E in the spec, an
    embedding lookup (Gather) in PyTorch and the ONNX file. An ONNX export over 100 MiB is saved
    with its weights as external data (FILE.onnx.data, "onnx+data" in the table): netsym reads at
    most 128 MiB of model file.
  Initialisations: "random" (GPT-2's: weights random, layer-norm gains 1, biases 0; ResNet: PyTorch's
    defaults, batch-norm gains 1, biases 0), and for the GPT shape the classic failure cases "zero-qk"
    (query and key weights and biases 0 in every block) and "identical-heads" (every head starts as a
    copy of the first, in every block).
  Toy checks (first): the GPT shape at gpt2-tiny's size (L 2, d 4, 2 heads, V 6, T 3; 532 weights) and
    twice as wide (L 2, d 8, 2 heads, V 16, T 4; 1,920 weights), and the ResNet-18 shape shrunk to
    width 1 and one basic block per stage on a 3x16x16 input (1,401 weights), every initialisation,
    as spec and ONNX: `netsym check` must accept them, `netsym prove` must prove them (exit 0;
    "incomplete" means some pairs stayed undecided, every claim still sound), and netsym's parameter
    count must equal the PyTorch model's. (Today the ResNet shape at width 2 with both blocks, 11,420
    weights, runs out of a 120 s budget, and the GPT shape at L 2, d 16, V 32, T 4, 7,168 weights,
    needs more than prove's default 60 s.)
  Growth series: the GPT-2 shape by depth and width (head width 64, vocabulary 50257*d/768, T = 16)
    from 1.3M to 123.7M weights, specs only, random initialisation. The time ratio per doubling is
    (t2/t1)^(1/log2(w2/w1)), so that steps that are not exact doublings compare. The small series
    (growth-small) is the GPT shape at L 2, 2 heads, V = 2d, T 4 for d = 8, 16, 32, 64, 96, 128: 1,920
    to 430,080 weights, the range the element-wise engine reaches today (d 160 passes the spec budget).

What is measured, per netsym run: wall time, CPU time (user + system) and peak resident memory of the
whole `./netsym prove --format json --timeout S FILE` process (GNU time; the launcher starts one JVM,
with no -Xmx: the JVM's default maximum heap, a quarter of the RAM, unless NETSYM_JAVA_OPTS sets one;
the script prints which), and the outcome: ok (with the parameter count, trainable values, classes
with more than one member, frozen and undecided parameters), refused (exit 65, netsym's message),
budget (exit 75: netsym's own time budget, which is set to --timeout, ran out), timeout (the
process was killed --timeout + 60 s after its start), killed (by a signal, e.g. out of memory) or
error. The PyTorch step: the same model, batch 1, forward + backward (no optimiser update), float64
and float32, torch.set_num_threads(2), one warm-up step then the median of --torch-runs steps; the
ratio is netsym's wall time over the float64 step. A model's failure variants share its step times
(same architecture). netsym and PyTorch never run at the same time.

Targets of the issue (for the engine work; this script only measures): ResNet-18 prove <= 15 s and
<= 4 GB; GPT-2 small <= 120 s and <= 12 GB; <= 20x one float64 PyTorch step; growth <= 2.1x per
doubling. Exit status: 0 when every toy check passed (whatever the big models did), 1 otherwise.
"""
import argparse
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import torch
    import onnx  # noqa: F401  (torch.onnx.export needs it)
except ImportError as e:
    sys.exit("scale.py: %s (needs PyTorch and onnx: run it with /usr/bin/python3)" % e)

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_models as M  # noqa: E402

HOME = Path(__file__).resolve().parent.parent
NETSYM = HOME / "netsym"
GRACE = 60  # seconds past --timeout before the harness kills a run

TOY_GPT = M.GptShape(2, 4, 2, 6, 3)
TOY_GPT_WIDE = M.GptShape(2, 8, 2, 16, 4)
TOY_RESNET = M.ResNetShape(1, 16, blocks=1)
RESNET18 = M.ResNetShape(64, 32)
GPT2_SMALL = M.GptShape(12, 768, 12, 50257, 16)


def gpt_point(layers, width):
    return M.GptShape(layers, width, width // 64, round(50257 * width / 768), 16)


# (layers, width): 1.27M, 1.87M, 3.75M, 7.45M | 15.3M, 32.5M, 61.6M, 123.7M weights
GROWTH_QUICK = [gpt_point(1, 128), gpt_point(4, 128), gpt_point(3, 192), gpt_point(4, 256)]
GROWTH_FULL = GROWTH_QUICK + [gpt_point(7, 320), gpt_point(8, 448), gpt_point(10, 576), gpt_point(12, 768)]
# What the element-wise engine reaches today: L 2, 2 heads, V = 2d, T = 4; d 8 to 208: 1,920, 7,168, 27,648,
# 108,544, 242,688, 430,080, 964,608 and 1,131,520 weights
GROWTH_SMALL = [M.GptShape(2, d, 2, 2 * d, 4) for d in (8, 16, 32, 64, 96, 128, 192, 208)]


# ------------------------------------------------------------------------------------ netsym runs

def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = Path("/proc/%d/task/%d/children" % (p, p)).read_text().split()
        except OSError:
            continue
        out += [int(k) for k in kids]
        todo += [int(k) for k in kids]
    return out


def peak_kb(pid):
    try:
        for line in Path("/proc/%d/status" % pid).read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def netsym(command, path, timeout, extra=()):
    """Runs ./netsym COMMAND; a dict with outcome, wall, cpu, peak_mb, rc, message, json (prove)."""
    fd, time_file = tempfile.mkstemp(prefix="scale-time-")
    os.close(fd)
    args = [str(NETSYM), command] + list(extra)
    if command == "prove":
        args += ["--format", "json", "--timeout", str(timeout)]
    args.append(str(path))
    out_file = tempfile.TemporaryFile()
    err_file = tempfile.TemporaryFile()
    start = time.monotonic()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%e %U %S %M", "-o", time_file] + args,
                            stdout=out_file, stderr=err_file, start_new_session=True, cwd=str(HOME))
    peak, killed_by_us = 0, False
    while proc.poll() is None:
        for p in descendants(proc.pid):
            peak = max(peak, peak_kb(p))
        if time.monotonic() - start > timeout + GRACE:
            os.killpg(proc.pid, signal.SIGKILL)  # the process group this call started
            killed_by_us = True
            proc.wait()
            break
        time.sleep(0.2)
    wall = time.monotonic() - start
    result = {"rc": proc.returncode, "wall": wall, "cpu": None, "peak_mb": peak / 1024 if peak else None,
              "message": "", "json": None, "stdout": ""}
    timed = Path(time_file).read_text().split() if os.path.getsize(time_file) else []
    os.unlink(time_file)
    if len(timed) >= 4 and not killed_by_us:
        # GNU time writes "Command exited with non-zero status N" first when the command fails.
        w, u, s, m = timed[-4:]
        result.update(wall=float(w), cpu=float(u) + float(s), peak_mb=int(m) / 1024)
    out_file.seek(0)
    err_file.seek(0)
    stdout = out_file.read().decode("utf-8", "replace")
    stderr = err_file.read().decode("utf-8", "replace")
    result["stdout"] = stdout
    lines = [l.strip() for l in stderr.splitlines() if l.strip() and not l.startswith("Command ")]
    errors = [l for l in lines if "error" in l]
    message = (errors or lines or [""])[0]
    # "DIR/FILE.net:29:7: error: ..." -> "error: ... (line 29)": the generated file's path says nothing.
    where = re.match(r"^\S+?\.(?:net|onnx)(?::(\d+):\d+)?: ", message)
    if where:
        message = message[where.end():] + (" (line %s)" % where.group(1) if where.group(1) else "")
    result["message"] = message
    rc = proc.returncode
    if killed_by_us:
        result["outcome"] = "timeout"
        result["message"] = "killed after %d s" % (timeout + GRACE)
    elif rc < 0 or rc == 137 or rc == 143:
        result["outcome"] = "killed"
        result["message"] = result["message"] or "signal %d" % (-rc if rc < 0 else rc - 128)
    elif rc == 0:
        result["outcome"] = "ok"
    elif rc == 65:
        result["outcome"] = "refused"
    elif rc == 75:
        result["outcome"] = "budget"
    else:
        result["outcome"] = "error"
    if command == "prove" and rc in (0, 75):
        try:
            result["json"] = json.loads(stdout)
        except ValueError:
            pass
    return result


def verdict(r):
    """A short summary of a prove run: P params, T trainable, C classes>1, F frozen, U undecided."""
    j = r.get("json")
    if r["outcome"] in ("ok", "budget") and j:
        return "%d params, %d trainable, %d classes>1, %d frozen, %d undecided%s" % (
            j["parameters"], j["trainable_values"], sum(1 for c in j["classes"] if len(c) > 1),
            len(j["frozen"]), len(j["undecided"]), "" if j.get("complete") else ", incomplete")
    return shorten(r["message"], 200)


def shorten(s, n):
    s = s.replace(str(HOME) + "/", "")
    return s if len(s) <= n else s[:n - 3] + "..."


def check_params(r):
    """The parameter count `netsym check` prints, or None."""
    for line in r["stdout"].splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "parameters":
            return int(parts[1].rstrip(":"))
    return None


# ----------------------------------------------------------------------------------- PyTorch step

def torch_step(shape, runs):
    """Median seconds of one training step (forward + backward), float64 and float32."""
    times = {}
    model = M.build_twin(shape, "random")
    for dtype in (torch.float64, torch.float32):
        model = model.to(dtype).train()
        inputs, target = M.example_batch(shape, dtype)
        samples = []
        for i in range(runs + 1):
            for p in model.parameters():
                p.grad = None
            t0 = time.perf_counter()
            M.loss_of(model, shape, inputs, target).backward()
            if i:  # the first is the warm-up
                samples.append(time.perf_counter() - t0)
        times[dtype] = statistics.median(samples)
    del model
    return times[torch.float64], times[torch.float32]


# ---------------------------------------------------------------------------------------- output

COLUMNS = ("model", "form", "init", "weights", "netsym params", "outcome", "wall s", "cpu s", "peak MB",
           "torch f64 s", "torch f32 s", "wall / f64", "verdicts or message")


def fmt(x, spec="%.2f"):
    return "—" if x is None else spec % x


def row(model, form, init, weights, r, steps):
    f64, f32 = steps if steps else (None, None)
    j = r.get("json")
    params = j["parameters"] if j else r.get("params")
    ratio = r["wall"] / f64 if f64 and r["outcome"] == "ok" else None
    return (model, form, init, "{:,}".format(weights), "{:,}".format(params) if params is not None else "—",
            r["outcome"], fmt(r["wall"], "%.1f"), fmt(r["cpu"], "%.1f"), fmt(r["peak_mb"], "%.0f"),
            fmt(f64, "%.4f"), fmt(f32, "%.4f"), fmt(ratio, "%.0fx"), verdict(r))


def print_table(rows, columns=COLUMNS):
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---" for _ in columns) + "|")
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    sys.stdout.flush()


def say(*a):
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- runs

def write_spec(shape, variant, out):
    path = out / ("%s-%s.net" % (shape.name().replace(" ", "_"), variant))
    path.write_text(M.gpt_spec(shape, variant) if isinstance(shape, M.GptShape) else M.resnet_spec(shape, variant))
    return path


def write_onnx(shape, variant, out):
    path = out / ("%s-%s.onnx" % (shape.name().replace(" ", "_"), variant))
    model = M.build_twin(shape, variant)
    files = M.export_onnx(model, shape, path)
    return path, sum(p.numel() for p in model.parameters()), files


def variants_of(shape):
    return M.GPT_VARIANTS if isinstance(shape, M.GptShape) else M.RESNET_VARIANTS


def toy_checks(args, out):
    """Check + prove of the toy sizes; the rows and whether all passed."""
    rows, ok = [], True
    for shape in (TOY_GPT, TOY_GPT_WIDE, TOY_RESNET):
        for variant in variants_of(shape):
            torch_params = sum(p.numel() for p in M.build_twin(shape, variant).parameters())
            forms = [("spec", write_spec(shape, variant, out), [])]
            if not args.no_onnx:
                forms.append(("onnx", write_onnx(shape, variant, out)[0], ["--loss", "cross-entropy"]))
            for form, path, extra in forms:
                say("toy: %s %s %s" % (shape.name(), variant, form))
                c = netsym("check", path, args.timeout, extra)
                p = netsym("prove", path, args.timeout, extra)
                counted = p["json"]["parameters"] if p["json"] else None
                good = c["outcome"] == "ok" and p["outcome"] == "ok" and check_params(c) == torch_params == counted
                ok &= good
                rows.append((shape.name(), form, variant, "{:,}".format(torch_params),
                             fmt(check_params(c), "%d"), fmt(counted, "%d"), c["outcome"], p["outcome"],
                             fmt(p["wall"], "%.1f"), fmt(p["peak_mb"], "%.0f"), verdict(p), "pass" if good else "FAIL"))
    print("\nToy checks: netsym's parameter count (check, prove) against PyTorch's")
    print_table(rows, ("model", "form", "init", "PyTorch params", "check params", "prove params", "check",
                       "prove", "wall s", "peak MB", "verdicts or message", "result"))
    return ok


def big_models(args, out, which):
    rows = []
    for key, shape, label in (("resnet", RESNET18, "ResNet-18"), ("gpt2", GPT2_SMALL, "GPT-2 small")):
        if key not in which:
            continue
        say("%s: PyTorch step" % label)
        steps = torch_step(shape, args.torch_runs)
        for variant in variants_of(shape):
            say("%s %s: spec" % (label, variant))
            r = netsym("prove", write_spec(shape, variant, out), args.timeout)
            rows.append(row(label, "spec", variant, shape.weights(), r, steps))
            if not args.no_onnx:
                say("%s %s: ONNX export" % (label, variant))
                path, count, files = write_onnx(shape, variant, out)
                say("%s %s: ONNX prove (%.0f MB in %d file%s)" % (label, variant, sum(f.stat().st_size for f in files) / 2 ** 20,
                                                                 len(files), "s" if len(files) > 1 else ""))
                r = netsym("prove", path, args.timeout, ["--loss", "cross-entropy"])
                rows.append(row(label, "onnx" if len(files) == 1 else "onnx+data", variant, count, r, steps))
                for f in files:
                    f.unlink()  # hundreds of MB each
    return rows


def growth(args, out, series):
    rows, stopped = [], None
    previous = None
    for shape in series:
        if stopped:
            rows.append((shape.name(), "{:,}".format(shape.weights()), "not run", "—", "—", "—", "—", "—",
                         "stopped after the first failure (--run-on runs on)"))
            continue
        say("growth: %s (%d weights)" % (shape.name(), shape.weights()))
        steps = torch_step(shape, args.torch_runs)
        r = netsym("prove", write_spec(shape, "random", out), args.timeout)
        ratio = None
        if r["outcome"] == "ok" and previous:
            ratio = (r["wall"] / previous[1]) ** (1 / math.log2(shape.weights() / previous[0]))
        previous = (shape.weights(), r["wall"]) if r["outcome"] == "ok" else None
        rows.append((shape.name(), "{:,}".format(shape.weights()), r["outcome"], fmt(r["wall"], "%.1f"),
                     fmt(r["cpu"], "%.1f"), fmt(r["peak_mb"], "%.0f"), fmt(steps[0], "%.4f"),
                     fmt(ratio, "%.2fx"), verdict(r)))
        if r["outcome"] != "ok" and not args.run_on:
            stopped = True
    return rows


def simulate_series(args, out):
    """Seconds per gradient of `simulate` on the small growth series: the run at 1 + N steps less the
    run at 1 step (the proof and the picture are the same in both), over the N steps' gradients."""
    rows = []
    extra_steps, samples = 200, 2
    for shape in GROWTH_SMALL:
        say("simulate: %s (%d weights)" % (shape.name(), shape.weights()))
        spec = write_spec(shape, "random", out)
        f64 = torch_step(shape, args.torch_runs)[0]
        runs = []
        for steps in (1, 1 + extra_steps):
            runs.append(netsym("simulate", spec, args.timeout,
                               ["--steps", str(steps), "--samples", str(samples), "-o", str(out / "simulate.svg")]))
        if all(r["outcome"] == "ok" for r in runs):
            # each step: one gradient per sample, from the spec's start and from a random one
            per = (runs[1]["wall"] - runs[0]["wall"]) / (extra_steps * samples * 2)
            rows.append((shape.name(), "{:,}".format(shape.weights()), fmt(runs[0]["wall"], "%.1f"),
                         fmt(runs[1]["wall"], "%.1f"), fmt(runs[1]["peak_mb"], "%.0f"), fmt(per, "%.4f"),
                         fmt(f64, "%.4f"), fmt(per / f64, "%.0fx")))
        else:
            bad = next(r for r in runs if r["outcome"] != "ok")
            rows.append((shape.name(), "{:,}".format(shape.weights()), bad["outcome"], "—", "—", "—", fmt(f64, "%.4f"),
                         bad["message"]))
    return rows


def heap_note():
    """What maximum heap the launcher's JVM gets (it sets no -Xmx itself)."""
    opts = os.environ.get("NETSYM_JAVA_OPTS", "")
    env = dict(os.environ, NETSYM_JAVA_OPTS=(opts + " -XX:+PrintFlagsFinal").strip())
    try:
        text = subprocess.run([str(NETSYM), "--version"], env=env, capture_output=True, text=True, timeout=120).stdout
    except subprocess.TimeoutExpired:
        return "unknown"
    for line in text.splitlines():
        if " MaxHeapSize " in line:
            return "%.1f GB (%s)" % (int(line.split("=")[1].split()[0]) / 2 ** 30,
                                     "NETSYM_JAVA_OPTS=" + opts if opts else "JVM default; the launcher sets no -Xmx")
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", action="store_true", help="the growth series up to GPT-2 small")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per netsym run (default 300)")
    ap.add_argument("--run-on", action="store_true", help="do not stop a growth series at its first failure")
    ap.add_argument("--only", default="toy,resnet,gpt2,growth-small,growth",
                    help="comma list of toy, resnet, gpt2, growth-small, growth, simulate")
    ap.add_argument("--no-onnx", action="store_true", help="specs only")
    ap.add_argument("--keep", metavar="DIR", help="write the generated files to DIR and keep them")
    ap.add_argument("--torch-runs", type=int, default=3, help="timed PyTorch steps (median; default 3)")
    args = ap.parse_args()
    which = set(args.only.split(","))
    torch.set_num_threads(2)
    if not Path("/usr/bin/time").exists():
        sys.exit("scale.py needs GNU time at /usr/bin/time (Debian: apt-get install time)")
    out = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="netsym-scale-"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        subprocess.run([str(NETSYM), "--version"], check=True, capture_output=True)  # build outside the timings
        print("netsym scale benchmark, %s; PyTorch %s, %d threads; netsym timeout %d s (+%d s before a kill)"
              % (time.strftime("%Y-%m-%d"), torch.__version__, torch.get_num_threads(), args.timeout, GRACE))
        print("JVM maximum heap: %s" % heap_note())
        ok = True
        if "toy" in which:
            ok = toy_checks(args, out)
        if which & {"resnet", "gpt2"}:
            rows = big_models(args, out, which)
            print("\nThe models (batch 1; PyTorch step = forward + backward, no optimiser update; wall / f64 only for ok)")
            print_table(rows)
        for series, title in (("growth-small", "at 2 layers, d 8 to 208"), ("growth", "by depth and width")):
            if series not in which:
                continue
            shapes = GROWTH_SMALL if series == "growth-small" else GROWTH_FULL if args.full else GROWTH_QUICK
            rows = growth(args, out, shapes)
            print("\nGrowth series, GPT-2 shape %s (specs, random init; ratio per doubling of weights)" % title)
            print_table(rows, ("model", "weights", "outcome", "wall s", "cpu s", "peak MB", "torch f64 s",
                               "ratio per doubling", "verdicts or message"))
        if "simulate" in which:
            rows = simulate_series(args, out)
            print("\nsimulate on the small growth series (2 samples; per gradient = (wall at 201 steps - wall at 1) / 800)")
            print_table(rows, ("model", "weights", "1 step s", "201 steps s", "peak MB", "s per gradient",
                               "torch f64 s", "per gradient / f64"))
        print("\ntotal %.0f s; toy checks %s" % (time.monotonic() - started, "passed" if ok else "FAILED"))
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
