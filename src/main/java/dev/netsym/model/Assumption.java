package dev.netsym.model;

/** A sign fact the proof may use: {@code name relation bound}, e.g. {@code x1 >= 0}. */
public record Assumption(String name, Relation relation, Rational bound, SourcePos pos) {
    public enum Relation {
        LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Relation(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }

        /** Whether a value satisfies {@code value relation bound}. */
        public boolean holds(int comparison) {
            return switch (this) {
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
            };
        }
    }

    @Override
    public String toString() { return name + " " + relation.symbol() + " " + bound; }
}
