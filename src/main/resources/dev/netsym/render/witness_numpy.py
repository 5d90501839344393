import math
import sys
from fractions import Fraction

import numpy as np

# Overflow, division by zero and invalid operations stop the run instead of going on with inf or nan.
np.seterr(over="raise", divide="raise", invalid="raise", under="ignore")


# Reverse-mode differentiation over scalars: every value remembers the values it was computed
# from and its partial derivative with respect to each; the gradient is one pass backwards.
class Var:
    __slots__ = ("value", "parents", "order")
    created = 0

    def __init__(self, value, parents=()):
        self.value = np.float64(value)
        self.parents = parents
        Var.created += 1
        self.order = Var.created

    def __add__(self, other):
        other = lift(other)
        return Var(self.value + other.value, ((self, 1.0), (other, 1.0)))

    __radd__ = __add__

    def __sub__(self, other):
        other = lift(other)
        return Var(self.value - other.value, ((self, 1.0), (other, -1.0)))

    def __rsub__(self, other):
        return lift(other) - self

    def __mul__(self, other):
        other = lift(other)
        return Var(self.value * other.value, ((self, other.value), (other, self.value)))

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = lift(other)
        quotient = self.value / other.value
        return Var(quotient, ((self, 1.0 / other.value), (other, -quotient / other.value)))

    def __rtruediv__(self, other):
        return lift(other) / self

    def __neg__(self):
        return Var(-self.value, ((self, -1.0),))

    def __pow__(self, exponent):
        if isinstance(exponent, int):
            slope = exponent * self.value ** (exponent - 1) if exponent != 0 else 0.0
            return Var(self.value ** exponent, ((self, slope),))
        return ops.exp(lift(exponent) * ops.log(self))

    def __rpow__(self, base):
        return ops.exp(self * ops.log(lift(base)))


def lift(x):
    return x if isinstance(x, Var) else Var(x)


def local(value, args, partials):
    return Var(value, tuple(zip(args, partials)))


def backward(output, wanted):
    """d output / d w for every w in wanted (a dict name -> Var)."""
    nodes, seen, stack = [], set(), [output]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(parent for parent, _ in node.parents)
    adjoint = {id(output): np.float64(1.0)}
    for node in sorted(nodes, key=lambda n: -n.order):
        a = adjoint.get(id(node))
        if a is None:
            continue
        for parent, partial in node.parents:
            adjoint[id(parent)] = adjoint.get(id(parent), 0.0) + a * partial
    return {name: float(adjoint.get(id(var), 0.0)) for name, var in wanted.items()}


def tie_split(difference):
    """max(a, b): ∂/∂a is 1 where a > b, 0 where a < b, 1/2 at a tie (PyTorch's convention)."""
    return 1.0 if difference > 0 else 0.0 if difference < 0 else 0.5


def sigmoid_value(x):
    return 1.0 / (1.0 + np.exp(-x)) if x >= 0 else np.exp(x) / (1.0 + np.exp(x))


def sigmoid_slope(x):
    e = np.exp(-abs(x))
    return e / ((1.0 + e) * (1.0 + e))


GELU_CUBIC = 0.044715
SQRT_EIGHT_OVER_PI = math.sqrt(8.0 / math.pi)


class ops:
    """The spec language's builtins: value and partial derivatives, conventions as in netsym --help-spec."""

    @staticmethod
    def relu(z):
        z = lift(z)
        return local(z.value if z.value > 0 else 0.0, (z,), (1.0 if z.value > 0 else 0.0,))

    @staticmethod
    def leaky_relu(z, slope):
        z, slope = lift(z), lift(slope)
        if z.value > 0:
            return local(z.value, (z, slope), (1.0, 0.0))
        return local(slope.value * z.value, (z, slope), (slope.value, z.value))

    @staticmethod
    def tanh(z):
        z = lift(z)
        e = np.exp(-2.0 * abs(z.value))  # sech²(z) = 4e/(1 + e)², with no cancellation in the tails
        return local(np.tanh(z.value), (z,), (4.0 * e / ((1.0 + e) * (1.0 + e)),))

    @staticmethod
    def sigmoid(z):
        z = lift(z)
        return local(sigmoid_value(z.value), (z,), (sigmoid_slope(z.value),))

    @staticmethod
    def softplus(z):
        z = lift(z)
        return local(np.logaddexp(0.0, z.value), (z,), (sigmoid_value(z.value),))

    @staticmethod
    def exp(z):
        z = lift(z)
        value = np.exp(z.value)
        return local(value, (z,), (value,))

    @staticmethod
    def log(z):
        z = lift(z)
        if z.value <= 0:
            raise FloatingPointError("log of %r" % float(z.value))
        return local(np.log(z.value), (z,), (1.0 / z.value,))

    @staticmethod
    def sqrt(z):
        z = lift(z)
        value = np.sqrt(z.value)
        return local(value, (z,), (1.0 / (2.0 * value),))

    @staticmethod
    def abs(z):
        z = lift(z)
        return local(abs(z.value), (z,), (np.sign(z.value),))

    @staticmethod
    def max(a, b):
        a, b = lift(a), lift(b)
        d = a.value - b.value
        return local(b.value if d < 0 else a.value, (a, b), (tie_split(d), tie_split(-d)))

    @staticmethod
    def min(a, b):
        a, b = lift(a), lift(b)
        d = a.value - b.value
        return local(b.value if d > 0 else a.value, (a, b), (tie_split(-d), tie_split(d)))

    @staticmethod
    def elu(z):
        z = lift(z)
        if z.value > 0:
            return local(z.value, (z,), (1.0,))
        return local(np.expm1(z.value), (z,), (np.exp(z.value),))

    @staticmethod
    def erf(z):
        z = lift(z)
        return local(math.erf(z.value), (z,), (2.0 / math.sqrt(math.pi) * np.exp(-z.value * z.value),))

    @staticmethod
    def gelu(z):
        z = lift(z)
        cdf = 0.5 * math.erfc(-z.value / math.sqrt(2.0))
        density = np.exp(-0.5 * z.value * z.value) / math.sqrt(2.0 * math.pi)
        return local(z.value * cdf, (z,), (cdf + z.value * density,))

    @staticmethod
    def gelu_tanh(z):
        z = lift(z)
        v = SQRT_EIGHT_OVER_PI * (z.value + GELU_CUBIC * z.value ** 3)
        dv = SQRT_EIGHT_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * z.value * z.value)
        return local(z.value * sigmoid_value(v), (z,), (sigmoid_value(v) + z.value * sigmoid_slope(v) * dv,))

    @staticmethod
    def silu(z):
        z = lift(z)
        s = sigmoid_value(z.value)
        return local(z.value * s, (z,), (s + z.value * sigmoid_slope(z.value),))


def table_activation(name, rows):
    """A declared activation known only by the values the witness run read: f(at) and f'(at)."""
    lookup = table_lookup(name, rows)

    def f(z):
        z = lift(z)
        return local(lookup(0, z.value), (z,), (lookup(1, z.value),))

    return f


def gradient(theta, samples, activations):
    """The objective summed over the samples, and its gradient (name -> float)."""
    leaves = {name: Var(value) for name, value in theta.items()}
    total = {name: 0.0 for name in theta}
    loss = 0.0
    for sample in samples:
        output = lift(objective(leaves, sample, activations))
        loss += float(output.value)
        for name, g in backward(output, leaves).items():
            total[name] += g
    if not math.isfinite(loss) or not all(math.isfinite(g) for g in total.values()):
        raise FloatingPointError("the objective or its gradient is not finite in float64 (overflow)")
    return loss, total
