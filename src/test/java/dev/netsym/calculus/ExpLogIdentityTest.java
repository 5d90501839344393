package dev.netsym.calculus;

import static org.junit.jupiter.api.Assertions.*;

import dev.netsym.model.Expr;
import dev.netsym.model.Rational;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identities between elementary functions (issue #17), decided through the exp-log form. */
class ExpLogIdentityTest {

    static SymbolicEngine engine;

    @BeforeAll
    static void start() {
        engine = new SymbolicEngine(Duration.ofSeconds(10));
        engine.evaluate(ref("warm"));
    }

    @AfterAll
    static void stop() { engine.close(); }

    static Expr ref(String n) { return new Expr.Ref(n); }
    static Expr num(long n) { return Expr.Num.of(n); }
    static Expr half(Expr e) { return new Expr.Quotient(e, num(2)); }
    static Expr call(String f, Expr arg) { return new Expr.Call(f, List.of(arg)); }
    static Expr sum(Expr... t) { return new Expr.Sum(List.of(t)); }
    static Expr prod(Expr... t) { return new Expr.Product(List.of(t)); }
    static Expr neg(Expr e) { return new Expr.Neg(e); }
    static Expr minus(Expr a, Expr b) { return sum(a, neg(b)); }

    static final Expr Z = prod(ref("w"), ref("x"));

    /** a − b, decided and timed; the time is reported, never asserted. */
    static ZeroTest decide(String label, Expr a, Expr b) {
        long t0 = System.nanoTime();
        ZeroTest t = engine.isZeroWithReason(minus(a, b));
        System.err.printf("exp-log identity %-40s %-8s %5d ms%n", label, t.verdict(), (System.nanoTime() - t0) / 1_000_000);
        return t;
    }

    static void assertIdentity(String label, Expr a, Expr b) {
        ZeroTest t = decide(label, a, b);
        assertEquals(SymbolicVerdict.ZERO, t.verdict(), () -> label + ": " + t.reason());
    }

    static void assertNotIdentity(String label, Expr a, Expr b) {
        assertNotEquals(SymbolicVerdict.ZERO, decide(label, a, b).verdict(), label);
    }

    static Expr sigmoidAsTanh(Expr z) { return half(sum(num(1), call("tanh", half(z)))); }

    @Test
    void sigmoidIsHalfOfOnePlusTanhOfHalf() {
        assertIdentity("σ(z) = (1 + tanh(z/2))/2", call("sigmoid", Z), sigmoidAsTanh(Z));
        ZeroTest t = engine.isZeroWithReason(minus(call("sigmoid", Z), sigmoidAsTanh(Z)));
        assertTrue(t.reason().contains("rational function"), t.reason());
        assertFalse(t.atoms().isEmpty(), "the certificate names the exponentials it used");
    }

    @Test
    void tanhIsTwiceSigmoidOfTwiceMinusOne() {
        Expr z = ref("z");
        assertIdentity("tanh(z) = 2σ(2z) − 1", call("tanh", z),
                sum(prod(num(2), call("sigmoid", prod(num(2), z))), neg(num(1))));
    }

    @Test
    void exponentialOfASumIsTheProductOfExponentials() {
        Expr a = ref("a");
        Expr b = ref("b");
        assertIdentity("exp(a+b) = exp(a)·exp(b)", call("exp", sum(a, b)), prod(call("exp", a), call("exp", b)));
        assertIdentity("exp(2a − b/3) = exp(a)²/exp(b/3)", call("exp", sum(prod(num(2), a), neg(new Expr.Quotient(b, num(3))))),
                new Expr.Quotient(new Expr.Power(call("exp", a), num(2)), call("exp", new Expr.Quotient(b, num(3)))));
    }

    @Test
    void logarithmOfAPositiveProductIsTheSumOfLogarithms() {
        Expr a = ref("a");
        Expr b = ref("b");
        assertIdentity("log(e^a·(1+e^b)) = a + softplus(b)",
                call("log", prod(call("exp", a), sum(num(1), call("exp", b)))), sum(a, call("softplus", b)));
        assertIdentity("log(σ(a)·σ(b)) = log σ(a) + log σ(b)",
                call("log", prod(call("sigmoid", a), call("sigmoid", b))),
                sum(call("log", call("sigmoid", a)), call("log", call("sigmoid", b))));
        // Where log(w·x·v) is defined (w·x·v > 0) it is log|w| + log|x| + log|v|, and where the
        // right side is defined each factor is positive: equal wherever both are defined.
        Expr v = ref("v");
        assertIdentity("log(w·x·v) = log w + log x + log v", call("log", prod(ref("w"), ref("x"), v)),
                sum(call("log", ref("w")), call("log", ref("x")), call("log", v)));
        assertIdentity("log(6·w²) = log 2 + log 3 + 2·log w", call("log", prod(num(6), new Expr.Power(ref("w"), num(2)))),
                sum(call("log", num(2)), call("log", num(3)), prod(num(2), call("log", ref("w")))));
    }

    @Test
    void softplusIsLogOfOnePlusExp() {
        Expr z = ref("z");
        assertIdentity("softplus(z) = log(1 + exp(z))", call("softplus", Z),
                call("log", sum(num(1), call("exp", Z))));
        assertIdentity("softplus(z) − softplus(−z) = z", minus(call("softplus", z), call("softplus", neg(z))), z);
        assertIdentity("log σ(z) = −softplus(−z)", call("log", call("sigmoid", z)), neg(call("softplus", neg(z))));
    }

    @Test
    void derivativesAfterDifferentiationKeepTheIdentity() {
        Expr w = ref("w");
        Expr x = ref("x");
        Expr left = engine.differentiate(prod(ref("v"), call("sigmoid", prod(w, x))), "w").value();
        Expr right = engine.differentiate(prod(ref("v"), sigmoidAsTanh(prod(w, x))), "w").value();
        assertIdentity("∂/∂w v·σ(wx) = ∂/∂w v·(1+tanh(wx/2))/2", left, right);
        Expr tanhPrime = engine.differentiate(call("tanh", prod(w, x)), "w").value(); // x·sech(wx)²
        Expr viaSigmoid = engine.differentiate(sum(prod(num(2), call("sigmoid", prod(num(2), w, x))), neg(num(1))), "w").value();
        assertIdentity("∂/∂w tanh(wx) = ∂/∂w (2σ(2wx) − 1)", tanhPrime, viaSigmoid);
        Expr softplusPrime = engine.differentiate(call("softplus", prod(w, x)), "w").value();
        Expr logPrime = engine.differentiate(call("log", sum(num(1), call("exp", prod(w, x)))), "w").value();
        assertIdentity("∂/∂w softplus(wx) = ∂/∂w log(1+exp(wx))", softplusPrime, logPrime);
    }

    @Test
    void nearMissesAreNotZero() {
        Expr z = ref("z");
        Expr a = ref("a");
        Expr b = ref("b");
        assertNotIdentity("σ(z) ≠ (1 + tanh(z))/2", call("sigmoid", z), half(sum(num(1), call("tanh", z))));
        assertNotIdentity("tanh(z) ≠ 2σ(z) − 1", call("tanh", z), sum(prod(num(2), call("sigmoid", z)), neg(num(1))));
        assertNotIdentity("exp(a+b) ≠ exp(a) + exp(b)", call("exp", sum(a, b)), sum(call("exp", a), call("exp", b)));
        assertNotIdentity("log(a·b) ≠ log a + log b + 1", call("log", prod(a, b)),
                sum(call("log", a), call("log", b), num(1)));
        assertNotIdentity("softplus(z) ≠ log(2 + exp(z))", call("softplus", z), call("log", sum(num(2), call("exp", z))));
        assertNotIdentity("exp(a/2)² ≠ exp(a/3)²",
                new Expr.Power(call("exp", half(a)), num(2)),
                new Expr.Power(call("exp", new Expr.Quotient(a, num(3))), num(2)));
        assertNotIdentity("log(w²) ≠ 2 log(w) + log 2", call("log", new Expr.Power(ref("w"), num(2))),
                sum(prod(num(2), call("log", ref("w"))), call("log", num(2))));
    }

    @Test
    void theExpLogFormAloneNeverCallsANonIdentityZero() {
        // Bypasses the random-point test, so that only the exp-log form could answer ZERO here.
        Expr z = ref("z");
        Expr difference = minus(call("sigmoid", z), half(sum(num(1), call("tanh", z))));
        assertNotEquals(SymbolicVerdict.ZERO, engine.expLogZeroTestForTests(difference).verdict());
        Expr constant = minus(call("exp", new Expr.Num(Rational.of(1, 2))), call("exp", new Expr.Num(Rational.of(1, 3))));
        assertNotEquals(SymbolicVerdict.ZERO, engine.expLogZeroTestForTests(constant).verdict());
        Expr logs = minus(call("log", new Expr.Power(ref("w"), num(2))),
                sum(prod(num(2), call("log", ref("w"))), call("log", num(2))));
        assertNotEquals(SymbolicVerdict.ZERO, engine.expLogZeroTestForTests(logs).verdict());
        Expr twoLogs = minus(call("log", prod(ref("a"), ref("b"))), sum(call("log", ref("a")), call("log", ref("a"))));
        assertNotEquals(SymbolicVerdict.ZERO, engine.expLogZeroTestForTests(twoLogs).verdict());
        Expr twoExps = minus(call("exp", prod(num(2), z)), call("exp", z));
        assertNotEquals(SymbolicVerdict.ZERO, engine.expLogZeroTestForTests(twoExps).verdict());
    }
}
