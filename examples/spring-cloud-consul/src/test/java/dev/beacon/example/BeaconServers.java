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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Beacon servers of one datacenter started from the packaged jar ({@code -Dbeacon.jar}), one per address (three on
 * 127.0.0.1-3 by default), each a separate JVM, as an operator would run them. Only the processes started here are
 * stopped.
 */
final class BeaconServers implements AutoCloseable {
    /** A server that accepts a request and never answers fails the test instead of holding the build. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> THREE = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    private final List<String> addresses;
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private String token = "";

    /** @param settings more {@code --beacon.*} settings for every server */
    BeaconServers(Path workDir, String... settings) throws IOException {
        this(workDir, THREE, settings);
    }

    /**
     * @param addresses one server on each
     * @param settings  more {@code --beacon.*} settings for every server, or other values for the ones set here
     */
    BeaconServers(Path workDir, List<String> addresses, String... settings) throws IOException {
        this.addresses = List.copyOf(addresses);
        Path jar = Path.of(System.getProperty("beacon.jar", "../../target/beacon.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no Beacon jar at " + jar + ": build Beacon first (mvn package)");
        }
        int raftPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < addresses.size(); i++) {
            String self = addresses.get(i);
            List<String> others = addresses.stream().filter(a -> !a.equals(self)).map(a -> a + ":" + raftPort)
                    .toList();
            int httpPort = freePort();
            httpPorts.add(httpPort);
            Path dir = Files.createDirectories(workDir.resolve("server" + (i + 1)));
            Map<String, String> beacon = new LinkedHashMap<>();
            beacon.put("node-name", "server" + (i + 1));
            beacon.put("bind-address", self);
            beacon.put("client-address", self);
            beacon.put("ports.http", Integer.toString(httpPort));
            beacon.put("ports.raft", Integer.toString(raftPort));
            beacon.put("ports.dns", "0");
            beacon.put("ports.etcd", "0");
            beacon.put("ports.serf-wan", "0");
            beacon.put("bootstrap-expect", Integer.toString(addresses.size()));
            beacon.put("retry-join", String.join(",", others));
            beacon.put("data-dir", dir.resolve("data").toString());
            for (String setting : settings) {
                int equals = setting.indexOf('=');
                beacon.put(setting.substring("--beacon.".length(), equals), setting.substring(equals + 1));
            }
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString()));
            beacon.forEach((name, value) -> command.add("--beacon." + name + "=" + value));
            processes.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start());
        }
    }

    /** Waits until every server names a leader. */
    BeaconServers awaitLeader() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int i = 0; i < addresses.size(); i++) {
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
        return addresses.get(server);
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

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
