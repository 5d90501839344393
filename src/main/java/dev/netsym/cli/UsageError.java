package dev.netsym.cli;

/**
 * A wrong command line: an unknown option or command, a missing or bad value, an argument too
 * many. The message names the problem; the syntax is the command whose help would explain it.
 */
final class UsageError extends Exception {
    private final CommandSyntax syntax;

    UsageError(CommandSyntax syntax, String message) {
        super(message, null, false, false);
        this.syntax = syntax;
    }

    CommandSyntax syntax() {
        return syntax;
    }
}
