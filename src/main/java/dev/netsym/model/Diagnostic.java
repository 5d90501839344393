package dev.netsym.model;

/** A problem found in a spec, reported as {@code FILE:LINE:COL: error: message}. */
public record Diagnostic(Severity severity, SourcePos pos, String message) {
    public enum Severity {
        ERROR("error"), WARNING("warning");

        private final String label;

        Severity(String label) { this.label = label; }

        public String label() { return label; }
    }

    public static Diagnostic error(SourcePos pos, String message) {
        return new Diagnostic(Severity.ERROR, pos, message);
    }

    public static Diagnostic warning(SourcePos pos, String message) {
        return new Diagnostic(Severity.WARNING, pos, message);
    }

    public boolean isError() { return severity == Severity.ERROR; }

    /** The diagnostic as a compiler prints it, for the named file. */
    public String format(String file) {
        // A model file (ONNX) has no lines: its diagnostics name the file alone.
        if (pos.equals(SourcePos.NONE)) return file + ": " + severity.label() + ": " + message;
        return file + ":" + pos.line() + ":" + pos.column() + ": " + severity.label() + ": " + message;
    }
}
