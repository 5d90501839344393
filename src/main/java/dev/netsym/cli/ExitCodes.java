package dev.netsym.cli;

/** Exit codes, after BSD sysexits, plus one for a run that ran out of time. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The command line was wrong. */
    public static final int USAGE = 64;
    /** The spec has errors. */
    public static final int BAD_SPEC = 65;
    /** The spec file is missing or unreadable. */
    public static final int NO_INPUT = 66;
    /** A bug in netsym. */
    public static final int INTERNAL = 70;
    /** An output file could not be written. */
    public static final int CANNOT_WRITE = 73;
    /** The time budget ran out: the output says what was decided and what was not. */
    public static final int TIMED_OUT = 75;

    private ExitCodes() {}
}
