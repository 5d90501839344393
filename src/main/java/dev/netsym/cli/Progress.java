package dev.netsym.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.Consumer;

/**
 * What a long command is doing, on stderr: only when a person is watching (a console), and
 * only once the run has taken longer than {@link #QUIET_MILLIS}, so that short runs, tests,
 * pipes and CI see nothing at all. One line, rewritten in place, erased at the end; messages
 * written meanwhile through {@link #messages} first erase it, so they never run into it.
 */
final class Progress implements Consumer<String>, AutoCloseable {
    static final long QUIET_MILLIS = 2_000;
    private static final long EVERY_MILLIS = 500;
    private static final String ERASE_LINE = "\r\u001b[K";

    private final PrintWriter err;
    private final long quietMillis;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private volatile String phase = "starting";
    /** Whether a progress line is on the screen now. */
    private boolean shown;
    /** Also the lock of the line: a PrintWriter over it holds it for a whole println. */
    private final Erasing erasing = new Erasing();

    Progress(PrintWriter err, long quietMillis) {
        this.err = err;
        this.quietMillis = quietMillis;
        ticker = new Thread(this::tick, "netsym-progress");
        ticker.setDaemon(true); // never keeps the JVM alive
        ticker.start();
    }

    /**
     * A reporter when stderr is a terminal, else null. Java cannot ask about stderr alone: the
     * launcher, which can, says so in a system property; without it, a console (stdin and
     * stdout both terminals) stands in.
     */
    static Progress onConsole(PrintWriter err) {
        boolean terminal = Boolean.getBoolean("netsym.stderr.terminal") || System.console() != null;
        return terminal ? new Progress(err, QUIET_MILLIS) : null;
    }

    /** Accepts phases for a reporter that may be null (not on a console). */
    static Consumer<String> sink(Progress progress) {
        return progress == null ? phase -> { } : progress;
    }

    /** Where to write messages while a reporter that may be null is running: stderr, after erasing its line. */
    static PrintWriter messages(Progress progress, PrintWriter err) {
        return progress == null ? err : new PrintWriter(progress.erasing, true);
    }

    @Override
    public void accept(String phase) {
        this.phase = phase;
    }

    private void tick() {
        try {
            Thread.sleep(quietMillis);
            while (!Thread.currentThread().isInterrupted()) {
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                synchronized (erasing) {
                    err.print("\r" + "netsym: " + seconds + " s: " + phase + "\u001b[K");
                    err.flush();
                    shown = true;
                }
                Thread.sleep(EVERY_MILLIS);
            }
        } catch (InterruptedException done) {
            // close() ends the reporting
        }
    }

    private void erase() {
        synchronized (erasing) {
            if (shown) {
                err.print(ERASE_LINE);
                shown = false;
            }
        }
    }

    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        erase();
        err.flush();
    }

    /** Writes to stderr with the progress line out of the way; the next tick draws it below. */
    private final class Erasing extends Writer {
        @Override
        public void write(char[] text, int offset, int length) {
            synchronized (this) {
                erase();
                err.write(text, offset, length);
            }
        }

        @Override
        public void flush() {
            err.flush();
        }

        @Override
        public void close() {
            err.flush();
        }
    }
}
