package dev.netsym.spec;

import dev.netsym.spec.grammar.NetSpecParser;
import dev.netsym.spec.grammar.NetSpecParser.IndexContext;
import dev.netsym.spec.grammar.NetSpecParser.RangeContext;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The positions inside the brackets of a slice ({@code W[2, 1:3]}, {@code (W @ x)[:2]}), in
 * order: each a single number, which drops its axis, or a range, which keeps it. The grammar
 * splits them into leading numbers, a first range and the rest; this reads them back as one list.
 */
final class SlicePositions {

    /**
     * One position as written, 1-based and inclusive of both ends; a range's missing end is null
     * (the first or the last element).
     */
    record Position(boolean range, Token from, Token to, ParserRuleContext at, Token single) {

        /** Where the position starts in the spec, for messages. */
        Token start() {
            return single != null ? single : at.getStart();
        }

        String text() {
            if (!range) return single.getText();
            return (from == null ? "" : from.getText()) + ":" + (to == null ? "" : to.getText());
        }
    }

    private SlicePositions() {}

    static List<Position> of(ParserRuleContext brackets) {
        List<Position> out = new ArrayList<>();
        for (ParseTree child : brackets.children) {
            if (child instanceof TerminalNode t && t.getSymbol().getType() == NetSpecParser.INT) {
                out.add(new Position(false, null, null, brackets, t.getSymbol()));
            } else if (child instanceof RangeContext r) {
                out.add(range(r));
            } else if (child instanceof IndexContext i) {
                out.add(i.range() != null ? range(i.range()) : new Position(false, null, null, i, i.INT().getSymbol()));
            }
        }
        return out;
    }

    private static Position range(RangeContext r) {
        return new Position(true, r.from, r.to, r, null);
    }

    /** How the positions read back, for messages and the tensor view: {@code [2:4, 1]}. */
    static String written(List<Position> positions) {
        List<String> parts = new ArrayList<>();
        for (Position p : positions) parts.add(p.text());
        return "[" + String.join(",", parts) + "]";
    }
}
