package dev.beacon.example;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * Three Beacon servers started from the packaged jar ({@code -Dbeacon.jar}), one per address 127.0.0.1-3, each
 * a separate JVM, as an operator would run them. Only the processes started here are stopped.
 */
final class BeaconServers implements AutoCloseable {
    /** A server that accepts a request and never answers fails the test instead of holding the build. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> ADDRESSES = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private String token = "";

    /** @param settings more {@code --beacon.*} settings for every server */
    BeaconServers(Path workDir, String... settings) throws IOException {
        Path jar = Path.of(System.getProperty("beacon.jar", "../../target/beacon.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no Beacon jar at " + jar + ": build Beacon first (mvn package)");
        }
        int raftPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String self = ADDRESSES.get(i);
            List<String> others = ADDRESSES.stream().filter(a -> !a.equals(self)).map(a -> a + ":" + raftPort)
                    .toList();
            int httpPort = freePort();
            httpPorts.add(httpPort);
            Path dir = Files.createDirectories(workDir.resolve("server" + (i + 1)));
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(),
                    "--beacon.node-name=server" + (i + 1), "--beacon.bind-address=" + self,
                    "--beacon.client-address=" + self, "--beacon.ports.http=" + httpPort,
                    "--beacon.ports.raft=" + raftPort, "--beacon.ports.dns=0", "--beacon.ports.etcd=0",
                    "--beacon.ports.serf-wan=0",
                    "--beacon.bootstrap-expect=3",
                    "--beacon.retry-join=" + String.join(",", others), "--beacon.data-dir=" + dir.resolve("data")));
            command.addAll(List.of(settings));
            processes.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start());
        }
    }

    /** Waits until every server names a leader. */
    BeaconServers awaitLeader() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int i = 0; i < ADDRESSES.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException("Beacon server " + (i + 1) + " exited");
                }
                HttpResponse<String> leader = get(i, "/v1/status/leader");
                if (leader == null || leader.statusCode() != 200 || leader.body().equals("\"\"")) {
                    return false;
                }
            }
            return true;
        });
        return this;
    }

    /** Sends {@code secret} as the ACL token of every request from now on. */
    BeaconServers withToken(String secret) {
        token = secret;
        return this;
    }

    String host(int server) {
        return ADDRESSES.get(server);
    }

    int httpPort(int server) {
        return httpPorts.get(server);
    }

    /** The response, or null if the server did not answer. */
    HttpResponse<String> get(int server, String path) {
        return send(request(server, path).GET().build());
    }

    HttpResponse<String> put(int server, String path, String body) {
        return send(request(server, path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(int server, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path)).timeout(REQUEST_TIMEOUT);
        return token.isEmpty() ? request : request.header("X-Consul-Token", token);
    }

    private URI uri(int server, String path) {
        return URI.create("http://" + host(server) + ":" + httpPort(server) + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
