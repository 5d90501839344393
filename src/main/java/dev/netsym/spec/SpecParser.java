package dev.netsym.spec;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.NearestName;
import dev.netsym.model.SourcePos;
import dev.netsym.model.SpecResult;
import dev.netsym.spec.grammar.NetSpecLexer;
import dev.netsym.spec.grammar.NetSpecParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/** The front end: spec text in, a validated {@link dev.netsym.model.Network} or diagnostics out. */
public final class SpecParser {
    /** Deeper bracket nesting than this is refused before parsing: no real network needs it. */
    public static final int MAX_NESTING = 200;
    /** After this many errors the rest are not worth reading. */
    static final int MAX_ERRORS = 50;
    /**
     * The most tokens a spec may have. Every token stays in memory with its parse tree until the
     * model is built (about 250 bytes a token), so this bounds the heap the front end needs; the
     * 784-256-128-10 network written out unit by unit has about 2.6 million.
     */
    public static final int MAX_TOKENS = 4_000_000;
    /** Files larger than this are refused unread; the token limit refuses most specs far smaller. */
    public static final int MAX_BYTES = 256 * 1024 * 1024;
    private static final long PARSER_STACK_BYTES = 512L * 1024 * 1024;

    private SpecParser() {}

    public static SpecResult parse(byte[] content) {
        if (content.length > MAX_BYTES) {
            return new SpecResult(Optional.empty(), List.of(Diagnostic.error(new SourcePos(1, 1),
                    "the spec is too large: it has more than " + MAX_BYTES + " bytes")));
        }
        SourceText.Result decoded = SourceText.decode(content);
        if (decoded.error().isPresent()) return new SpecResult(Optional.empty(), List.of(decoded.error().get()));
        return parse(decoded.text().get());
    }

    /**
     * Parses on a thread with a large stack, so that deep but legal input cannot overflow the
     * caller's stack; an overflow that still happens becomes a diagnostic.
     */
    public static SpecResult parse(String text) {
        AtomicReference<SpecResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                result.set(parseHere(text));
            } catch (StackOverflowError e) {
                result.set(new SpecResult(Optional.empty(),
                        List.of(Diagnostic.error(new SourcePos(1, 1), "the spec is nested too deeply to read"))));
            } catch (OutOfMemoryError e) {
                // The limits keep the largest specs within the default heap of a 24 GB machine; on a
                // smaller heap this is still the user's spec being too big, not a bug. Everything
                // this thread allocated is garbage once it ends, so carrying on is safe.
                result.set(new SpecResult(Optional.empty(), List.of(Diagnostic.error(new SourcePos(1, 1),
                        "the spec is too large for the memory available (" + (Runtime.getRuntime().maxMemory() >> 20)
                                + " MB): give Java more, as with -Xmx16g (the netsym launcher passes NETSYM_JAVA_OPTS)"))));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "netsym-parser", PARSER_STACK_BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing", e);
        }
        if (failure.get() instanceof RuntimeException re) throw re;
        if (failure.get() instanceof Error err) throw err;
        return result.get();
    }

    private static SpecResult parseHere(String text) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        NetSpecLexer lexer = new NetSpecLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Token> all = new ArrayList<>();
        for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
            all.add(t);
            if (t.getType() == Token.EOF) break;
            if (all.size() > MAX_TOKENS) {
                diagnostics.add(Diagnostic.error(pos(t), "the spec is too large: it has more than " + MAX_TOKENS
                        + " names, numbers and symbols"));
                return new SpecResult(Optional.empty(), diagnostics);
            }
        }
        if (!checkTokens(all, diagnostics)) return new SpecResult(Optional.empty(), diagnostics);

        List<NetSpecParser.StatementContext> statements = new ArrayList<>();
        NetSpecParser parser = new NetSpecParser(null);
        // Every statement's tree lives until the model is built: children lists trimmed to their
        // one or two entries keep a 4 MB spec's trees about 90 MB smaller.
        parser.setTrimParseTree(true);
        parser.removeErrorListeners();
        SyntaxErrors listener = new SyntaxErrors(diagnostics);
        // Mistakes within one well-formed statement (an unknown optimizer): reported with the
        // syntax errors, and not in the way of the checks of the whole file.
        List<Diagnostic> statementErrors = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.size(); i++) {
            int type = all.get(i).getType();
            if (type != NetSpecLexer.NEWLINE && type != NetSpecLexer.SEMICOLON && type != Token.EOF) continue;
            if (i > start) {
                NetSpecParser.StatementContext s = parseStatement(parser, listener, all.subList(start, i), all.get(i));
                if (s != null) {
                    statements.add(s);
                    ModelBuilder.checkStatement(s, statementErrors);
                }
            }
            if (diagnostics.size() + statementErrors.size() >= MAX_ERRORS) break;
            start = i + 1;
        }
        if (!diagnostics.isEmpty()) return new SpecResult(Optional.empty(), inFileOrder(diagnostics, statementErrors));
        SpecResult built = new ModelBuilder(new ArrayList<>()).build(statements);
        if (statementErrors.isEmpty()) return built;
        return new SpecResult(Optional.empty(), inFileOrder(statementErrors, built.diagnostics()));
    }

    /** Two lists of diagnostics, each in file order, as one. */
    private static List<Diagnostic> inFileOrder(List<Diagnostic> first, List<Diagnostic> second) {
        List<Diagnostic> all = new ArrayList<>(first);
        all.addAll(second);
        all.sort(Comparator.comparingInt((Diagnostic d) -> d.pos().line()).thenComparingInt(d -> d.pos().column()));
        return all;
    }

    /** Parses one statement: a fast SLL pass, and full LL with error reports only when that fails. */
    private static NetSpecParser.StatementContext parseStatement(NetSpecParser parser, SyntaxErrors listener,
                                                                 List<Token> piece, Token end) {
        List<Token> withEnd = new ArrayList<>(piece.size() + 1);
        withEnd.addAll(piece);
        CommonToken eof = new CommonToken(end);
        eof.setType(Token.EOF);
        eof.setText("<end of line>");
        withEnd.add(eof);
        parser.setTokenStream(new CommonTokenStream(new ListTokenSource(withEnd)));
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            return parser.statementLine().statement();
        } catch (ParseCancellationException e) {
            parser.setTokenStream(new CommonTokenStream(new ListTokenSource(withEnd)));
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.addErrorListener(listener);
            listener.statement = withEnd;
            int before = listener.diagnostics.size();
            NetSpecParser.StatementContext s = parser.statementLine().statement();
            if (listener.diagnostics.size() == before) return s;
            // A misspelt keyword confuses the parser into other complaints: name it instead.
            Optional<Diagnostic> misspelt = misspeltKeyword(piece);
            if (misspelt.isPresent()) {
                listener.diagnostics.subList(before, listener.diagnostics.size()).clear();
                listener.diagnostics.add(misspelt.get());
            }
            return null;
        }
    }

    private static final List<String> KEYWORDS = List.of("network", "input", "target", "param", "activation", "layer",
            "objective", "init", "data", "assume", "optimizer", "lr");

    /** "unknown statement 'objectve'; did you mean 'objective'?" for a statement that is not a unit either. */
    private static Optional<Diagnostic> misspeltKeyword(List<Token> piece) {
        Token first = piece.get(0);
        if (first.getType() != NetSpecLexer.ID) return Optional.empty();
        if (piece.size() > 1 && (piece.get(1).getText().equals("=") || piece.get(1).getText().equals("["))) {
            return Optional.empty();
        }
        return NearestName.among(first.getText(), KEYWORDS).map(keyword -> Diagnostic.error(pos(first),
                "unknown statement '" + first.getText() + "'; did you mean '" + keyword + "'?"));
    }


    /** Reports stray characters and absurd nesting before the parser sees them. */
    // Bracket tokens by type: asking a million tokens for their text would allocate a million strings.
    private static final int OPEN_PAREN = literalType("'('");
    private static final int CLOSE_PAREN = literalType("')'");
    private static final int OPEN_BRACKET = literalType("'['");
    private static final int CLOSE_BRACKET = literalType("']'");

    private static int literalType(String literal) {
        for (int type = 1; type <= NetSpecLexer.VOCABULARY.getMaxTokenType(); type++) {
            if (literal.equals(NetSpecLexer.VOCABULARY.getLiteralName(type))) return type;
        }
        throw new IllegalStateException("the grammar has no token " + literal);
    }

    private static boolean checkTokens(List<Token> tokens, List<Diagnostic> diagnostics) {
        int depth = 0;
        boolean hasStatement = false;
        for (Token t : tokens) {
            switch (t.getType()) {
                case NetSpecLexer.UNKNOWN_CHAR -> diagnostics.add(Diagnostic.error(pos(t),
                        "unexpected character " + describe(t.getText())));
                case NetSpecLexer.NEWLINE, NetSpecLexer.SEMICOLON, Token.EOF -> depth = 0;
                default -> {
                    hasStatement = true;
                    int type = t.getType();
                    if (type == OPEN_PAREN || type == OPEN_BRACKET) depth++;
                    if (type == CLOSE_PAREN || type == CLOSE_BRACKET) depth--;
                    if (depth > MAX_NESTING) {
                        diagnostics.add(Diagnostic.error(pos(t),
                                "brackets nested more than " + MAX_NESTING + " deep"));
                        return false;
                    }
                }
            }
            if (diagnostics.size() >= MAX_ERRORS) break;
        }
        if (!hasStatement && diagnostics.isEmpty()) {
            diagnostics.add(Diagnostic.error(new SourcePos(1, 1),
                    "the spec is empty: it needs at least a unit or an objective"));
        }
        return diagnostics.isEmpty();
    }

    static SourcePos pos(Token t) {
        return new SourcePos(t.getLine(), t.getCharPositionInLine() + 1);
    }

    private static String describe(String text) {
        int cp = text.codePointAt(0);
        // A lone space or tab is named too: quoted, it would be hard to see.
        if (Diagnostic.invisible(cp) || Character.isWhitespace(cp)) return String.format("U+%04X", cp);
        return "'" + text + "'";
    }

    /** Collects ANTLR's syntax errors as diagnostics with clearer wording. */
    private static final class SyntaxErrors extends BaseErrorListener {
        private final List<Diagnostic> diagnostics;
        /** The tokens of the statement being parsed, for messages that look at the neighbours of a mistake. */
        private List<Token> statement = List.of();

        SyntaxErrors(List<Diagnostic> diagnostics) { this.diagnostics = diagnostics; }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column,
                                String msg, RecognitionException e) {
            if (diagnostics.size() >= MAX_ERRORS) return;
            Token t = offending instanceof Token tok ? tok : null;
            String message = t == null ? null : commonMistake(t);
            diagnostics.add(Diagnostic.error(new SourcePos(line, column + 1), message != null ? message : reword(t, msg)));
        }

        /**
         * What a user most likely meant, from the token the parser stopped at and the one before:
         * w**2, 2w, "w4 x2" in an expression, "x1 x2" in a list. Null when it is none of these.
         */
        private String commonMistake(Token t) {
            int at = t.getTokenIndex();
            if (at < 1 || at >= statement.size() || statement.get(at) != t) return null;
            Token before = statement.get(at - 1);
            if (t.getText().equals("*") && before.getText().equals("*")) {
                String base = at >= 2 ? shown(statement.get(at - 2)) : "x";
                String exponent = at + 1 < statement.size() && startsOperand(statement.get(at + 1))
                        ? shown(statement.get(at + 1)) : "2";
                return "'**' is not an operator; use ^ for powers: " + base + "^" + exponent;
            }
            if (!startsOperand(t) || !endsOperand(before)) return null;
            if (isNumber(before) && isName(t) && before.getStopIndex() + 1 == t.getStartIndex()) {
                return "'" + before.getText() + t.getText() + "' is not a name; for a product write "
                        + before.getText() + "*" + shown(t);
            }
            if (inExpression(at)) return "missing operator between " + shown(before) + " and " + shown(t);
            if (inList()) return "missing ',' between " + shown(before) + " and " + shown(t);
            return null;
        }

        /** Whether the token at the index is part of an expression: after a unit's '=' or an 'objective'. */
        private boolean inExpression(int index) {
            Token first = statement.get(0);
            if (first.getType() == NetSpecLexer.OBJECTIVE && !startsUnit()) return index >= 2;
            boolean selects = first.getType() == NetSpecLexer.INIT || first.getType() == NetSpecLexer.LR;
            if (inList() || selects && !startsUnit()) return false;
            for (int i = 1; i < index; i++) if (statement.get(i).getText().equals("=")) return true;
            return false;
        }

        /** Whether the statement is a comma-separated list: input, target, activation, data or assume. */
        private boolean inList() {
            int type = statement.get(0).getType();
            boolean listKeyword = type == NetSpecLexer.INPUT || type == NetSpecLexer.TARGET
                    || type == NetSpecLexer.ACTIVATION || type == NetSpecLexer.DATA || type == NetSpecLexer.ASSUME;
            return listKeyword && !startsUnit();
        }

        /** A keyword used as a unit's name: "input = w*x". */
        private boolean startsUnit() {
            return statement.size() > 1 && (statement.get(1).getText().equals("=") || statement.get(1).getText().equals("["));
        }

        private static boolean isName(Token t) {
            return t.getType() == NetSpecLexer.ID || NetSpecLexer.VOCABULARY.getLiteralName(t.getType()) != null
                    && Character.isLetter(t.getText().charAt(0));
        }

        private static boolean isNumber(Token t) {
            return t.getType() == NetSpecLexer.INT || t.getType() == NetSpecLexer.NUMBER;
        }

        private static boolean startsOperand(Token t) {
            return isName(t) || isNumber(t) || t.getText().equals("(");
        }

        private static boolean endsOperand(Token t) {
            return isName(t) || isNumber(t) || t.getText().equals(")") || t.getText().equals("]");
        }

        /** A token's text as a message shows it: a name can be megabytes long. */
        private static String shown(Token t) {
            String text = t.getText();
            return text.length() <= 40 ? text : text.substring(0, 37) + "...";
        }

        private static String reword(Token t, String antlrMessage) {
            if (t == null) return antlrMessage;
            boolean atEnd = t.getType() == Token.EOF || t.getType() == NetSpecLexer.NEWLINE;
            if (atEnd) {
                if (antlrMessage.contains("')'")) return "unclosed '(': expected ')' before the end of the line";
                if (antlrMessage.contains("']'")) return "unclosed '[': expected ']' before the end of the line";
                return "the statement ends too early: expected more after this point";
            }
            String seen = "'" + shown(t) + "'";
            if (antlrMessage.startsWith("extraneous input")) return "unexpected " + seen;
            if (antlrMessage.startsWith("missing")) return antlrMessage.replace("missing", "expected") + " before " + seen;
            if (antlrMessage.startsWith("mismatched input") || antlrMessage.startsWith("no viable alternative")) {
                return "unexpected " + seen;
            }
            return antlrMessage;
        }
    }
}
