package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.beacon.PackagedJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose data directory runs out of disk: the packaged jar on a small tmpfs this test mounts (it needs root,
 * as the fault suite's partitions do), filled with KV puts. Before the NOSPACE alarm guarded the disk, the Raft log's
 * memory-mapped write into a page the full disk could not back killed the JVM with SIGBUS.
 */
class DiskFullIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int VALUE_BYTES = 8 * 1024;
    private static final int MAX_PUTS = 30_000;

    @TempDir
    Path work;
    private Path disk;
    private boolean mounted;
    private Process process;
    private int httpPort;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectories(work.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=160m", "beacon-disk-full",
                disk.toString()).redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        assumeThat(mounted).as("mounting a tmpfs needs root: " + output).isTrue();
    }

    @AfterEach
    void stopAndUnmount() throws Exception {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        if (mounted) {
            for (int attempt = 0; attempt < 20; attempt++) {
                if (new ProcessBuilder("umount", disk.toString()).start().waitFor() == 0) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("could not unmount the test's tmpfs at " + disk);
        }
    }

    @Test
    void writesAreRefusedBeforeTheDiskFillsAndTheServerKeepsServingReadsAndDeletes() throws Exception {
        Path log = startJar();
        awaitLeader(log);

        byte[] first = value(0);
        assertThat(put("full/k00000", first).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = null;
        for (int i = 1; i < MAX_PUTS && refused == null; i++) {
            HttpResponse<String> answer;
            try {
                answer = put(String.format("full/k%05d", i), value(i));
            } catch (IOException e) {
                List<String> lines = Files.readAllLines(log);
                throw new AssertionError("put " + i + " got no answer (" + e.getMessage() + "); server alive: "
                        + process.isAlive() + "; the end of its log:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())), e);
            }
            if (answer.statusCode() != 200) {
                refused = answer;
            }
        }

        assertThat(refused).as("a put refused within " + MAX_PUTS + " puts of 8 KiB").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(507);
        assertThat(refused.body()).contains("NOSPACE").hasLineCount(1);
        awaitLine(log, "Disk nearly full");
        assertThat(Files.getFileStore(disk).getUsableSpace()).as("room left on the disk").isGreaterThan(0);
        assertThat(process.isAlive()).isTrue();
        HttpResponse<byte[]> read = HTTP.send(request("/v1/kv/full/k00000?raw").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(read.body()).isEqualTo(first);
        HttpResponse<String> delete = HTTP.send(request("/v1/kv/full/k00001").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.body()).isEqualTo("true");
        assertThat(process.isAlive()).isTrue();
    }

    private static byte[] value(int seed) {
        byte[] bytes = new byte[VALUE_BYTES];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private HttpResponse<String> put(String key, byte[] value) throws Exception {
        return HTTP.send(request("/v1/kv/" + key).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30));
    }

    private void awaitLeader(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("server running; its log:\n" + Files.readString(log)).isTrue();
            try {
                HttpResponse<String> leader = HTTP.send(request("/v1/status/leader").build(),
                        HttpResponse.BodyHandlers.ofString());
                if (leader.statusCode() == 200 && leader.body().contains(":")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no leader within 90 s; server log:\n" + Files.readString(log));
    }

    /**
     * The server logs the alarm once its proposal's answer comes back, which can be after a later put was already
     * refused by the applied alarm: the line is awaited rather than expected at once.
     */
    private static void awaitLine(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(log)).contains(line);
    }

    private Path startJar() throws IOException {
        httpPort = PackagedJar.freeLoopbackPort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                PackagedJar.path().toString(), "--beacon.data-dir=" + disk.resolve("data"),
                "--beacon.bind-address=127.0.0.1", "--beacon.client-address=127.0.0.1",
                "--beacon.ports.http=" + httpPort, "--beacon.ports.raft=" + PackagedJar.freeLoopbackPort(),
                "--beacon.ports.dns=0", "--beacon.ports.etcd=0", "--beacon.ports.serf-wan=0"));
        Path log = work.resolve("server.log");
        process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return log;
    }
}
