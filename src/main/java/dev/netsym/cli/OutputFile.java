package dev.netsym.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
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
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The same for bytes. The file ends up with the mode a plain write would give it: an
     * existing file keeps its own, a new one gets the umask's (0644 under umask 022), not the
     * 0600 of {@link Files#createTempFile}.
     */
    static void write(Path target, byte[] bytes) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) throw new NoSuchFileException(folder.toString(), null, "no such directory");
        Path tmp = createBeside(folder);
        try {
            Files.write(tmp, bytes);
            keepExistingPermissions(target, tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new empty file with an unguessable name, created without permissions of its own so the umask applies. */
    private static Path createBeside(Path folder) throws IOException {
        while (true) {
            Path tmp = folder.resolve(".netsym-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                // Another name then.
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static void keepExistingPermissions(Path target, Path tmp) throws IOException {
        if (!Files.exists(target) || !Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }

    /** The text on standard output, or written to the file with a line that says so; the exit code. */
    static int printOrWrite(String text, Path target, PrintWriter out, PrintWriter err) {
        if (target == null) {
            out.print(text);
            out.flush();
            return ExitCodes.OK;
        }
        int code = writeOrExplain(target, text.getBytes(StandardCharsets.UTF_8), err);
        if (code == ExitCodes.OK) out.println("netsym: wrote " + target);
        return code;
    }

    /** {@link #write}, with a failure told on err rather than thrown; the exit code. */
    static int writeOrExplain(Path target, byte[] bytes, PrintWriter err) {
        try {
            write(target, bytes);
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("netsym: cannot write " + target + ": " + reason(e));
            return ExitCodes.CANNOT_WRITE;
        }
    }

    /** Why a file could not be written, in a few words: "no such directory /x", "permission denied". */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return "no such directory " + (n.getReason() != null ? n.getFile()
                    : Path.of(n.getFile()).toAbsolutePath().getParent());
        }
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage();
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
