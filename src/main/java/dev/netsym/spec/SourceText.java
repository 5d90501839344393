package dev.netsym.spec;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.SourcePos;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Turns the bytes of a spec file into text, refusing anything that is not UTF-8. */
final class SourceText {
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
        return new Result(Optional.of(text), Optional.empty());
    }

    /** Line and column (in characters) of a byte offset in UTF-8 text that is valid before it. */
    private static SourcePos positionOf(byte[] bytes, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                column = 1;
            } else if ((bytes[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return new SourcePos(line, column);
    }

    record Result(Optional<String> text, Optional<Diagnostic> error) {}

}
