package dev.beacon.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAProxy (Debian's {@code haproxy}, 2.6) balancing over a service it finds in Beacon's DNS, set up as Consul's
 * load-balancing guide sets it up against Consul: {@code server-template} slots filled from the SRV records of
 * {@code _<service>._tcp.service.consul}, with {@code accepted_payload_size 8192}. Its runtime API (the admin socket's
 * {@code show servers state}) says which instances it holds; requests through it say which it sends traffic to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HaproxyDnsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** More than the UDP answer limit (3) and more than 512 bytes of SRV records. */
    private static final int IDLE_WEB_INSTANCES = 30;
    private static final int SLOTS = 40;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<HttpServer> backends = new ArrayList<>();
    private BeaconNode node;
    private Process haproxy;
    private Path adminSocket;
    private Path haproxyLog;
    private int webPort;
    private int canaryPort;
    private int apiPort;
    private final List<Integer> webBackends = new ArrayList<>();
    private final List<Integer> apiBackends = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        node = new BeaconNode("lb", "127.0.0.1", TestCluster.freePort(), List.of(), dir.resolve("data")).start();
        node.cluster().whenReady().join();
        for (int i = 1; i <= 3; i++) {
            int port = backend("web-" + i);
            webBackends.add(port);
            register("web-" + i, "web", "127.0.0.1", port, i == 3 ? "canary" : "stable", null);
        }
        for (int i = 0; i < IDLE_WEB_INSTANCES; i++) {
            // Instances with nothing listening: HAProxy holds them, and its health checks keep traffic off them.
            register("web-idle-" + i, "web", "127.0.1." + (i + 1), 20000 + i, "stable", null);
        }
        for (int i = 1; i <= 2; i++) {
            int port = backend("api-" + i);
            apiBackends.add(port);
            register("api-" + i, "api", "127.0.0.1", port, "v1", "passing");
        }
        webPort = TestCluster.freePort();
        canaryPort = TestCluster.freePort();
        apiPort = TestCluster.freePort();
        adminSocket = dir.resolve("admin.sock");
        haproxyLog = dir.resolve("haproxy.log");
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, config());
        try {
            haproxy = new ProcessBuilder("haproxy", "-f", config.toString(), "-db")
                    .redirectErrorStream(true).redirectOutput(haproxyLog.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run haproxy (Debian's haproxy; .ci/run installs it): " + e.getMessage(), e);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(Files.exists(adminSocket))
                .as("HAProxy's admin socket; its log:%n%s", log()).isTrue());
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor();
        }
        backends.forEach(server -> server.stop(0));
        if (node != null) {
            node.close();
        }
    }

    @Test
    void haproxyHoldsEveryInstanceOfAServiceLargerThanTheUdpAnswerLimitAndSendsTrafficToTheLiveOnes() {
        Set<String> expected = new HashSet<>();
        webBackends.forEach(port -> expected.add("127.0.0.1:" + port));
        for (int i = 0; i < IDLE_WEB_INSTANCES; i++) {
            expected.add("127.0.1." + (i + 1) + ":" + (20000 + i));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(heldInstances("web"))
                .as("HAProxy's log:%n%s", log()).containsExactlyInAnyOrderElementsOf(expected));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(answersThrough(webPort, 30)).containsExactlyInAnyOrder("web-1", "web-2", "web-3"));
    }

    @Test
    void aTagInTheSrvNameKeepsOnlyTheTaggedInstances() {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(heldInstances("canary")).containsExactly("127.0.0.1:" + webBackends.get(2)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(answersThrough(canaryPort, 5)).containsExactly("web-3"));
    }

    @Test
    void anInstanceLeavesWhenItsCheckFailsComesBackWhenItPassesAndLeavesForGoodWhenDeregistered() {
        String first = "127.0.0.1:" + apiBackends.get(0);
        String second = "127.0.0.1:" + apiBackends.get(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(heldInstances("api")).containsExactlyInAnyOrder(first, second));

        put("/v1/agent/check/fail/service:api-1?note=down");
        await().atMost(WAIT).untilAsserted(() -> assertThat(heldInstances("api")).containsExactly(second));
        await().atMost(WAIT).untilAsserted(() -> assertThat(answersThrough(apiPort, 10)).containsExactly("api-2"));

        put("/v1/agent/check/pass/service:api-1");
        await().atMost(WAIT).untilAsserted(() -> assertThat(heldInstances("api")).containsExactlyInAnyOrder(first, second));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(answersThrough(apiPort, 10)).containsExactlyInAnyOrder("api-1", "api-2"));

        put("/v1/agent/service/deregister/api-2");
        await().atMost(WAIT).untilAsserted(() -> assertThat(heldInstances("api")).containsExactly(first));
        await().atMost(WAIT).untilAsserted(() -> assertThat(answersThrough(apiPort, 10)).containsExactly("api-1"));
    }

    private String config() {
        String dns = "127.0.0.1:" + node.dnsPort();
        return String.join("\n",
                "global",
                "    stats socket " + adminSocket + " mode 600 level admin",
                "defaults",
                "    mode http",
                "    timeout connect 2s",
                "    timeout client 10s",
                "    timeout server 10s",
                "resolvers beacon",
                "    nameserver beacon " + dns,
                "    accepted_payload_size 8192",
                "    hold valid 1s",
                "    timeout resolve 500ms",
                "    timeout retry 500ms",
                frontend("web", webPort),
                template("web", "_web._tcp.service.consul"),
                frontend("canary", canaryPort),
                template("canary", "_web._canary.service.consul"),
                frontend("api", apiPort),
                template("api", "_api._tcp.service.consul"),
                "");
    }

    private static String frontend(String name, int port) {
        return "frontend " + name + "-in\n    bind 127.0.0.1:" + port + "\n    default_backend " + name;
    }

    private static String template(String backend, String srvName) {
        return "backend " + backend + "\n    balance roundrobin\n    server-template " + backend + " " + SLOTS + " "
                + srvName + " resolvers beacon resolve-opts allow-dup-ip resolve-prefer ipv4 check inter 300ms";
    }

    /** An HTTP server on loopback that answers every request with its name; its port. */
    private int backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    private void register(String id, String service, String address, int port, String tag, String ttlStatus) {
        String check = ttlStatus == null ? "" : ",\"Check\":{\"TTL\":\"10m\",\"Status\":\"" + ttlStatus + "\"}";
        put("/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"" + service + "\",\"Address\":\""
                + address + "\",\"Port\":" + port + ",\"Tags\":[\"" + tag + "\"]" + check + "}");
    }

    private void put(String path) {
        put(path, "");
    }

    private void put(String path, String body) {
        HttpResponse<String> response = node.send("PUT", path, "", body);
        assertThat(response.statusCode()).as("PUT %s: %s", path, response.body()).isEqualTo(200);
    }

    /** {@code address:port} of each server slot of a backend that HAProxy has filled from DNS. */
    private Set<String> heldInstances(String backend) throws IOException {
        List<String> lines = adminCommand("show servers state " + backend).lines().toList();
        String header = lines.stream().filter(line -> line.startsWith("# be_id")).findFirst()
                .orElseThrow(() -> new AssertionError("no state header in " + lines));
        List<String> columns = Arrays.asList(header.substring(2).split(" "));
        int address = columns.indexOf("srv_addr");
        int port = columns.indexOf("srv_port");
        return lines.stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && line.contains(" "))
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > port && !fields[address].equals("-"))
                .map(fields -> fields[address] + ":" + fields[port])
                .collect(Collectors.toSet());
    }

    private String adminCommand(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(adminSocket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            StringBuilder out = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            return out.toString();
        }
    }

    /** The names of the backends that answered {@code requests} requests through a frontend. */
    private Set<String> answersThrough(int port, int requests) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                names.add(response.statusCode() == 200 ? response.body() : "status " + response.statusCode());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    private String log() {
        try {
            return Files.readString(haproxyLog);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
