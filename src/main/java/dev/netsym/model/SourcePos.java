package dev.netsym.model;

/** A place in a spec file: 1-based line and column. */
public record SourcePos(int line, int column) {
    public static final SourcePos NONE = new SourcePos(0, 0);

    @Override
    public String toString() { return line + ":" + column; }
}
