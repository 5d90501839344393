package dev.netsym.cli;

import dev.netsym.onnx.OnnxImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** {@code netsym spec MODEL.onnx}: the model written in the spec language, to read, edit and prove as any spec. */
final class SpecCommand implements Command {
    private static final Option<Path> OUTPUT = Option.path("--output", "OUT.net",
            "Write the spec here (default: standard output).").withShortName("-o");

    private static final Positional MODEL = Positional.required("MODEL", "An ONNX model (FILE.onnx).");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym spec",
                    "Write an ONNX model as a netsym spec.")
            .withDescription(
                "Writes the network an ONNX model is, as netsym reads it, in the spec language: its",
                "parameters with their shapes and starts, its inputs, one tensor line per node (unit by unit",
                "where the language has no tensor form: a convolution over a batch, a masked softmax,",
                "Concat), and the objective --loss chose. The spec is checked to read back as the same",
                "network before it is written. Names lose their dots and indices count from 1 there:",
                "PyTorch's w.weight[0,1] is w_weight[1,2].")
            .withOptions(OUTPUT, SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(MODEL)
            .withFooter("", "Examples:", "  netsym spec examples/onnx/lora.onnx",
                "  netsym spec --loss mse --init 'lora_B.weight=0' examples/onnx/lora.onnx -o lora.net");

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws SpecInput.Failure {
        SpecInput input = new SpecInput(arguments, MODEL);
        if (!input.isModelFile()) {
            err.println("netsym: spec reads ONNX models (FILE.onnx); " + input.displayName() + " is not one");
            return ExitCodes.USAGE;
        }
        Path output = arguments.get(OUTPUT);
        if (output != null && OutputFile.isInput(output, input)) {
            err.println("netsym: refusing to write the spec over the model " + input.displayName());
            return ExitCodes.USAGE;
        }
        OnnxImporter.Translation translation = input.translate(err);
        String text = translation.spec();
        Optional<String> difference = SpecRoundTrip.readBack(translation).difference();
        if (difference.isPresent() && difference.get().equals(SpecRoundTrip.UNCHECKED)) {
            err.println(input.displayName() + ": warning: the spec could not be compared with the model at random points"
                    + " (the model has no value at any point tried); its parameters, starts, inputs and targets agree");
            difference = Optional.empty();
        }
        if (difference.isPresent()) {
            // A fault of netsym's writer, not of the model: no spec that would read back as another network.
            err.println("netsym: internal error: the spec written for " + input.displayName() + " does not read back as the"
                    + " same network (" + difference.get() + ")");
            return ExitCodes.INTERNAL;
        }
        return OutputFile.printOrWrite(text, output, out, err);
    }
}
