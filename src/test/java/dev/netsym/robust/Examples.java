package dev.netsym.robust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example files that tests run over, by file name, in a stable order. */
public final class Examples {
    private Examples() {}

    /** The spec examples: the names of examples/*.net. */
    public static List<String> specs() {
        return names(Path.of("examples"), ".net");
    }

    /** The ONNX examples: the names of examples/onnx/*.onnx. */
    public static List<String> onnxModels() {
        return names(Path.of("examples", "onnx"), ".onnx");
    }

    private static List<String> names(Path dir, String ending) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ending)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
