package dev.netsym.cli;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.Network;
import dev.netsym.model.SpecResult;
import dev.netsym.spec.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The FILE argument shared by every command: read it, parse it, report its diagnostics. */
final class SpecInput {
    static final Positional FILE = Positional.required("FILE", "The network spec file ('-' reads standard input).");

    private final String file;

    SpecInput(Arguments arguments) {
        file = arguments.get(FILE);
    }

    /** Thrown to end a command with an exit code after its message has been printed. */
    static final class Failure extends Exception {
        final int exitCode;

        Failure(int exitCode) {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }
    }

    String displayName() {
        return file.equals("-") ? "<stdin>" : file;
    }

    Path path() {
        return file.equals("-") ? null : Path.of(file);
    }

    /**
     * Reads one byte more than the parser accepts, so that an endless or enormous input (a
     * device, a multi-gigabyte file) is refused by the parser with a diagnostic instead of
     * exhausting memory here.
     */
    private static byte[] readAtMostTooMuch(InputStream in) throws IOException {
        return in.readNBytes(SpecParser.MAX_BYTES + 1);
    }

    /** The network, with warnings printed; errors are printed and end the command. */
    Network load(PrintWriter err) throws Failure {
        byte[] bytes;
        try {
            if (file.equals("-")) {
                bytes = readAtMostTooMuch(System.in);
            } else {
                Path p = Path.of(file);
                if (Files.isDirectory(p)) {
                    err.println("netsym: " + file + " is a directory, not a spec file");
                    throw new Failure(ExitCodes.NO_INPUT);
                }
                try (InputStream in = Files.newInputStream(p)) {
                    bytes = readAtMostTooMuch(in);
                }
            }
        } catch (NoSuchFileException e) {
            err.println("netsym: " + file + ": no such file");
            throw new Failure(ExitCodes.NO_INPUT);
        } catch (AccessDeniedException e) {
            err.println("netsym: " + file + ": permission denied");
            throw new Failure(ExitCodes.NO_INPUT);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            err.println("netsym: cannot read " + file + ": " + e.getMessage());
            throw new Failure(ExitCodes.NO_INPUT);
        } catch (OutOfMemoryError e) {
            err.println("netsym: " + file + " is too large to read");
            throw new Failure(ExitCodes.BAD_SPEC);
        }
        SpecResult result = SpecParser.parse(bytes);
        for (Diagnostic d : result.diagnostics()) err.println(d.format(displayName()));
        err.flush();
        if (result.hasErrors()) throw new Failure(ExitCodes.BAD_SPEC);
        return result.network().orElseThrow();
    }

    /** The network, also checked to be computable with (see {@link Preflight}): for commands that compute. */
    Network loadForComputation(PrintWriter err) throws Failure {
        Network network = load(err);
        Preflight.check(network, displayName(), err);
        return network;
    }
}
