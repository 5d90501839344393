package dev.netsym.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netsym.Netsym;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofEngine;
import dev.netsym.robust.JsonSyntax;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON written piece by piece: the layout the formats share, and no piece the size of the whole. */
class JsonOutTest {
    @Test
    void topLevelFieldsOnALineEachAndEverythingInsideOnThatLine() {
        StringWriter text = new StringWriter();
        JsonOut j = new JsonOut(new PrintWriter(text)).beginObject();
        j.field("name", "a \"quoted\"\nline").literalField("count", 3).field("missing", null);
        j.name("list").array(List.of(List.of("x", "y"), List.<String>of()), j::strings);
        Map<String, String> map = new LinkedHashMap<>();
        map.put("w1", "1/2");
        map.put("w2", "-3");
        j.name("objects").array(List.of(map), j::stringMap);
        j.name("empty").beginObject().endObject();
        j.endObject();
        assertEquals("""
                {
                  "name": "a \\"quoted\\"\\nline",
                  "count": 3,
                  "missing": null,
                  "list": [["x", "y"], []],
                  "objects": [{"w1": "1/2", "w2": "-3"}],
                  "empty": {}
                }
                """, text.toString());
        assertTrue(JsonSyntax.isValid(text.toString()));
    }

    /** Counts what reaches the output and the largest single write. */
    private static final class MeasuringWriter extends Writer {
        final StringBuilder all = new StringBuilder();
        int largestWrite;

        @Override
        public void write(char[] buffer, int offset, int length) {
            largestWrite = Math.max(largestWrite, length);
            all.append(buffer, offset, length);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void aProofWithThousandsOfMembersIsWrittenInSmallPieces() {
        Proof proof = ProofEngine.prove(Netsym.parse("""
                input x[60]
                layer h[40] = tanh(dense(x))
                layer out[4] = dense(h)
                objective sum(out)
                init all = a
                """).network().orElseThrow(), ProofEngine.Options.defaults());
        MeasuringWriter sink = new MeasuringWriter();
        new ProofJsonRenderer(new PrintWriter(sink)).render(proof);
        String json = sink.all.toString();
        assertTrue(JsonSyntax.isValid(json), json.substring(0, Math.min(2000, json.length())));
        assertTrue(json.contains("\"W_h[40,60]\""), "every member is listed");
        assertTrue(json.length() > 50_000, "a big proof: " + json.length());
        // Names, numbers and expressions go out one by one: nothing near the size of the whole.
        assertTrue(sink.largestWrite < 2_000, "largest single write: " + sink.largestWrite);
    }
}
