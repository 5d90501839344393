package dev.netsym.robust;

/**
 * A strict checker of JSON syntax (RFC 8259), enough to prove that generated JSON parses:
 * no dependency is needed for a yes-or-no answer.
 */
public final class JsonSyntax {
    private final String s;
    private int i;

    private JsonSyntax(String s) { this.s = s; }

    public static boolean isValid(String text) {
        JsonSyntax p = new JsonSyntax(text);
        try {
            p.space();
            p.value(0);
            p.space();
            return p.i == text.length();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void fail() { throw new IllegalStateException("at " + i); }

    private char peek() {
        if (i >= s.length()) fail();
        return s.charAt(i);
    }

    private void expect(char c) {
        if (peek() != c) fail();
        i++;
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    private void value(int depth) {
        if (depth > 500) fail();
        char c = peek();
        switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) {
        expect('{');
        space();
        if (peek() == '}') { i++; return; }
        while (true) {
            space();
            string();
            space();
            expect(':');
            space();
            value(depth + 1);
            space();
            if (peek() == ',') { i++; continue; }
            expect('}');
            return;
        }
    }

    private void array(int depth) {
        expect('[');
        space();
        if (peek() == ']') { i++; return; }
        while (true) {
            space();
            value(depth + 1);
            space();
            if (peek() == ',') { i++; continue; }
            expect(']');
            return;
        }
    }

    private void string() {
        expect('"');
        while (true) {
            char c = peek();
            i++;
            if (c == '"') return;
            if (c < 0x20) fail();
            if (c == '\\') {
                char e = peek();
                i++;
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(peek(), 16) < 0) fail();
                        i++;
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    fail();
                }
            }
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, i)) fail();
        i += word.length();
    }

    private void number() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') i++;
        if (i < s.length() && s.charAt(i) == '0') i++;
        else digits();
        if (i < s.length() && s.charAt(i) == '.') { i++; digits(); }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            digits();
        }
        if (i == start) fail();
    }

    private void digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == start) fail();
    }
}
