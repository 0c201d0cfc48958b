package dev.beacon.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool in the project directory and collects its output. The deploy checks use the real
 * tools (shellcheck, ruby, vagrant, docker-compose); .ci/run installs them, so a missing tool fails the test.
 */
final class Tool {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    record Result(int exitCode, String output) {
    }

    private Tool() {
    }

    static Result run(List<String> command) {
        return run(command, Map.of(), DEFAULT_TIMEOUT);
    }

    static Result run(List<String> command, Map<String, String> environment) {
        return run(command, environment, DEFAULT_TIMEOUT);
    }

    /** Output goes to a file, so a tool that hangs cannot block the reader past the timeout. */
    static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
        Process process = null;
        File output = null;
        try {
            output = File.createTempFile("beacon-tool", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile())
                    .redirectErrorStream(true).redirectOutput(output).redirectInput(new File("/dev/null"));
            builder.environment().putAll(environment);
            process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not finish within " + timeout + ":\n" + read(output));
            }
            return new Result(process.exitValue(), read(output));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (.ci/run installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                output.delete();
            }
        }
    }

    private static String read(File file) throws IOException {
        return Files.readString(file.toPath(), StandardCharsets.UTF_8);
    }
}
