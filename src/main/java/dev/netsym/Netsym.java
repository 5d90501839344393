package dev.netsym;

import dev.netsym.model.SpecResult;
import dev.netsym.onnx.OnnxImporter;
import dev.netsym.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedding API: read a spec, get the validated network model (or the diagnostics).
 *
 * <pre>{@code
 * SpecResult r = Netsym.read(Path.of("examples/cs231n.net"));
 * r.diagnostics().forEach(d -> System.err.println(d.format("cs231n.net")));
 * Network net = r.network().orElseThrow();
 * }</pre>
 */
public final class Netsym {
    private Netsym() {}

    /** Parses and validates a spec file. */
    public static SpecResult read(Path file) throws IOException {
        return SpecParser.parse(Files.readAllBytes(file));
    }

    /** Imports an ONNX model file, its objective and starts as the options say. */
    public static SpecResult readModel(Path file, OnnxImporter.Options options) throws IOException {
        return OnnxImporter.read(file, options);
    }

    /** Parses and validates spec text. */
    public static SpecResult parse(String spec) {
        return SpecParser.parse(spec.getBytes(StandardCharsets.UTF_8));
    }
}
