

def table_lookup(name, rows):
    """f^(order)(z) from the rows (order, at, value) netsym recorded, z matched to within rounding."""
    table = [(order, float(Fraction(at)), float(Fraction(value))) for order, at, value in rows]

    def lookup(order, z):
        for o, at, value in table:
            if o == order and abs(at - z) <= 1e-9 * max(1.0, abs(at)):
                return value
        raise LookupError("netsym's run did not read %s%s at %r" % (name, "'" * order, float(z)))

    return lookup


def number(text):
    """A value as netsym wrote it (3/5, -0.25, 1e-3), rounded once to float64."""
    return float(Fraction(text))


def netsym_value(text):
    """netsym's value as a float, or None for a residue modulo a prime (not a real number)."""
    if text.startswith("residue"):
        return None
    if text.startswith("≈ "):
        text = text.split()[1]
    return number(text)


def descend(theta, samples, eta, steps, activations, penalty):
    """Full-batch gradient descent, θ ← θ − η·r·(Σ_samples ∂L/∂θ + penalty), as netsym ran it; all iterates.

    r is the parameter's learning rate from the spec's lr lines (RATES, 1 if absent); penalty is
    (kind, λ): none, λθ for weight decay (L2 or decoupled: the same for gradient descent), λ·sign θ for L1.
    """
    kind, strength = penalty[0], number(penalty[1])
    trajectory = [dict(theta)]
    for _ in range(steps):
        _, g = gradient(theta, samples, activations)
        step = {}
        for name in theta:
            pull = strength * theta[name] if kind in ("L2", "DECOUPLED") else strength * sign(theta[name]) \
                if kind == "L1" else 0.0
            step[name] = theta[name] - eta * number(RATES.get(name, "1")) * (g[name] + pull)
        theta = step
        trajectory.append(theta)
    return trajectory


# A difference counts as shown by float64 when it is above SHOWN_ABOVE relative to the values: a
# few steps of float64 arithmetic leave rounding errors near 1e-16, many orders of magnitude below.
# Between ROUNDING_BELOW and SHOWN_ABOVE it counts only where it matches the difference of netsym's
# own (exact or many-digit) values to within CONFIRMED_WITHIN; below ROUNDING_BELOW never.
SHOWN_ABOVE = 1e-9
ROUNDING_BELOW = 1e-13
CONFIRMED_WITHIN = 0.25
# How closely the float64 values must agree with the values netsym printed (8 digits or more).
AGREES_WITHIN = 1e-6


def close(x, expected):
    return abs(x - expected) <= AGREES_WITHIN * max(1.0, abs(expected))


def sign(x):
    return (x > 0) - (x < 0)


def verdict(a, b, expected_a, expected_b):
    """'shown', 'too small for float64' or 'disagree', for float64's a, b against netsym's (None: unknown)."""
    known = expected_a is not None and expected_b is not None
    if known and not (close(a, expected_a) and close(b, expected_b)):
        return "disagree"
    difference, scale = a - b, max(1.0, abs(a), abs(b))
    # netsym prints enough digits to tell its values apart, so the sign of their difference is
    # right or, where the display rounded the difference away, 0.
    expected = expected_a - expected_b if known else 0.0
    if abs(difference) > SHOWN_ABOVE * scale:
        return "disagree" if sign(expected) == -sign(difference) else "shown"
    if abs(difference) > ROUNDING_BELOW * scale and expected != 0.0 \
            and abs(difference - expected) <= CONFIRMED_WITHIN * abs(expected):
        return "shown"
    return "too small for float64"


def claim(kind, first, second, step):
    """What netsym claims, as the script's lines say it: -second for a pair that started opposite."""
    if kind == "moves":
        return "moves: %s at step %d" % (first, step)
    return "separates: %s %s%s at step %d" % (first, "-" if kind == "opposite" else "", second, step)


def check_run(run, tally):
    """Replays one witness run and prints one line per witness."""
    label, how, start, samples, eta, penalty, activations, witnesses = run
    steps = max(w[3] for w in witnesses)
    try:
        theta = initial_parameters({name: number(v) for name, v in start.items()})
        data = [{name: number(v) for name, v in sample.items()} for sample in samples]
        trajectory = descend(theta, data, number(eta), steps, activations, penalty)
    except (FloatingPointError, ZeroDivisionError, OverflowError, LookupError) as e:
        for kind, first, second, step, _, _ in witnesses:
            print("not replayed in float64: %s: run %s stopped: %s (netsym: %s)" % (claim(kind, first, second, step),
                                                                                  label, e, how))
        tally["not replayed"] += len(witnesses)
        return
    for kind, first, second, step, netsym_first, netsym_second in witnesses:
        a = trajectory[step][first]
        if kind == "moves":
            b = trajectory[0][first]
        elif kind == "separates":
            b = trajectory[step][second]
        else:  # started as each other's negatives and stop being so: compare with the negative
            b = -trajectory[step][second]
        expected_a, expected_b = netsym_value(netsym_first), netsym_value(netsym_second)
        if kind == "opposite" and expected_b is not None:
            expected_b = -expected_b
        # 12 digits, or all 17 where the difference hides beyond the 12th.
        shape = "%.12g" if abs(a - b) > SHOWN_ABOVE * max(1.0, abs(a), abs(b)) else "%.17g"
        values = (shape + " (started at " + shape + ")" if kind == "moves" else shape + " vs " + shape) % (a, b)
        netsym = "netsym: %s %s %s" % (netsym_first, "from" if kind == "moves" else "vs", netsym_second)
        what = claim(kind, first, second, step)
        outcome = verdict(a, b, expected_a, expected_b)
        if outcome == "disagree":
            print("DISAGREES with netsym: %s: float64 gives %s; %s" % (what, values, netsym))
        elif outcome == "too small for float64":
            print("too small for float64: %s: %s, a difference float64 cannot tell from rounding (%s, %s)"
                  % (what, values, netsym, how))
        else:
            print("%s: %s" % (what, values))
        tally[outcome] += 1


def main():
    tally = {"shown": 0, "too small for float64": 0, "disagree": 0, "not replayed": 0}
    for run in RUNS:
        check_run(run, tally)
    print("witnesses: " + ", ".join("%d %s" % (n, what) for what, n in tally.items()))
    sys.exit(1 if tally["disagree"] else 0)

