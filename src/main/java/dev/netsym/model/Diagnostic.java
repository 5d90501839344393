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

    /**
     * Whether a message should name this character (as U+XXXX) rather than print it: raw
     * controls (U+009B starts a terminal escape), bidi overrides, line separators and unusual
     * spaces would let hostile input rewrite the user's terminal or split the message.
     */
    public static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || (Character.isSpaceChar(codePoint) && codePoint != ' ');
    }
}
