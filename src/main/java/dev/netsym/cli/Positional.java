package dev.netsym.cli;

/**
 * An argument known by its place on the command line, such as FILE. A command reads it
 * through {@link Arguments#get(Positional)}.
 *
 * @param label what help calls it
 * @param required whether the command line is wrong without it
 */
record Positional(String label, String description, boolean required) {
    static Positional required(String label, String description) {
        return new Positional(label, description, true);
    }

    static Positional optional(String label, String description) {
        return new Positional(label, description, false);
    }

    /** As help shows it: optional arguments in brackets. */
    String synopsis() {
        return required ? label : "[" + label + "]";
    }
}
