import math
import sys
from fractions import Fraction

import torch

torch.set_default_dtype(torch.float64)


def lift(x):
    return x if torch.is_tensor(x) else torch.tensor(float(x), dtype=torch.float64)


GELU_CUBIC = 0.044715
SQRT_EIGHT_OVER_PI = math.sqrt(8.0 / math.pi)


class ops:
    """The spec language's builtins, written so that autograd follows netsym's conventions at kinks."""

    @staticmethod
    def relu(z):
        z = lift(z)
        return torch.where(z > 0, z, torch.zeros_like(z))  # relu'(0) = 0

    @staticmethod
    def leaky_relu(z, slope):
        z, slope = lift(z), lift(slope)
        return torch.where(z > 0, z, slope * z)  # ∂/∂z at 0 is the slope

    @staticmethod
    def tanh(z):
        return torch.tanh(lift(z))

    @staticmethod
    def sigmoid(z):
        return torch.sigmoid(lift(z))

    @staticmethod
    def softplus(z):
        z = lift(z)
        return torch.logaddexp(z, torch.zeros_like(z))  # no threshold, unlike torch.nn.functional.softplus

    @staticmethod
    def exp(z):
        return torch.exp(lift(z))

    @staticmethod
    def log(z):
        z = lift(z)
        if z.item() <= 0:
            raise FloatingPointError("log of %r" % z.item())
        return torch.log(z)

    @staticmethod
    def sqrt(z):
        return torch.sqrt(lift(z))

    @staticmethod
    def abs(z):
        return torch.abs(lift(z))  # abs'(0) = 0

    @staticmethod
    def max(a, b):
        a, b = lift(a), lift(b)
        return torch.where(a > b, a, torch.where(a < b, b, (a + b) / 2))  # each partial 1/2 at a tie

    @staticmethod
    def min(a, b):
        a, b = lift(a), lift(b)
        return torch.where(a < b, a, torch.where(a > b, b, (a + b) / 2))

    @staticmethod
    def elu(z):
        z = lift(z)
        return torch.where(z > 0, z, torch.expm1(torch.clamp(z, max=0.0)))  # elu'(0) = 1

    @staticmethod
    def erf(z):
        return torch.erf(lift(z))

    @staticmethod
    def gelu(z):
        z = lift(z)
        return z * 0.5 * torch.erfc(-z / math.sqrt(2.0))

    @staticmethod
    def gelu_tanh(z):
        z = lift(z)
        return z * torch.sigmoid(SQRT_EIGHT_OVER_PI * (z + GELU_CUBIC * z ** 3))

    @staticmethod
    def silu(z):
        z = lift(z)
        return z * torch.sigmoid(z)


class TableActivation(torch.autograd.Function):
    """A declared activation known only by the values the witness run read: f(at) and f'(at)."""

    @staticmethod
    def forward(ctx, z, lookup):
        ctx.save_for_backward(z)
        ctx.lookup = lookup
        return torch.tensor(lookup(0, z.item()), dtype=torch.float64)

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * ctx.lookup(1, z.item()), None


def table_activation(name, rows):
    lookup = table_lookup(name, rows)

    return lambda z: TableActivation.apply(lift(z), lookup)


def gradient(theta, samples, activations):
    """The objective summed over the samples, and its gradient (name -> float), by autograd."""
    names = list(theta)
    leaves = {name: torch.tensor(theta[name], dtype=torch.float64, requires_grad=True) for name in names}
    loss = lift(0.0)
    for sample in samples:
        loss = loss + lift(objective(leaves, sample, activations))
    grads = torch.autograd.grad(loss, [leaves[n] for n in names], allow_unused=True)
    total = {n: (0.0 if g is None else g.item()) for n, g in zip(names, grads)}
    # PyTorch goes on with inf and nan where float64 overflows: stop, as the NumPy script does.
    if not math.isfinite(loss.item()) or not all(math.isfinite(g) for g in total.values()):
        raise FloatingPointError("the objective or its gradient is not finite in float64 (overflow)")
    return loss.item(), total
