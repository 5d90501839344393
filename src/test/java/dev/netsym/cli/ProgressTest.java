package dev.netsym.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress line appears after the quiet time, gets out of the way of messages, and is erased at the end. */
class ProgressTest {
    private static final String ERASE = "\r\u001b[K";

    @Test
    void quietRunsShowNothing() {
        StringWriter screen = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(screen), 60_000)) {
            progress.accept("reading the spec");
            Progress.messages(progress, new PrintWriter(screen)).println("f.net:1:1: error: x");
        }
        assertEquals("f.net:1:1: error: x" + System.lineSeparator(), screen.toString());
    }

    @Test
    void messagesEraseTheLineFirstAndTheEndErasesIt() throws Exception {
        StringWriter screen = new StringWriter();
        PrintWriter err = new PrintWriter(screen);
        Progress progress = new Progress(err, 0);
        progress.accept("compiling the network");
        waitFor(screen, "compiling the network");
        PrintWriter messages = Progress.messages(progress, err);
        messages.println("f.net:3:1: error: something");
        progress.close();
        String shown = screen.toString();
        int message = shown.indexOf("f.net:3:1: error: something");
        // The message starts on a clean line: right after an erase, never after the progress text.
        assertTrue(shown.startsWith(ERASE, message - ERASE.length()), shown);
        // A line drawn again below the message is erased at the end.
        if (shown.substring(message).contains("netsym: ")) assertTrue(shown.endsWith(ERASE), shown);
    }

    private static void waitFor(StringWriter screen, String text) throws InterruptedException {
        for (int i = 0; i < 200 && !screen.toString().contains(text); i++) Thread.sleep(10);
        assertTrue(screen.toString().contains("netsym: 0 s: " + text), screen.toString());
    }
}
