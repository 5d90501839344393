#!/usr/bin/env python3
"""Checks `netsym prove --witness-script` on every example: the scripts run and show the witnesses.

Usage:
  python3 bench/witness_scripts.py [--python /usr/bin/python3] [NAME ...]

For every examples/*.net and examples/onnx/*.onnx (or the NAMEs given, e.g. cs231n lora_zero) it runs
  netsym prove --format json FILE --witness-script python -o DIR/NAME.py
(and the same with `torch` when the Python below can import torch), runs each script with that Python
(default: Debian's /usr/bin/python3, which has NumPy and PyTorch), and checks that
  - the script exits 0 and prints one line per separation and move of the JSON, with the same kind,
    parameters and step: shown ("separates: P Q at step T: ..." / "moves: P at step T: ..."), or
    "too small for float64" (a difference float64 cannot resolve), or "not replayed in float64" (the
    run overflows float64 where netsym's decimals do not): said so, not claimed;
  - no line says DISAGREES.
Networks the script refuses as too big (exit 65 before proving) and ONNX files netsym cannot prove are
listed, not failed. Prints a table and the tally; exits 1 on any failure.
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
NETSYM = HOME / "netsym"
LINE = re.compile(r"^(?:(too small for float64|not replayed in float64): )?(separates|moves): (\S+)(?: (-?)(\S+))?"
                  r" at step (\d+):")
SCRIPT_TIMEOUT = 900


def expected_claims(proof):
    """(kind, first, second, step) of every separation, second prefixed with '-' for opposite pairs."""
    claims = set()
    for s in proof["separations"]:
        step = s["witness"]["step"]
        if s["second"] is None:
            claims.add(("moves", s["first"], None, step))
        else:
            second = ("-" if s["opposite"] else "") + s["second"]
            claims.add(("separates", s["first"], second, step))
    return claims


def check_script(python, script, claims):
    """Runs one script; returns ({outcome: count}, problems, seconds)."""
    started = time.monotonic()
    try:
        done = subprocess.run([python, str(script)], capture_output=True, text=True, timeout=SCRIPT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {}, ["timed out after %d s" % SCRIPT_TIMEOUT], SCRIPT_TIMEOUT
    seconds = time.monotonic() - started
    problems, seen, counts = [], set(), {}
    if done.returncode != 0:
        problems.append("exit %d: %s" % (done.returncode, (done.stderr.strip().splitlines() or ["?"])[-1]))
    for line in done.stdout.splitlines():
        if line.startswith("DISAGREES"):
            problems.append(line)
            continue
        m = LINE.match(line)
        if not m:
            continue
        outcome, kind, first, minus, second, step = m.groups()
        claim = (kind, first, (minus + second) if second else None, int(step))
        if claim not in claims:
            problems.append("a line the proof does not claim: " + line)
        seen.add(claim)
        counts[outcome or "shown"] = counts.get(outcome or "shown", 0) + 1
    for claim in sorted(claims - seen, key=str):
        problems.append("no line for %s" % (claim,))
    if not done.stdout.splitlines() or not done.stdout.splitlines()[-1].startswith("witnesses: "):
        problems.append("no summary line")
    return counts, problems, seconds


def prove(spec, language, out_dir):
    """netsym's JSON and the script's path, or (None, reason) when netsym does not prove it."""
    script = out_dir / ("%s-%s.py" % (spec.stem, language))
    started = time.monotonic()
    done = subprocess.run([str(NETSYM), "prove", "--format", "json", str(spec), "--witness-script", language,
                           "-o", str(script)], capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        return None, "prove exit %d: %s" % (done.returncode, (done.stderr.strip().splitlines() or ["?"])[-1]), seconds
    return json.loads(done.stdout), script, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="/usr/bin/python3", help="the Python that runs the scripts")
    parser.add_argument("names", nargs="*", help="example names (default: all)")
    args = parser.parse_args()
    specs = sorted((HOME / "examples").glob("*.net")) + sorted((HOME / "examples" / "onnx").glob("*.onnx"))
    if args.names:
        specs = [s for s in specs if s.stem in args.names]
    languages = ["python"]
    if subprocess.run([args.python, "-c", "import torch"], capture_output=True).returncode == 0:
        languages.append("torch")
    else:
        print("(no torch for %s: NumPy scripts only)" % args.python)
    skipped = []
    outcomes = ["shown", "too small for float64", "not replayed in float64"]
    totals = {language: {"witnesses": 0, "files failed": 0} for language in languages}
    print("| example | script | witnesses | " + " | ".join(outcomes) + " | prove s | script s | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            for language in languages:
                proof, script, prove_seconds = prove(spec, language, Path(tmp))
                if proof is None:
                    skipped.append("%s (%s): %s" % (spec.name, language, script))
                    break
                claims = expected_claims(proof)
                counts, problems, seconds = check_script(args.python, script, claims)
                total = totals[language]
                total["witnesses"] += len(claims)
                total["files failed"] += bool(problems)
                for outcome in outcomes:
                    total[outcome] = total.get(outcome, 0) + counts.get(outcome, 0)
                print("| %s | %s | %d | %s | %.1f | %.1f | %s |"
                      % (spec.name, language, len(claims), " | ".join(str(counts.get(o, 0)) for o in outcomes),
                         prove_seconds, seconds, "agree" if not problems else "FAIL"))
                for p in problems[:10]:
                    print("    " + p)
    for s in skipped:
        print("not checked: " + s)
    for language, total in totals.items():
        print("%s: %s" % (language, ", ".join("%d %s" % (n, what) for what, n in total.items())))
    sys.exit(1 if any(t["files failed"] for t in totals.values()) else 0)


if __name__ == "__main__":
    main()
