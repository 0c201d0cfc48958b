package dev.beacon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A client application of another language run against a test server, as its users run it. */
public final class ClientProcess {
    private ClientProcess() {
    }

    /**
     * Runs {@code command} in {@code dir}; its standard output, or a failure with everything it printed.
     * {@code needs} says what must be installed when the command cannot be started at all.
     */
    public static String run(Path dir, int seconds, String needs, String... command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (" + needs + "): " + e.getMessage(), e);
        }
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                    + stdout + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }
}
