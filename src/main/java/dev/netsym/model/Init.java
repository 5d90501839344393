package dev.netsym.model;

/** How a parameter starts. */
public sealed interface Init {
    /**
     * A known number, e.g. {@code init all = 0}.
     *
     * @param decimal the decimal as the spec wrote it ("0.0000016073772"), to be shown that
     *     way rather than as its fraction; null for an integer, a fraction or a computed value.
     *     Two initial values are the same when their values are: 0.5 and 1/2 start one class.
     */
    record Numeric(Rational value, String decimal) implements Init {
        public Numeric(Rational value) {
            this(value, null);
        }

        /** The value as the spec wrote it: its decimal, or the fraction. */
        public String written() {
            return decimal != null ? decimal : value.toString();
        }

        @Override public boolean equals(Object o) { return o instanceof Numeric n && n.value.equals(value); }
        @Override public int hashCode() { return value.hashCode(); }
        @Override public String toString() { return value.toString(); }
    }

    /**
     * A named unknown shared by every parameter given it, e.g. {@code init all = a}, times a
     * non-zero coefficient ({@code -a}, {@code 2*a}, {@code a/2}): parameters started at {@code a}
     * and {@code -a} can stay each other's negatives.
     */
    record Symbolic(String symbol, Rational coefficient) implements Init {
        public Symbolic(String symbol) {
            this(symbol, Rational.ONE);
        }

        /** The start as an expression: a, −a or 2·a. */
        public Expr expr() {
            Expr ref = new Expr.Ref(symbol);
            if (coefficient.isOne()) return ref;
            if (coefficient.negate().isOne()) return new Expr.Neg(ref);
            return new Expr.Product(java.util.List.of(new Expr.Num(coefficient), ref));
        }

        @Override public String toString() {
            if (coefficient.isOne()) return symbol;
            if (coefficient.negate().isOne()) return "-" + symbol;
            return coefficient + "*" + symbol;
        }
    }

    /** Its own independent value, unrelated to every other parameter's. */
    record Random() implements Init {
        @Override public String toString() { return "random"; }
    }
}
