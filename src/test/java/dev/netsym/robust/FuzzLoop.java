package dev.netsym.robust;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The driver every fuzz test shares: generate inputs from a seed for a number of seconds (or a
 * number of inputs), collect those that did not end cleanly, print the tally, and fail on any
 * failure or when too few inputs were accepted to test more than the error paths.
 */
public final class FuzzLoop {
    private FuzzLoop() {}

    public interface Generator {
        byte[] next(SplittableRandom random);
    }

    /** Null if refused cleanly, "" if accepted, otherwise what went wrong. */
    public interface Check {
        String problemWith(byte[] input) throws Exception;
    }

    /** Keeps a failing input for a person to replay; returns where. */
    public interface Keeper {
        Path save(byte[] input, int n) throws Exception;
    }

    /**
     * @param label    how the tally line starts ("fuzz", "onnx fuzz")
     * @param accepted what an accepted input is, for the message when too few were ("valid specs")
     */
    public static void run(String label, long seed, long seconds, int inputs, Generator generator, Check check, Keeper keeper,
            String accepted) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> failures = new ArrayList<>();
        int tried = 0;
        int valid = 0;
        long start = System.nanoTime();
        while (seconds > 0 ? System.nanoTime() < deadline : tried < inputs) {
            byte[] input = generator.next(random);
            tried++;
            String problem = check.problemWith(input);
            if (problem == null) continue;
            if (problem.isEmpty()) {
                valid++;
                continue;
            }
            failures.add(keeper.save(input, failures.size()) + ": " + problem);
            if (failures.size() >= 20) break;
        }
        System.out.printf("%s: seed %d, %d inputs, %d accepted, %d failures, %d s%n", label, seed, tried, valid,
                failures.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        if (!failures.isEmpty()) fail(failures.size() + " inputs failed:\n" + String.join("\n\n", failures));
        // A generator that never produced an accepted input would only be testing the error paths.
        int acceptedCount = valid;
        int total = tried;
        assertTrue(acceptedCount > total / 50, () -> "only " + acceptedCount + " of " + total + " inputs were " + accepted);
    }
}
