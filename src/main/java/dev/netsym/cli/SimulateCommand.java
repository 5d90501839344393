package dev.netsym.cli;

import dev.netsym.model.Network;
import dev.netsym.proof.Proof;
import dev.netsym.proof.ProofEngine;
import dev.netsym.proof.TrainingSimulation;
import dev.netsym.render.SimulationSummary;
import dev.netsym.render.TrajectoryChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

final class SimulateCommand implements Command {
    private static final int MAX_STEPS = 100_000;

    private static final Option<Path> OUTPUT = Option.converted("--output", "OUT", null,
            "Write the picture here, as SVG or PNG by its ending (default: FILE's name with -simulate.svg,"
                    + " in the current folder).", SimulateCommand::picturePath).withShortName("-o");
    static final Option<Integer> STEPS = Option.converted("--steps", "N", "200",
            "Steps of gradient descent (default: {default}, at most " + MAX_STEPS + ").",
            text -> count(text, "steps", MAX_STEPS));
    static final Option<Double> RATE = Option.converted("--rate", "RATE", "0.05",
            "Learning rate η, on the gradient of the mean objective over the samples (default: {default}).",
            SimulateCommand::rate);
    static final Option<Long> SEED = Option.converted("--seed", "SEED", "1",
            "Seed of every random draw: initial values, data samples (default: {default}).", SimulateCommand::seed);
    static final Option<Integer> SAMPLES = Option.converted("--samples", "N", "8",
            "Random samples of inputs and targets, for a spec without 'data' lines (default: {default}).",
            text -> count(text, "samples", 10_000));
    private static final Option<Double> TIMEOUT = Option.seconds("--timeout", "60",
            "Time budget of the proof whose classes the picture shows and the run checks (default: {default}).");

    private static final CommandSyntax SYNTAX = CommandSyntax.of("netsym simulate",
                    "Train the network numerically and draw every parameter's trajectory by class.")
            .withDescription(
                "Runs gradient descent in floating point from the spec's initialisation, on the spec's data or",
                "on seeded random samples, and draws every parameter's trajectory coloured by its proven class",
                "(frozen ones grey and dashed) with the loss below; beside it, the same network trained from a",
                "random initialisation. Along the run it checks that every class stays equal and every frozen",
                "parameter stays put; its last lines say so. A break would be a bug in netsym: exit 70.")
            .withOptions(OUTPUT, STEPS, RATE, SEED, SAMPLES, TIMEOUT, SpecInput.LOSS, SpecInput.INIT, SpecInput.SHAPE)
            .withPositionals(SpecInput.FILE)
            .withFooter("", "Examples:", "  netsym simulate examples/cs231n.net",
                "  netsym simulate examples/attention-zero-query.net -o attention.png",
                "  netsym simulate --steps 500 --rate 0.01 --seed 7 examples/gpt2-tiny.net -o gpt2.svg");

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(Arguments arguments, PrintWriter out, PrintWriter err) throws SpecInput.Failure {
        SpecInput input = new SpecInput(arguments);
        Path output = arguments.get(OUTPUT) != null ? arguments.get(OUTPUT) : defaultOutput(input);
        if (OutputFile.isInput(output, input)) {
            err.println("netsym: refusing to write the picture over the spec file " + input.displayName());
            return ExitCodes.USAGE;
        }
        TrainingSimulation.Settings settings = settings(arguments);
        TrainingSimulation.Result result;
        byte[] picture;
        String name;
        try (Progress progress = Progress.onConsole(err)) {
            Consumer<String> phase = Progress.sink(progress);
            phase.accept("reading the spec");
            Network network = input.loadForComputation(Progress.messages(progress, err));
            name = network.named() ? network.name() : input.displayName();
            // The search alone: the picture and the check need the classes, not their symbolic details.
            Proof proof = ProofEngine.prove(network,
                    new ProofEngine.Options(Duration.ofMillis((long) (arguments.get(TIMEOUT) * 1000)), List.of()), phase);
            phase.accept("running gradient descent (" + settings.steps() + " steps, twice)");
            result = TrainingSimulation.run(proof, settings);
            phase.accept("drawing the trajectories");
            TrajectoryChart chart = new TrajectoryChart(result, name);
            picture = isPng(output) ? chart.png() : chart.svg().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("netsym: cannot draw the picture: " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
        SimulationSummary summary = new SimulationSummary(result, name);
        summary.render(out);
        if (result.proof().timedOut()) {
            SimulationSummary.prose(out, "The proof ran out of time: parameters it left undecided are drawn and checked"
                    + " as separate classes.");
        }
        int code = OutputFile.writeOrExplain(output, picture, err);
        if (code == ExitCodes.OK) out.println("netsym: wrote " + output);
        SimulationSummary.prose(out, summary.checkLine());
        return result.violations().isEmpty() ? code : ExitCodes.INTERNAL;
    }

    /** The run's settings from --steps, --rate, --seed and --samples (also for latex --simulate). */
    static TrainingSimulation.Settings settings(Arguments arguments) {
        return new TrainingSimulation.Settings(arguments.get(STEPS), arguments.get(RATE), arguments.get(SEED),
                arguments.get(SAMPLES));
    }

    /** FILE's name with -simulate.svg, in the current folder: examples/cs231n.net → cs231n-simulate.svg. */
    private static Path defaultOutput(SpecInput input) {
        Path spec = input.path();
        if (spec == null) return Path.of("simulate.svg");
        String file = spec.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return Path.of((dot > 0 ? file.substring(0, dot) : file) + "-simulate.svg");
    }

    private static boolean isPng(Path output) {
        return output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
    }

    private static Path picturePath(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".svg") && !lower.endsWith(".png")) {
            throw new IllegalArgumentException("'" + text + "' does not end in .svg or .png, so its format is unknown");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a usable file name: " + e.getReason());
        }
    }

    private static int count(String text, String what, int most) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= most) return n;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException("'" + text + "' is not a number of " + what + " from 1 to " + most);
    }

    private static double rate(String text) {
        double rate;
        try {
            rate = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        if (!(rate > 0 && rate <= 1e6)) throw new IllegalArgumentException("'" + text + "' is not a positive learning rate");
        return rate;
    }

    private static long seed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
    }
}
