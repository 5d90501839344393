package dev.netsym.cli;

import dev.netsym.model.Diagnostic;
import dev.netsym.model.Init;
import dev.netsym.model.Rational;
import dev.netsym.onnx.OnnxImporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    static final Positional FILE = Positional.required("FILE",
            "The network spec file ('-' reads standard input), or an ONNX model (FILE.onnx).");

    static final Option<OnnxImporter.Loss> LOSS = Option.converted("--loss", "LOSS", "generic",
            "For an ONNX model: the objective on its outputs: generic (every differentiable loss at once), sum, mse"
                    + " or cross-entropy (against targets of the output's shape) (default: {default}).",
            text -> OnnxImporter.Loss.parse(text).orElseThrow(() -> new IllegalArgumentException(
                    "'" + text + "' is not one of generic, sum, mse, cross-entropy")));
    static final Option<List<OnnxImporter.InitOverride>> INIT = Option.repeatable("--init", "GLOB=VALUE",
            "For an ONNX model: start the matching parameters (a tensor's name, or elements such as 'q.weight[0,*]')"
                    + " at VALUE instead of their stored values: random, a number, or a symbol such as a, -a, 2*a/3.",
            SpecInput::initOverride);
    static final Option<List<Map.Entry<String, int[]>>> SHAPE = Option.repeatable("--shape", "NAME=2x16",
            "For an ONNX model: fix the shape of an input whose dimensions the file leaves open.", SpecInput::inputShape);


    private final String file;
    private final OnnxImporter.Options modelOptions;
    private final boolean modelOptionsGiven;

    SpecInput(Arguments arguments) {
        this(arguments, FILE);
    }

    /** The file named by another positional than FILE (a command that reads only models). */
    SpecInput(Arguments arguments, Positional fileArgument) {
        file = arguments.get(fileArgument);
        Map<String, int[]> shapes = new java.util.LinkedHashMap<>();
        for (var entry : arguments.get(SHAPE)) shapes.put(entry.getKey(), entry.getValue());
        modelOptions = new OnnxImporter.Options(arguments.get(LOSS), arguments.get(INIT), shapes);
        modelOptionsGiven = arguments.isGiven(LOSS) || arguments.isGiven(INIT) || arguments.isGiven(SHAPE);
    }

    /** Whether FILE names an ONNX model rather than a spec. */
    boolean isModelFile() {
        return file != null && file.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    private static final java.util.regex.Pattern SCALED_SYMBOL =
            java.util.regex.Pattern.compile("(-)?(?:([0-9]+(?:\\.[0-9]*)?)\\*)?([A-Za-z_][A-Za-z_0-9]*)(?:/([0-9]+(?:\\.[0-9]*)?))?");

    /** GLOB=VALUE, VALUE as a spec's init line writes it. */
    private static OnnxImporter.InitOverride initOverride(String text) {
        int eq = text.lastIndexOf('=');
        if (eq <= 0 || eq == text.length() - 1) throw new IllegalArgumentException("'" + text + "' is not GLOB=VALUE (e.g. 'q.weight=0')");
        String pattern = text.substring(0, eq).trim();
        String value = text.substring(eq + 1).trim();
        if (value.equals("random")) return new OnnxImporter.InitOverride(pattern, new Init.Random());
        try {
            return new OnnxImporter.InitOverride(pattern, new Init.Numeric(Rational.parse(value), value.contains(".") ? value : null));
        } catch (NumberFormatException | ArithmeticException notANumber) {
            var m = SCALED_SYMBOL.matcher(value);
            if (!m.matches() || value.equals("random")) {
                throw new IllegalArgumentException("'" + value + "' is not an initial value: write random, a number (0, -0.5, 1/3) or a symbol (a, -a, 2*a/3)");
            }
            Rational scale = m.group(2) == null ? Rational.ONE : Rational.parse(m.group(2));
            if (m.group(4) != null) scale = scale.divide(Rational.parse(m.group(4)));
            if (m.group(1) != null) scale = scale.negate();
            if (scale.isZero()) throw new IllegalArgumentException("'" + value + "' scales its symbol by 0; write 0 instead");
            return new OnnxImporter.InitOverride(pattern, new Init.Symbolic(m.group(3), scale));
        }
    }

    /** NAME=2x16. */
    private static Map.Entry<String, int[]> inputShape(String text) {
        int eq = text.lastIndexOf('=');
        String[] dims = eq < 0 ? new String[0] : text.substring(eq + 1).split("x", -1);
        try {
            if (eq <= 0 || dims.length == 0) throw new NumberFormatException();
            int[] shape = new int[dims.length];
            for (int d = 0; d < dims.length; d++) {
                shape[d] = Integer.parseInt(dims[d].trim());
                if (shape[d] < 1 || shape[d] > 1_000_000) throw new NumberFormatException();
            }
            return Map.entry(text.substring(0, eq).trim(), shape);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not NAME=SHAPE with positive dimensions (e.g. 'x=2x16')");
        }
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
        if (modelOptionsGiven && !isModelFile()) {
            err.println("netsym: --loss, --init and --shape apply to ONNX models (FILE.onnx); a spec says these in its own lines");
            throw new Failure(ExitCodes.USAGE);
        }
        byte[] bytes = readBytes(err);
        SpecResult result = isModelFile()
                ? OnnxImporter.read(bytes, path(), modelOptions)
                : SpecParser.parse(bytes);
        report(result, err);
        return result.network().orElseThrow();
    }

    /** An ONNX model read and written as a spec, with warnings printed; errors are printed and end the command. */
    OnnxImporter.Translation translate(PrintWriter err) throws Failure {
        OnnxImporter.Translation translation = OnnxImporter.translate(readBytes(err), path(), modelOptions);
        report(translation.imported(), err);
        return translation;
    }

    private void report(SpecResult result, PrintWriter err) throws Failure {
        for (Diagnostic d : result.diagnostics()) err.println(d.format(displayName()));
        err.flush();
        if (result.hasErrors()) throw new Failure(ExitCodes.BAD_SPEC);
    }

    private byte[] readBytes(PrintWriter err) throws Failure {
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
                    bytes = isModelFile() ? in.readNBytes(OnnxImporter.MAX_FILE_BYTES + 1) : readAtMostTooMuch(in);
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
        return bytes;
    }

    /**
     * As {@link #loadForComputation}, and for an ONNX model with the view on whole tensors that
     * derive and latex show in matrix form: taken from the spec 'netsym spec' writes for the
     * model, read back and compared with the import, and named as the model names its tensors.
     * A model whose spec cannot be written, does not read back the same, or writes an element on
     * its own has no such view (as a spec written element by element has none).
     */
    Network loadForDerivation(PrintWriter err) throws Failure {
        if (!isModelFile()) {
            Network network = loadForComputation(err);
            Preflight.requireWrittenOut(network, displayName(), err);
            return network;
        }
        byte[] bytes = readBytes(err);
        OnnxImporter.Translation translation = OnnxImporter.translate(bytes, path(), modelOptions);
        // The writer has limits of its own (a masked output): such a model may still import.
        boolean written = !translation.imported().hasErrors();
        SpecResult imported = written ? translation.imported() : OnnxImporter.read(bytes, path(), modelOptions);
        report(imported, err);
        Network network = imported.network().orElseThrow();
        Preflight.check(network, displayName(), err);
        Preflight.requireWrittenOut(network, displayName(), err);
        if (!written) return network;
        SpecRoundTrip.ReadBack back = SpecRoundTrip.readBack(translation);
        if (back.difference().isPresent()) return network;
        Map<String, String> modelName = new HashMap<>();
        translation.tensorNames().forEach((model, spec) -> modelName.put(spec, model));
        return back.read().network().orElseThrow().tensors().renamed(name -> modelName.getOrDefault(name, name))
                .map(network::withTensors).orElse(network);
    }

    /** The network, also checked to be computable with (see {@link Preflight}): for commands that compute. */
    Network loadForComputation(PrintWriter err) throws Failure {
        Network network = load(err);
        Preflight.check(network, displayName(), err);
        return network;
    }
}
