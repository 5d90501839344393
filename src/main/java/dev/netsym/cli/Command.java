package dev.netsym.cli;

import java.io.PrintWriter;

/** A command of netsym: what its command line may hold, and what it does with it. */
interface Command {
    CommandSyntax syntax();

    /** Whether the command computes with Symja on a small spec: Main then starts loading it at once. */
    default boolean usesComputerAlgebra() {
        return false;
    }

    /**
     * Runs the command; returns the exit code. Failures with a message already printed end it
     * with {@link SpecInput.Failure}; other exceptions are reported by {@link Main}.
     */
    int run(Arguments arguments, PrintWriter out, PrintWriter err) throws Exception;
}
