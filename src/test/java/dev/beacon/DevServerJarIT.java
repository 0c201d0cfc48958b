package dev.beacon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The packaged jar, started the way a newcomer starts it: {@code java -jar} with no arguments and no JVM flags.
 * It must become a single-node dev server that elects itself and answers on 8500, with DNS on 8600.
 */
class DevServerJarIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Process process;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void jarWithNoArgumentsStartsADevServerThatElectsItself(@TempDir Path workDir) throws Exception {
        Path log = startJar(workDir);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> process.isAlive() ? get("/v1/status/leader") : "exited",
                            body -> body.equals("\"127.0.0.1:8300\"") || body.equals("exited"));
            assertThat(process.isAlive()).as("server process is running").isTrue();
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError("no leader; server log:\n" + Files.readString(log), e);
        }

        assertThat(get("/v1/agent/self")).contains("\"Datacenter\":\"dc1\"", "\"Server\":true");
        assertThat(get("/v1/status/peers")).isEqualTo("[\"127.0.0.1:8300\"]");
        HttpResponse<String> etcdSet = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:2379/v2/keys/dev"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=on")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(etcdSet.statusCode()).as("the etcd v2 API on its default port").isEqualTo(201);
        assertThat(get("/v1/kv/dev?raw")).isEqualTo("on");
        assertThat(Files.isDirectory(workDir.resolve("beacon-data"))).isTrue();
        assertThat(Files.readString(log)).doesNotContain("InaccessibleObjectException");
        for (boolean tcp : new boolean[] {false, true}) {
            Message soa = dnsOn8600(tcp).send(Message.newQuery(Record.newRecord(Name.fromString("consul."), Type.SOA,
                    DClass.IN)));
            assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(soa.getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);
        }
    }

    private static SimpleResolver dnsOn8600(boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", 8600));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    @Test
    void aServerWhoseRaftPortIsTakenExitsWithAClearMessageInsteadOfRunningBroken(@TempDir Path workDir)
            throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Path log = startJar(workDir, "--beacon.ports.raft=" + squatter.getLocalPort(), "--beacon.ports.http=0",
                    "--beacon.ports.dns=0", "--beacon.ports.etcd=0");

            assertThat(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("server exited").isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.readString(log))
                    .contains("Cannot listen for Raft on 127.0.0.1:" + squatter.getLocalPort());
        }
    }

    @Test
    void aServerWhoseRaftStorageCannotBeOpenedExitsInsteadOfRunningWithoutACluster(@TempDir Path workDir)
            throws Exception {
        // Where the data partition keeps its Raft metadata file, a directory: Atomix cannot open it.
        Path data = workDir.resolve("data");
        Files.createDirectories(data.resolve("data/partitions/1/data-partition-1.meta"));
        Path log = startJar(workDir, "--beacon.data-dir=" + data, "--beacon.ports.http=0", "--beacon.ports.dns=0",
                "--beacon.ports.etcd=0", "--beacon.ports.raft=" + PackagedJar.freeLoopbackPort());

        assertThat(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("server exited").isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("Stopping: this server could not start its part of the cluster",
                "data-partition-1.meta");
    }

    /** Runs {@code java -jar beacon.jar args} in {@code workDir}, output to server.log there; returns the log. */
    private Path startJar(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                PackagedJar.path().toString()));
        command.addAll(List.of(args));
        Path log = workDir.resolve("server.log");
        process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return log;
    }

    private static String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:8500" + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
