package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/beacon's class-data archive: made for a jar of any name, and never half-made. */
class LauncherIT {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    @Test
    void preparesTheArchiveForAJarNamedWithItsVersion() throws IOException {
        Path jar = Files.copy(packagedJar(), dir.resolve("beacon-1.2.3.jar"));
        Path cds = dir.resolve("cds");

        Tool.Result result = prepare(jar, cds, JAVA);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(cds.resolve("app/beacon-1.2.3.jar")).isRegularFile();
        assertThat(cds.resolve("beacon.jsa")).isRegularFile();
        assertThat(cds.resolve("stamp")).isRegularFile();
    }

    @Test
    void aTrainingRunThatFailsLeavesNoArchiveBehindAndSaysSo() throws IOException {
        Path jar = Files.copy(packagedJar(), dir.resolve("beacon.jar"));
        Path cds = dir.resolve("cds");
        Path failingTraining = dir.resolve("java");
        Files.writeString(failingTraining, """
                #!/bin/sh
                case "$*" in *ArchiveClassesAtExit*) echo "training failed" >&2; exit 3 ;; esac
                exec %s "$@"
                """.formatted(JAVA));
        Files.setPosixFilePermissions(failingTraining, PosixFilePermissions.fromString("rwxr-xr-x"));

        Tool.Result result = prepare(jar, cds, failingTraining);

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(cds.resolve("stamp")).doesNotExist();
        assertThat(cds.resolve("beacon.jsa")).doesNotExist();
    }

    private static Tool.Result prepare(Path jar, Path cds, Path java) {
        return Tool.run(List.of("bin/beacon", "prepare"),
                Map.of("BEACON_JAR", jar.toString(), "BEACON_CDS_DIR", cds.toString(), "JAVA", java.toString()),
                Duration.ofMinutes(3));
    }

    private static Path packagedJar() {
        Path jar = Path.of(System.getProperty("beacon.jar", "target/beacon.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged jar (mvn verify builds it)").isRegularFile();
        return jar;
    }
}
