package dev.netsym.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Writing results safely: to a temporary file in the same folder, then renamed into place. */
final class OutputFile {
    private OutputFile() {}

    /**
     * Writes the text so that a reader never sees half a file and a failed run never leaves
     * one: the rename within one folder is atomic.
     */
    static void write(Path target, String text) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(folder, ".netsym-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether writing to the path would overwrite the spec being read. */
    static boolean isInput(Path output, SpecInput input) {
        Path spec = input.path();
        if (spec == null) return false;
        try {
            if (Files.exists(output) && Files.exists(spec)) return Files.isSameFile(output, spec);
        } catch (IOException e) {
            return true;
        }
        return output.toAbsolutePath().normalize().equals(spec.toAbsolutePath().normalize());
    }

    /** out.tex → out.pdf; other names get the extension added. */
    static Path sibling(Path file, String extension) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return file.resolveSibling(stem + extension);
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Path.of(dir, tool).toFile().canExecute()) return true;
        }
        return false;
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder left behind is harmless.
        }
    }
}
