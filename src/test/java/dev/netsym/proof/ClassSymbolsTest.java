package dev.netsym.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassSymbolsTest {

    static ClassSymbols of(String names) {
        return ClassSymbols.of(ProofEngineTest.network("input x\ny = " + names + "*x\nobjective y\ninit all = a\n"));
    }

    @Test
    void aSpecWithoutCNamesGetsC() {
        assertEquals("c1", of("w1*w2").symbol(1));
        // "c" alone is not numbered like a class symbol.
        assertEquals("c2", of("c*w1").symbol(2));
    }

    @Test
    void numberedCNamesMoveTheSymbolsToAFreeLetter() {
        assertEquals("q1", of("c1*c2").symbol(1));
        // c_1 typesets as c₁ as well.
        assertEquals("q2", of("c_1*b1").symbol(2));
        assertEquals("z1", of("c1*q3").symbol(1));
    }

    @Test
    void withEveryLetterTakenAClashGetsAPrime() {
        ClassSymbols s = of("c1*q1*z1");
        assertEquals("c1′", s.symbol(1));
        assertEquals("c2", s.symbol(2));
    }

    static ClassSymbols parts(String spec, String... alsoTaken) {
        return ClassSymbols.forParts(ProofEngineTest.network(spec), java.util.List.of(alsoTaken));
    }

    @Test
    void namesOfRepeatedPartsTakeALetterTheSpecLeavesFree() {
        assertEquals("u1", parts("input x\ns = w*x\nobjective s\ninit all = a\n", "c1").symbol(1));
        // A unit u, a u2 or a vector u[1] (typeset u with subscript 1) moves the parts to r.
        assertEquals("r1", parts("input x\nu = w*x\nobjective u\ninit all = a\n").symbol(1));
        assertEquals("r2", parts("input x\nu2 = w*x\nobjective u2\ninit all = a\n").symbol(2));
        assertEquals("r1", parts("input u[2]\ny = w*u[1]\nobjective y\ninit all = a\n").symbol(1));
        assertEquals("r1", parts("input x[2]\nparam v[2], u[2]\ny = v[1]*x[1] + u[2]*x[2]\nobjective y\ninit all = a\n").symbol(1));
        // Elements of uu or of u1 are neither u nor u1.
        assertEquals("u1", parts("input uu[2]\ny = w*uu[1]\nobjective y\ninit all = a\n").symbol(1));
        assertEquals("u1", parts("input x[2]\nparam u1[2]\ny = u1[1]*x[1]\nobjective y\ninit all = a\n").symbol(1));
        // Names given by the caller (class symbols, another display's parts) count as taken.
        assertEquals("r1", parts("input x\ny = w*x\nobjective y\ninit all = a\n", "u1", "u2").symbol(1));
    }
}
