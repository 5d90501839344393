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
}
