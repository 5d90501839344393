package dev.netsym.spec;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.SourcePos;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns the bytes of a spec file into text, refusing anything that is not UTF-8. */
final class SourceText {
    private static final Pattern LONE_CR = Pattern.compile("\r(?!\n)");

    private SourceText() {}

    /** The decoded text, or an error at the line and column of the first bad byte. */
    static Result decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int bad = in.position();
            return new Result(Optional.empty(), Optional.of(Diagnostic.error(positionOf(bytes, bad),
                    String.format("the file is not UTF-8 text (byte 0x%02X at offset %d)", bytes[bad] & 0xFF, bad))));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);
        // A lone CR ends a line for the lexer but not for ANTLR's line count, which would put every
        // diagnostic of an old-Mac file on line 1; as LF both agree, and columns do not change.
        if (text.indexOf('\r') >= 0) text = LONE_CR.matcher(text).replaceAll("\n");
        return new Result(Optional.of(text), Optional.empty());
    }

    /** Line and column (in characters) of a byte offset in UTF-8 text that is valid before it. */
    private static SourcePos positionOf(byte[] bytes, int offset) {
        int line = 1;
        int column = 1;
        // Counted as the lexer counts: a byte-order mark takes no column, CR, LF and CRLF end a line.
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        for (int i = start; i < offset; i++) {
            boolean crlf = bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n';
            if (bytes[i] == '\n' || (bytes[i] == '\r' && !crlf)) {
                line++;
                column = 1;
            } else if ((bytes[i] & 0xC0) != 0x80 && !crlf) {
                column++;
            }
        }
        return new SourcePos(line, column);
    }

    record Result(Optional<String> text, Optional<Diagnostic> error) {}

}
