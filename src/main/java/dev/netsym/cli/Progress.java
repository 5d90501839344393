package dev.netsym.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * What a long command is doing, on stderr: only when a person is watching (a console), and
 * only once the run has taken longer than {@link #QUIET_MILLIS}, so that short runs, tests,
 * pipes and CI see nothing at all. One line, rewritten in place, erased at the end.
 */
final class Progress implements Consumer<String>, AutoCloseable {
    static final long QUIET_MILLIS = 2_000;
    private static final long EVERY_MILLIS = 500;

    private final PrintWriter err;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private volatile String phase = "starting";
    private boolean shown;

    private Progress(PrintWriter err) {
        this.err = err;
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
        return terminal ? new Progress(err) : null;
    }

    /** Accepts phases for a reporter that may be null (not on a console). */
    static Consumer<String> sink(Progress progress) {
        return progress == null ? phase -> { } : progress;
    }

    @Override
    public void accept(String phase) {
        this.phase = phase;
    }

    private void tick() {
        try {
            Thread.sleep(QUIET_MILLIS);
            while (!Thread.currentThread().isInterrupted()) {
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                synchronized (this) {
                    String line = "netsym: " + seconds + " s: " + phase;
                    err.print("\r" + line + "\u001b[K");
                    err.flush();
                    shown = true;
                }
                Thread.sleep(EVERY_MILLIS);
            }
        } catch (InterruptedException done) {
            // close() ends the reporting
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
        synchronized (this) {
            if (shown) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }
}
